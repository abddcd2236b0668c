// The strict DER reader (X.690 §10, §11; RFC 5280 §4.1.2.5 times): every rule DER adds over
// BER ends in its own error code with the byte offset of the offending octet, and hostile
// nesting or lengths end in a coded error quickly.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DerReader,
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_GENERALIZED_TIME,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  TAG_UTC_TIME,
  contextConstructed,
  contextTag,
  tagName,
} from '../src/encoding/der.ts';
import { GraphMtlsError, type ErrorCode } from '../src/errors.ts';
import { readCertificates, scanCertificates } from '../src/input/read-certificates.ts';
import { parseCertificate } from '../src/x509/certificate.ts';
import { makeRootCa } from '../../../test/fixtures/certificates.ts';
import { bits, bool, concat, encodeLength, genTime, indefinite, int, oid, oidContent, rawTlv, seq, tlv, utcTime } from '../../../test/fixtures/der-builder.ts';
import { errorOf } from '../../../test/helpers.ts';

const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

function expectCode(fn: () => unknown, code: ErrorCode, offset?: number): GraphMtlsError {
  const e = errorOf(fn);
  expect(e.code).toBe(code);
  if (offset !== undefined) expect(e.offset).toBe(offset);
  return e;
}

/** Reads the single element of `bytes` with `tag` and returns the reader positioned on it. */
function one(bytes: Uint8Array, tag?: number): DerReader {
  const r = new DerReader(bytes);
  if (tag === undefined) r.next('element');
  else r.expect(tag, 'element');
  r.finish('input');
  return r;
}

/** A SEQUENCE nested `depth` times around `core`, with minimal definite lengths, built in one pass. */
function nested(depth: number, core: Uint8Array = new Uint8Array(0), tag = 0x30): Uint8Array {
  const headers: Uint8Array[] = [];
  let len = core.length;
  for (let i = 0; i < depth; i++) {
    const h = concat(Uint8Array.of(tag), encodeLength(len));
    headers.push(h);
    len += h.length;
  }
  const out = new Uint8Array(len);
  let o = 0;
  for (let i = headers.length - 1; i >= 0; i--) {
    out.set(headers[i]!, o);
    o += headers[i]!.length;
  }
  out.set(core, o);
  return out;
}

/** A generic recursive walker over constructed elements (what a schema-driven parser does). */
function walk(r: DerReader): number {
  let count = 0;
  while (!r.done) {
    const tag = r.next('element');
    count++;
    if ((tag & 0x20) !== 0) count += walk(r.child('element'));
  }
  return count;
}

describe('lengths (X.690 §10.1)', () => {
  it('reads short and long definite lengths', () => {
    const r = one(b(0x04, 0x03, 1, 2, 3));
    expect([r.tag, r.valueStart, r.valueEnd, r.elementStart]).toEqual([0x04, 2, 5, 0]);
    const long = one(concat(b(0x04, 0x81, 0x80), new Uint8Array(0x80)));
    expect(long.valueLength).toBe(0x80);
    const two = one(concat(b(0x04, 0x82, 0x01, 0x00), new Uint8Array(256)));
    expect(two.valueLength).toBe(256);
    const three = one(concat(b(0x04, 0x83, 0x01, 0x00, 0x00), new Uint8Array(65536)));
    expect(three.valueLength).toBe(65536);
  });

  it('indefinite length → ERR_DER_BER_ENCODING at the length octet', () => {
    expectCode(() => one(indefinite(0x30, int(1))), 'ERR_DER_BER_ENCODING', 1);
    expectCode(() => one(concat(seq(int(1)), b(0x30, 0x80, 0, 0))), 'ERR_DER_TRAILING_DATA', 5);
    const inner = new DerReader(seq(int(1), b(0x30, 0x80, 0x00, 0x00))).enter(TAG_SEQUENCE, 'outer');
    inner.next('a');
    expectCode(() => inner.next('b'), 'ERR_DER_BER_ENCODING', 6);
  });

  it('long form for a length below 128 → ERR_DER_BER_ENCODING', () => {
    expectCode(() => one(b(0x04, 0x81, 0x05, 1, 2, 3, 4, 5)), 'ERR_DER_BER_ENCODING', 1);
    expectCode(() => one(b(0x04, 0x81, 0x7f, ...new Uint8Array(0x7f))), 'ERR_DER_BER_ENCODING', 1);
    expectCode(() => one(b(0x04, 0x81, 0x00)), 'ERR_DER_BER_ENCODING');
  });

  it('leading zero length octet → ERR_DER_BER_ENCODING at that octet', () => {
    expectCode(() => one(b(0x04, 0x82, 0x00, 0x05, 1, 2, 3, 4, 5)), 'ERR_DER_BER_ENCODING', 2);
    expectCode(() => one(concat(b(0x04, 0x82, 0x00, 0x80), new Uint8Array(0x80))), 'ERR_DER_BER_ENCODING', 2);
    expectCode(() => one(concat(b(0x04, 0x83, 0x00, 0x01, 0x00), new Uint8Array(256))), 'ERR_DER_BER_ENCODING', 2);
  });

  it('more than 4 length octets → ERR_LIMIT_EXCEEDED (no huge allocation)', () => {
    expectCode(() => one(b(0x04, 0x85, 1, 0, 0, 0, 0)), 'ERR_LIMIT_EXCEEDED', 1);
    expectCode(() => one(b(0x30, 0xff, ...new Uint8Array(127))), 'ERR_LIMIT_EXCEEDED', 1);
  });

  it('a length larger than the data → ERR_DER_TRUNCATED at the first value byte', () => {
    expectCode(() => one(b(0x04, 0x05, 1, 2)), 'ERR_DER_TRUNCATED', 2);
    expectCode(() => one(b(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff)), 'ERR_DER_TRUNCATED', 6);
    expectCode(() => one(b(0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0)), 'ERR_DER_TRUNCATED', 6);
  });

  it('a truncated header → ERR_DER_TRUNCATED', () => {
    expectCode(() => one(b()), 'ERR_DER_TRUNCATED', 0);
    expectCode(() => one(b(0x04)), 'ERR_DER_TRUNCATED', 1);
    expectCode(() => one(b(0x04, 0x82, 0x01)), 'ERR_DER_TRUNCATED', 2);
    expectCode(() => one(b(0x04, 0x84)), 'ERR_DER_TRUNCATED', 2);
  });

  it('a child cannot read past its parent’s end', () => {
    // SEQUENCE of length 3 whose inner OCTET STRING claims 5 bytes that exist after the parent.
    const bytes = b(0x30, 0x03, 0x04, 0x05, 0x00, 1, 2, 3, 4);
    const r = new DerReader(bytes);
    const child = r.enter(TAG_SEQUENCE, 'outer');
    expectCode(() => child.next('inner'), 'ERR_DER_TRUNCATED', 4);
  });

  it('trailing data → ERR_DER_TRAILING_DATA at the first extra byte', () => {
    const r = new DerReader(b(0x05, 0x00, 0xde, 0xad));
    r.next('null');
    expectCode(() => r.finish('input'), 'ERR_DER_TRAILING_DATA', 2);
    const s = new DerReader(seq(int(1), int(2))).enter(TAG_SEQUENCE, 's');
    s.next('first');
    expectCode(() => s.finish('s'), 'ERR_DER_TRAILING_DATA', 5);
  });
});

describe('tags', () => {
  it('high tag number form → ERR_DER_UNEXPECTED_TAG at the tag byte', () => {
    expectCode(() => one(b(0x1f, 0x81, 0x00, 0x00)), 'ERR_DER_UNEXPECTED_TAG', 0);
    expectCode(() => one(b(0xbf, 0x22, 0x00)), 'ERR_DER_UNEXPECTED_TAG', 0);
    expectCode(() => one(b(0x5f, 0x01, 0x00)), 'ERR_DER_UNEXPECTED_TAG', 0);
    const r = new DerReader(concat(int(1), b(0x3f, 0x1f, 0x00)));
    r.next('a');
    expectCode(() => r.next('b'), 'ERR_DER_UNEXPECTED_TAG', 3);
  });

  it('expect() with the wrong tag → ERR_DER_UNEXPECTED_TAG at the element', () => {
    const r = new DerReader(concat(int(1), oid('2.5.4.3')));
    r.expect(TAG_INTEGER, 'a');
    expectCode(() => r.expect(TAG_INTEGER, 'b'), 'ERR_DER_UNEXPECTED_TAG', 3);
  });

  it('constructed OCTET STRING / BIT STRING / UTF8String → ERR_DER_BER_ENCODING', () => {
    expectCode(() => one(tlv(0x24, tlv(0x04, b(1, 2)), tlv(0x04, b(3))), TAG_OCTET_STRING), 'ERR_DER_BER_ENCODING', 0);
    expectCode(() => one(tlv(0x23, bits(b(0xff)), bits(b(0x80), 7)), TAG_BIT_STRING), 'ERR_DER_BER_ENCODING', 0);
    expectCode(() => one(tlv(0x2c, tlv(0x0c, b(0x41))), 0x0c), 'ERR_DER_BER_ENCODING', 0);
    const r = new DerReader(concat(int(0), indefinite(0x24, tlv(0x04, b(1)))));
    r.next('int');
    expectCode(() => r.expect(TAG_OCTET_STRING, 'octets'), 'ERR_DER_BER_ENCODING', 4);
  });

  it('optional() and peek()', () => {
    const r = new DerReader(concat(int(5), bool(true)));
    expect(r.peek()).toBe(TAG_INTEGER);
    expect(r.optional(TAG_BOOLEAN, 'x')).toBe(false);
    expect(r.optional(TAG_INTEGER, 'x')).toBe(true);
    expect(r.smallInteger('x')).toBe(5);
    expect(r.optional(TAG_BOOLEAN, 'x')).toBe(true);
    expect(r.boolean('x')).toBe(true);
    expect(r.peek()).toBe(-1);
    expect(r.done).toBe(true);
    expectCode(() => r.next('past the end'), 'ERR_DER_TRUNCATED', 6);
  });

  it('element() and value() are views of the input', () => {
    const bytes = seq(int(258));
    const r = new DerReader(bytes);
    const s = r.enter(TAG_SEQUENCE, 's');
    s.expect(TAG_INTEGER, 'i');
    expect(s.element()).toEqual(b(0x02, 0x02, 0x01, 0x02));
    expect(s.value()).toEqual(b(0x01, 0x02));
    expect(s.value().buffer).toBe(bytes.buffer);
  });

  it('tagName() names universal and context tags', () => {
    expect(tagName(0x30)).toContain('SEQUENCE');
    expect(tagName(contextConstructed(3))).toContain('[3]');
    expect(tagName(contextTag(2))).toContain('[2]');
    expect(tagName(0x42)).toContain('0x42');
  });
});

describe('INTEGER (X.690 §8.3.2: minimal two’s complement)', () => {
  it('accepts minimal forms', () => {
    const cases: readonly (readonly [Uint8Array, number])[] = [
      [b(0x00), 0], [b(0x7f), 127], [b(0x00, 0x80), 128], [b(0x01, 0x00), 256],
      [b(0xff), -1], [b(0x80), -128], [b(0xff, 0x7f), -129], [b(0x7f, 0xff, 0xff, 0xff), 2 ** 31 - 1],
      [b(0x80, 0x00, 0x00, 0x00), -(2 ** 31)],
    ];
    for (const [content, value] of cases) {
      const r = one(tlv(0x02, content), TAG_INTEGER);
      expect(r.smallInteger('i')).toBe(value);
      expect(r.integerBytes('i')).toEqual(content);
    }
  });

  it('a redundant leading 00 or FF → ERR_DER_BER_ENCODING at the first content byte', () => {
    expectCode(() => one(int(b(0x00, 0x01))).integerBytes('i'), 'ERR_DER_BER_ENCODING', 2);
    expectCode(() => one(int(b(0x00, 0x7f))).integerBytes('i'), 'ERR_DER_BER_ENCODING', 2);
    expectCode(() => one(int(b(0xff, 0x80))).integerBytes('i'), 'ERR_DER_BER_ENCODING', 2);
    expectCode(() => one(int(b(0xff, 0xff))).integerBytes('i'), 'ERR_DER_BER_ENCODING', 2);
    expectCode(() => one(int(b(0x00, 0x00, 0x80))).integerBytes('i'), 'ERR_DER_BER_ENCODING', 2);
  });

  it('an empty INTEGER → ERR_DER_INVALID_VALUE; over 4 bytes for smallInteger → ERR_DER_INVALID_VALUE', () => {
    expectCode(() => one(b(0x02, 0x00)).integerBytes('i'), 'ERR_DER_INVALID_VALUE', 2);
    expectCode(() => one(int(b(0x01, 0, 0, 0, 0))).smallInteger('i'), 'ERR_DER_INVALID_VALUE', 2);
    expect(one(int(b(0x01, 0, 0, 0, 0))).integerBytes('i')).toHaveLength(5);
  });

  it('property: every minimal encoding from the builder is accepted and round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (n) => {
        expect(one(int(n), TAG_INTEGER).smallInteger('i')).toBe(n);
      }),
    );
  });
});

describe('BOOLEAN (X.690 §11.1: FF for TRUE)', () => {
  it('00 and FF', () => {
    expect(one(bool(true)).boolean('b')).toBe(true);
    expect(one(bool(false)).boolean('b')).toBe(false);
  });
  it('01 (BER TRUE) and other non-zero values → ERR_DER_BER_ENCODING at the content byte', () => {
    for (const v of [0x01, 0x7f, 0x80, 0xfe]) expectCode(() => one(bool(v)).boolean('b'), 'ERR_DER_BER_ENCODING', 2);
  });
  it('not 1 byte long → ERR_DER_INVALID_VALUE', () => {
    expectCode(() => one(b(0x01, 0x00)).boolean('b'), 'ERR_DER_INVALID_VALUE', 2);
    expectCode(() => one(b(0x01, 0x02, 0xff, 0xff)).boolean('b'), 'ERR_DER_INVALID_VALUE', 2);
  });
});

describe('NULL', () => {
  it('must be empty', () => {
    one(b(0x05, 0x00)).nullValue('n');
    expectCode(() => one(b(0x05, 0x01, 0x00)).nullValue('n'), 'ERR_DER_INVALID_VALUE', 2);
  });
});

describe('BIT STRING (X.690 §11.2: unused bits zero)', () => {
  it('reads unused bits; the bytes follow the unused-bits octet', () => {
    const content = (r: DerReader): Uint8Array => r.bytes.subarray(r.valueStart + 1, r.valueEnd);
    const a = one(bits(b(0xa0), 5));
    expect(a.checkBitString('s')).toBe(5);
    expect(content(a)).toEqual(b(0xa0));
    const empty = one(bits(b()));
    expect(empty.checkBitString('s')).toBe(0);
    expect(content(empty)).toEqual(b());
    const two = one(bits(b(0x12, 0x34)));
    expect(two.checkBitString('s')).toBe(0);
    expect(content(two)).toEqual(b(0x12, 0x34));
  });
  it('a set unused bit → ERR_DER_BER_ENCODING at the last byte', () => {
    expectCode(() => one(bits(b(0x01), 1)).checkBitString('s'), 'ERR_DER_BER_ENCODING', 3);
    expectCode(() => one(bits(b(0xff, 0x81), 7)).checkBitString('s'), 'ERR_DER_BER_ENCODING', 4);
    expectCode(() => one(bits(b(0x80, 0x10), 5)).checkBitString('s'), 'ERR_DER_BER_ENCODING', 4);
  });
  it('unused bits above 7, no unused-bits octet, or unused bits in an empty string → ERR_DER_INVALID_VALUE', () => {
    expectCode(() => one(bits(b(0x00), 8)).checkBitString('s'), 'ERR_DER_INVALID_VALUE', 2);
    expectCode(() => one(b(0x03, 0x00)).checkBitString('s'), 'ERR_DER_INVALID_VALUE', 2);
    expectCode(() => one(b(0x03, 0x01, 0x03)).checkBitString('s'), 'ERR_DER_INVALID_VALUE', 2);
  });
});

describe('OBJECT IDENTIFIER (X.690 §8.19)', () => {
  it('decodes to dotted decimal, including the first-arc split and large arcs', () => {
    const cases = ['2.5.4.3', '1.2.840.113549.1.1.11', '0.9.2342.19200300.100.1.25', '2.999', '2.999.1', '1.39', '0.0', '2.47', '2.48', '1.3.6.1.4.1.311.60.2.1.3', '1.2.70368744177663'];
    for (const dotted of cases) {
      expect(one(oid(dotted)).oid('o')).toBe(dotted);
      // Twice: the second read comes from the cache and must agree.
      expect(one(oid(dotted)).oid('o')).toBe(dotted);
    }
  });
  it('2.5.x.y (name attributes, extensions) through the two-arc table, the rest through the cache', () => {
    for (const dotted of ['2.5.4.3', '2.5.29.19', '2.5.0.0', '2.5.127.127', '2.5.128.1', '2.5.4.128', '2.5.4']) {
      expect(one(oid(dotted)).oid('o')).toBe(dotted);
    }
    // 0x55 0x04 0x83: the third byte starts a multi-byte arc, so it is not a two-arc OID.
    expectCode(() => one(b(0x06, 0x03, 0x55, 0x04, 0x83)).oid('o'), 'ERR_DER_INVALID_VALUE', 2);
  });
  it('0x80 as the first byte of an arc → ERR_DER_BER_ENCODING at that byte', () => {
    expectCode(() => one(b(0x06, 0x03, 0x2a, 0x80, 0x01)).oid('o'), 'ERR_DER_BER_ENCODING', 3);
    expectCode(() => one(b(0x06, 0x02, 0x80, 0x01)).oid('o'), 'ERR_DER_BER_ENCODING', 2);
    expectCode(() => one(b(0x06, 0x05, 0x55, 0x1d, 0x80, 0x80, 0x13)).oid('o'), 'ERR_DER_BER_ENCODING', 4);
  });
  it('a 0x80 inside an arc (not leading) is fine', () => {
    // 1.2.840: 840 = 0x86 0x48; 16384 = 0x81 0x80 0x00.
    expect(one(tlv(0x06, oidContent('1.2.16384'))).oid('o')).toBe('1.2.16384');
  });
  it('empty, truncated last arc, or an arc of 2^46 or more → ERR_DER_INVALID_VALUE', () => {
    expectCode(() => one(b(0x06, 0x00)).oid('o'), 'ERR_DER_INVALID_VALUE', 2);
    expectCode(() => one(b(0x06, 0x02, 0x2a, 0x86)).oid('o'), 'ERR_DER_INVALID_VALUE', 2);
    expectCode(() => one(tlv(0x06, oidContent('1.2.' + 2n ** 60n))).oid('o'), 'ERR_DER_INVALID_VALUE', 2);
  });
  it('property: every builder encoding round-trips', () => {
    const arc = fc.integer({ min: 0, max: 2 ** 40 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(arc, { maxLength: 8 }), (a, c, rest) => {
        const dotted = [a, c, ...rest].join('.');
        expect(one(oid(dotted)).oid('o')).toBe(dotted);
      }),
    );
  });
});

describe('UTCTime and GeneralizedTime (RFC 5280 §4.1.2.5)', () => {
  const t = (tlvBytes: Uint8Array): number => one(tlvBytes).time('t');

  it('reads the RFC 5280 forms', () => {
    expect(t(utcTime('240101000000Z'))).toBe(Date.UTC(2024, 0, 1));
    expect(t(utcTime('991231235959Z'))).toBe(Date.UTC(1999, 11, 31, 23, 59, 59));
    expect(t(genTime('20500101000000Z'))).toBe(Date.UTC(2050, 0, 1));
    expect(t(genTime('99991231235959Z'))).toBe(Date.UTC(9999, 11, 31, 23, 59, 59));
    expect(t(utcTime('240229120000Z'))).toBe(Date.UTC(2024, 1, 29, 12));
    expect(t(genTime('20000229000000Z'))).toBe(Date.UTC(2000, 1, 29));
  });

  it('UTCTime year pivot: 49 → 2049, 50 → 1950 (RFC 5280 §4.1.2.5.1)', () => {
    expect(new Date(t(utcTime('491231235959Z'))).getUTCFullYear()).toBe(2049);
    expect(new Date(t(utcTime('500101000000Z'))).getUTCFullYear()).toBe(1950);
    expect(new Date(t(utcTime('000101000000Z'))).getUTCFullYear()).toBe(2000);
    expect(new Date(t(utcTime('690101000000Z'))).getUTCFullYear()).toBe(1969);
  });

  it('GeneralizedTime years below 100 are not shifted to the 1900s', () => {
    expect(new Date(t(genTime('00010101000000Z'))).getUTCFullYear()).toBe(1);
    expect(new Date(t(genTime('00490615000000Z'))).getUTCFullYear()).toBe(49);
  });

  const bad: readonly (readonly [string, Uint8Array])[] = [
    ['UTCTime without seconds', utcTime('2401010000Z')],
    ['UTCTime with a +0000 offset', utcTime('240101000000+0000')],
    ['UTCTime with a -0500 offset', utcTime('240101000000-0500')],
    ['UTCTime without Z', utcTime('240101000000')],
    ['UTCTime with a lower-case z', utcTime('240101000000z')],
    ['UTCTime with fractional seconds', utcTime('240101000000.5Z')],
    ['UTCTime on Feb 30', utcTime('240230000000Z')],
    ['UTCTime on Feb 29 of a non-leap year', utcTime('230229000000Z')],
    ['UTCTime on Apr 31', utcTime('240431000000Z')],
    ['UTCTime month 00', utcTime('240001000000Z')],
    ['UTCTime month 13', utcTime('241301000000Z')],
    ['UTCTime day 00', utcTime('240100000000Z')],
    ['UTCTime hour 24', utcTime('240101240000Z')],
    ['UTCTime minute 60', utcTime('240101006000Z')],
    ['UTCTime leap second 60', utcTime('241231235960Z')],
    ['UTCTime with a space', utcTime('2401 1000000Z')],
    ['UTCTime with a sign in a digit place', utcTime('24-101000000Z')],
    ['GeneralizedTime without seconds', genTime('202401010000Z')],
    ['GeneralizedTime with fractional seconds', genTime('20240101000000.123Z')],
    ['GeneralizedTime with a comma fraction', genTime('20240101000000,5Z')],
    ['GeneralizedTime local time (no Z)', genTime('20240101000000')],
    ['GeneralizedTime with an offset', genTime('20240101000000+0100')],
    ['GeneralizedTime on Feb 30', genTime('20240230000000Z')],
    ['GeneralizedTime on Feb 29, 1900', genTime('19000229000000Z')],
    ['GeneralizedTime hour 25', genTime('20240101250000Z')],
    ['empty UTCTime', utcTime('')],
  ];
  it.each(bad)('%s → ERR_DER_INVALID_VALUE at the value', (_name, tlvBytes) => {
    expectCode(() => t(tlvBytes), 'ERR_DER_INVALID_VALUE', 2);
  });

  it('property: every valid GeneralizedTime and UTCTime gives the time Date gives', () => {
    const two = (n: number): string => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }),
        (year, month, day, hour, minute, second) => {
          const date = new Date(0);
          date.setUTCFullYear(year, month - 1, day);
          date.setUTCHours(hour, minute, second, 0);
          const valid = date.getUTCDate() === day;
          const text = `${two(month)}${two(day)}${two(hour)}${two(minute)}${two(second)}Z`;
          const gen = genTime(`${String(year).padStart(4, '0')}${text}`);
          if (valid) expect(t(gen)).toBe(date.getTime());
          else expectCode(() => t(gen), 'ERR_DER_INVALID_VALUE', 2);
          if (year >= 1950 && year <= 2049) {
            const utc = utcTime(`${two(year % 100)}${text}`);
            if (valid) expect(t(utc)).toBe(date.getTime());
            else expectCode(() => t(utc), 'ERR_DER_INVALID_VALUE', 2);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a non-time tag → ERR_DER_UNEXPECTED_TAG', () => {
    expectCode(() => t(int(5)), 'ERR_DER_UNEXPECTED_TAG', 0);
  });

  it('the offset is that of the time inside its container', () => {
    const validity = seq(utcTime('240101000000Z'), utcTime('240230000000Z'));
    const v = new DerReader(validity).enter(TAG_SEQUENCE, 'validity');
    v.expect(TAG_UTC_TIME, 'notBefore');
    v.time('notBefore');
    v.expect(TAG_UTC_TIME, 'notAfter');
    expectCode(() => v.time('notAfter'), 'ERR_DER_INVALID_VALUE', 2 + 15 + 2);
  });

  it('does not echo a long malformed time value verbatim (cap ~60 chars)', () => {
    const e = expectCode(() => t(tlv(TAG_GENERALIZED_TIME, new Uint8Array(5000).fill(0x39))), 'ERR_DER_INVALID_VALUE');
    expect(e.message.length).toBeLessThan(300);
  });

  it('property: every second-aligned time in range round-trips through the RFC 5280 choice', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)), noInvalidDate: true }), (d) => {
        const s = new Date(Math.floor(d.getTime() / 1000) * 1000);
        const y = s.getUTCFullYear();
        const p = (n: number, w = 2): string => String(n).padStart(w, '0');
        const body = p(s.getUTCMonth() + 1) + p(s.getUTCDate()) + p(s.getUTCHours()) + p(s.getUTCMinutes()) + p(s.getUTCSeconds()) + 'Z';
        const bytes = y < 2050 ? utcTime(p(y % 100) + body) : genTime(p(y, 4) + body);
        expect(t(bytes)).toBe(s.getTime());
      }),
    );
  });
});

describe('nesting depth (maxDepth)', () => {
  it('child() beyond maxDepth → ERR_DER_TOO_DEEP at the element', () => {
    const bytes = nested(5, int(1));
    let r = new DerReader(bytes, 0, bytes.length, 0, 3);
    r = r.enter(TAG_SEQUENCE, 'l1');
    r = r.enter(TAG_SEQUENCE, 'l2');
    r = r.enter(TAG_SEQUENCE, 'l3');
    expect(r.depth).toBe(3);
    expectCode(() => r.enter(TAG_SEQUENCE, 'l4'), 'ERR_DER_TOO_DEEP', 6);
  });

  it('exactly maxDepth levels are allowed', () => {
    const bytes = nested(32, int(7));
    expect(walk(new DerReader(bytes, 0, bytes.length, 0, 32))).toBe(33);
    expectCode(() => walk(new DerReader(bytes, 0, bytes.length, 0, 31)), 'ERR_DER_TOO_DEEP');
  });

  it('100 000 nested SEQUENCEs: a recursive walker stops at the default maxDepth, fast, no stack overflow', () => {
    const bytes = nested(100_000, int(1));
    const start = performance.now();
    const e = expectCode(() => walk(new DerReader(bytes)), 'ERR_DER_TOO_DEEP');
    expect(e.offset).toBeGreaterThan(0);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('deeply nested certificate-like input ends in a coded error quickly (readCertificates and parseCertificate)', () => {
    // SEQUENCE { SEQUENCE { SEQUENCE { ... } } } — the shape of Certificate/TBSCertificate, 200 000 deep.
    const deep = nested(200_000, int(1));
    // [0] EXPLICIT version, then nesting where the serial should be.
    const tbsLike = seq(tlv(0xa0, int(2)), nested(50_000, int(1)));
    const certLike = seq(tbsLike, seq(oid('1.2.840.113549.1.1.11')), bits(b(0)));
    // The same with indefinite lengths all the way down (BER), 500 000 deep.
    const berDeep = new Uint8Array(1_000_000);
    for (let i = 0; i < berDeep.length; i += 2) [berDeep[i], berDeep[i + 1]] = [0x30, 0x80];
    // A PKCS#7-like ContentInfo whose certificate set nests deeply.
    const p7Like = seq(oid('1.2.840.113549.1.7.2'), tlv(0xa0, seq(int(1), tlv(0x31), seq(oid('1.2.840.113549.1.7.1')), tlv(0xa0, nested(50_000)))));
    for (const input of [deep, certLike, berDeep, p7Like]) {
      const start = performance.now();
      const e = errorOf(() => readCertificates(input, { source: 'deep.der' }));
      expect(e.code).toMatch(/^ERR_(DER_|NOT_A_CERTIFICATE|PKCS7_UNSUPPORTED)/);
      expect(e.source).toBe('deep.der');
      expect(errorOf(() => parseCertificate(input)).code).toMatch(/^ERR_/);
      expect(performance.now() - start).toBeLessThan(2000);
    }
    expect(errorOf(() => readCertificates(berDeep)).code).toBe('ERR_DER_BER_ENCODING');
  });

  it('a real certificate read with a small maxDepth → ERR_DER_TOO_DEEP', async () => {
    const root = await makeRootCa({ key: 'p256' });
    expect(parseCertificate(root.der, { limits: { maxDepth: 32 } }).version).toBe(3);
    const e = expectCode(() => parseCertificate(root.der, { limits: { maxDepth: 2 } }), 'ERR_DER_TOO_DEEP');
    expect(e.offset).toBeGreaterThan(0);
    const scan = scanCertificates(root.der, { source: 'root.der', limits: { maxDepth: 2 } });
    expect(scan.certificates).toHaveLength(0);
    expect(scan.problems[0]?.error).toMatchObject({ code: 'ERR_DER_TOO_DEEP', source: 'root.der', index: 0 });
  });
});

describe('property: the reader never throws anything but a GraphMtlsError on random bytes', () => {
  it('random bytes through a full walk and every decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const r = new DerReader(bytes);
          walk(r);
        } catch (error) {
          expect(error).toBeInstanceOf(GraphMtlsError);
        }
        try {
          const r = new DerReader(bytes);
          while (!r.done) {
            const tag = r.next('x');
            const decoders: Record<number, () => unknown> = {
              [TAG_BOOLEAN]: () => r.boolean('x'),
              [TAG_INTEGER]: () => r.integerBytes('x'),
              [TAG_BIT_STRING]: () => r.checkBitString('x'),
              [TAG_OID]: () => r.oid('x'),
              [TAG_UTC_TIME]: () => r.time('x'),
              [TAG_GENERALIZED_TIME]: () => r.time('x'),
            };
            decoders[tag]?.();
          }
        } catch (error) {
          expect(error).toBeInstanceOf(GraphMtlsError);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('fixture sanity', () => {
  it('rawTlv builds exactly the header given', () => {
    expect(rawTlv([0x04, 0x81, 0x01], b(9))).toEqual(b(0x04, 0x81, 0x01, 9));
  });
});
