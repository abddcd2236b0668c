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
  encodeTlv,
  tagName,
} from '../../src/encoding/der.ts';
import { GraphMtlsError, InputError, type ErrorCode } from '../../src/errors.ts';
import { readCertificates, scanCertificates } from '../../src/input/read-certificates.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { makeRootCa } from '@graph-mtls/test/fixtures/certificates.ts';
import { bits, bool, concat, encodeLength, genTime, indefinite, int, oid, oidContent, rawTlv, seq, tlv, utcTime } from '@graph-mtls/test/fixtures/der-builder.ts';
import { inputErrorOf } from '@graph-mtls/test/helpers.ts';

const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

function expectCode(fn: () => unknown, code: ErrorCode, offset?: number): InputError {
  const e = inputErrorOf(fn);
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

  it('encodeTlv writes the shortest definite length, which the reader reads back', () => {
    const cases: [number, number[]][] = [
      [0, [0x00]],
      [0x7f, [0x7f]],
      [0x80, [0x81, 0x80]],
      [0xff, [0x81, 0xff]],
      [0x100, [0x82, 0x01, 0x00]],
      [0xffff, [0x82, 0xff, 0xff]],
      [0x10000, [0x83, 0x01, 0x00, 0x00]],
      [0xffffff, [0x83, 0xff, 0xff, 0xff]],
      [0x1000000, [0x84, 0x01, 0x00, 0x00, 0x00]],
    ];
    for (const [n, length] of cases) {
      const content = new Uint8Array(n).fill(0xab);
      const out = encodeTlv(TAG_OCTET_STRING, content);
      expect(Array.from(out.subarray(0, 1 + length.length))).toEqual([TAG_OCTET_STRING, ...length]);
      expect(out.length).toBe(1 + length.length + n);
      const r = one(out, TAG_OCTET_STRING);
      expect([r.valueStart, r.valueLength]).toEqual([1 + length.length, n]);
      expect(out[out.length - 1]).toBe(n === 0 ? 0x00 : 0xab);
    }
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

  // How fast is for the fuzzer's budget (100 ms per 100 KB) and the benchmarks; here, what comes out.
  it('100 000 nested SEQUENCEs: a recursive walker stops at the default maxDepth, no stack overflow', () => {
    const bytes = nested(100_000, int(1));
    const e = expectCode(() => walk(new DerReader(bytes)), 'ERR_DER_TOO_DEEP');
    expect(e.offset).toBeGreaterThan(0);
  });

  it('deeply nested certificate-like input ends in a coded error (readCertificates and parseCertificate)', () => {
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
      const e = inputErrorOf(() => readCertificates(input, { source: 'deep.der' }));
      expect(e.code).toMatch(/^ERR_(DER_|NOT_A_CERTIFICATE|PKCS7_UNSUPPORTED)/);
      expect(e.source).toBe('deep.der');
      expect(inputErrorOf(() => parseCertificate(input)).code).toMatch(/^ERR_/);
    }
    expect(inputErrorOf(() => readCertificates(berDeep)).code).toBe('ERR_DER_BER_ENCODING');
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

describe('error messages (the reason is public: "what: expected ..., received ...")', () => {
  const reason = (fn: () => unknown): string => inputErrorOf(fn).reason;

  it('headers and lengths', () => {
    expect(reason(() => new DerReader(b()).next('cert'))).toBe('cert: expected an element, received the end of its container');
    expect(reason(() => new DerReader(b(0x1f, 0x01, 0x00)).next('cert'))).toBe('cert: expected a low tag number, received a high-tag-number form');
    expect(reason(() => new DerReader(b(0x04)).next('cert'))).toBe('cert: expected a length byte, received the end of the data');
    expect(reason(() => new DerReader(b(0x30, 0x80)).next('cert'))).toBe('cert: expected a definite length (DER), received the indefinite-length form (BER)');
    expect(reason(() => new DerReader(b(0x30, 0x85, 1, 1, 1, 1, 1)).next('cert'))).toBe('cert: expected a length of at most 4 bytes, received 5');
    expect(reason(() => new DerReader(b(0x30, 0x82, 0x01)).next('cert'))).toBe('cert: expected 2 length bytes, received the end of the data');
    expect(reason(() => new DerReader(b(0x30, 0x82, 0x00, 0x80)).next('cert'))).toBe('cert: expected a minimal length (DER), received a leading zero length byte');
    expect(reason(() => new DerReader(b(0x30, 0x81, 0x7f)).next('cert'))).toBe('cert: expected the short length form for 127 (DER), received the long form');
    expect(reason(() => new DerReader(b(0x04, 0x03, 1)).next('cert'))).toBe('cert: expected 3 bytes of value, received 1');
    const r = new DerReader(b(0x05, 0x00, 1, 2, 3));
    r.next('null');
    expect(reason(() => r.finish('input'))).toBe('input: expected no more data, received 3 trailing bytes');
  });

  it('a long length exactly filling the data is read; one byte more is truncated', () => {
    const exact = concat(b(0x04, 0x81, 0x80), new Uint8Array(0x80));
    expect(one(exact).valueEnd).toBe(exact.length);
    expectCode(() => new DerReader(exact.subarray(0, exact.length - 1)).next('x'), 'ERR_DER_TRUNCATED', 3);
    expectCode(() => new DerReader(b(0x04, 0x81, 0x80)).next('x'), 'ERR_DER_TRUNCATED', 3);
    // 4 length bytes: the largest accepted form.
    expectCode(() => new DerReader(b(0x04, 0x84, 0x01, 0x00, 0x00, 0x00)).next('x'), 'ERR_DER_TRUNCATED', 6);
    // A length byte count that reaches exactly the end is read (then truncated by the value).
    expectCode(() => new DerReader(b(0x04, 0x82, 0x01, 0x00)).next('x'), 'ERR_DER_TRUNCATED', 4);
  });

  it('the end of a window (start, end) bounds reads, not the buffer', () => {
    const bytes = b(0xff, 0x04, 0x01, 0x07, 0x04, 0x01, 0x08);
    const r = new DerReader(bytes, 1, 4);
    expect(r.next('x')).toBe(0x04);
    expect([r.elementStart, r.valueStart, r.valueEnd, r.pos]).toEqual([1, 3, 4, 4]);
    expect(r.done).toBe(true);
    expect(r.peek()).toBe(-1);
    expectCode(() => r.next('x'), 'ERR_DER_TRUNCATED', 4);
    expectCode(() => new DerReader(bytes, 1, 2).next('x'), 'ERR_DER_TRUNCATED', 2);
    expectCode(() => new DerReader(bytes, 1, 3).next('x'), 'ERR_DER_TRUNCATED', 3);
  });

  it('tags', () => {
    const wrong = new DerReader(int(1));
    expect(reason(() => wrong.expect(TAG_SEQUENCE, 'tbs'))).toBe('tbs: expected SEQUENCE (0x30), received INTEGER (0x02)');
    expect(reason(() => new DerReader(tlv(0x24, tlv(0x04, b(1)))).expect(TAG_OCTET_STRING, 'key'))).toBe(
      'key: expected primitive OCTET STRING (0x04), received the constructed form (BER)',
    );
    // A constructed context tag is not "the constructed form" of a primitive context tag.
    expect(inputErrorOf(() => new DerReader(tlv(0xa0, int(1))).expect(0x80, 'x')).code).toBe('ERR_DER_UNEXPECTED_TAG');
    // SEQUENCE (0x30) for SET (0x31) and vice versa is a plain wrong tag.
    expect(inputErrorOf(() => new DerReader(seq()).expect(0x10, 'x')).code).toBe('ERR_DER_BER_ENCODING');
    expect(inputErrorOf(() => new DerReader(tlv(0x31)).expect(TAG_SEQUENCE, 'x')).code).toBe('ERR_DER_UNEXPECTED_TAG');
    expect(inputErrorOf(() => new DerReader(seq()).expect(0x20, 'x')).code).toBe('ERR_DER_UNEXPECTED_TAG');
  });

  it('tagName', () => {
    const names: readonly (readonly [number, string])[] = [
      [0x01, 'BOOLEAN (0x01)'], [0x02, 'INTEGER (0x02)'], [0x03, 'BIT STRING (0x03)'], [0x04, 'OCTET STRING (0x04)'],
      [0x05, 'NULL (0x05)'], [0x06, 'OBJECT IDENTIFIER (0x06)'], [0x0a, 'ENUMERATED (0x0a)'], [0x0c, 'UTF8String (0x0c)'],
      [0x12, 'NumericString (0x12)'], [0x13, 'PrintableString (0x13)'], [0x14, 'TeletexString (0x14)'], [0x16, 'IA5String (0x16)'],
      [0x17, 'UTCTime (0x17)'], [0x18, 'GeneralizedTime (0x18)'], [0x1a, 'VisibleString (0x1a)'], [0x1c, 'UniversalString (0x1c)'],
      [0x1e, 'BMPString (0x1e)'], [0x30, 'SEQUENCE (0x30)'], [0x31, 'SET (0x31)'],
      [0x80, '[0] (0x80)'], [0x82, '[2] (0x82)'], [0x9e, '[30] (0x9e)'], [0xa0, '[0] constructed (0xa0)'], [0xa3, '[3] constructed (0xa3)'],
      [0x00, 'tag 0x00'], [0x07, 'tag 0x07'], [0x42, 'tag 0x42'], [0x60, 'tag 0x60'], [0xc0, 'tag 0xc0'], [0xe1, 'tag 0xe1'], [0x20, 'tag 0x20'],
    ];
    for (const [tag, name] of names) expect(tagName(tag)).toBe(name);
    expect(contextTag(3)).toBe(0x83);
    expect(contextConstructed(3)).toBe(0xa3);
  });

  it('depth', () => {
    const bytes = nested(2, int(1));
    const r = new DerReader(bytes, 0, bytes.length, 0, 1);
    const l1 = r.enter(TAG_SEQUENCE, 'l1');
    expect(reason(() => l1.enter(TAG_SEQUENCE, 'l2'))).toBe('l2: expected nesting of at most 1 levels, received deeper');
    l1.pos = 2;
    l1.next('l2');
    expect(reason(() => l1.descend('l2'))).toBe('l2: expected nesting of at most 1 levels, received deeper');
    expect(inputErrorOf(() => l1.descend('l2')).offset).toBe(2);
  });

  it('values', () => {
    expect(reason(() => one(b(0x01, 0x02, 0, 0)).boolean('critical'))).toBe('critical: expected a 1-byte BOOLEAN, received 2 bytes');
    expect(reason(() => one(b(0x01, 0x01, 0x01)).boolean('critical'))).toBe('critical: expected BOOLEAN 0x00 or 0xFF (DER), received 0x01');
    expect(reason(() => one(b(0x02, 0x00)).integerBytes('serial'))).toBe('serial: expected at least one INTEGER content byte, received none');
    expect(reason(() => one(b(0x02, 0x02, 0x00, 0x7f)).integerBytes('serial'))).toBe('serial: expected a minimally encoded INTEGER (DER), received a redundant leading byte');
    expect(reason(() => one(int(b(0x01, 0, 0, 0, 0))).smallInteger('version'))).toBe('version: expected an INTEGER of at most 4 bytes, received 5 bytes');
    expect(reason(() => one(b(0x05, 0x01, 0x00)).nullValue('params'))).toBe('params: expected an empty NULL, received 1 bytes');
    expect(reason(() => one(b(0x03, 0x00)).checkBitString('key'))).toBe('key: expected a BIT STRING with an unused-bits octet, received none');
    expect(reason(() => one(b(0x03, 0x02, 0x08, 0x00)).checkBitString('key'))).toBe('key: expected 0 to 7 unused bits, received 8');
    expect(reason(() => one(b(0x03, 0x01, 0x01)).checkBitString('key'))).toBe('key: expected 0 unused bits in an empty BIT STRING, received 1');
    expect(reason(() => one(b(0x03, 0x02, 0x01, 0x01)).checkBitString('key'))).toBe('key: expected the unused bits to be zero (DER), received set bits');
  });

  it('INTEGER minimality: the second byte decides (00 7f / 00 80, ff 7f / ff 80)', () => {
    expect(one(int(b(0x00, 0x80))).integerBytes('i')).toEqual(b(0x00, 0x80));
    expect(one(int(b(0xff, 0x7f))).integerBytes('i')).toEqual(b(0xff, 0x7f));
    expect(one(int(b(0x00))).integerBytes('i')).toEqual(b(0x00));
    expect(one(int(b(0xff))).integerBytes('i')).toEqual(b(0xff));
    expect(one(int(b(0x01, 0x00))).integerBytes('i')).toEqual(b(0x01, 0x00));
    expect(one(int(b(0xfe, 0xff))).integerBytes('i')).toEqual(b(0xfe, 0xff));
    expectCode(() => one(int(b(0x00, 0x7f))).integerBytes('i'), 'ERR_DER_BER_ENCODING', 2);
    expectCode(() => one(int(b(0xff, 0x80))).integerBytes('i'), 'ERR_DER_BER_ENCODING', 2);
    // checkInteger alone (without copying the bytes) applies the same rules.
    expect(() => one(int(b(0x00, 0x80))).checkInteger('i')).not.toThrow();
    expectCode(() => one(int(b(0x00, 0x00))).checkInteger('i'), 'ERR_DER_BER_ENCODING', 2);
  });

  it('smallInteger of 1 to 4 bytes, positive and negative', () => {
    expect(one(int(b(0x80, 0x00))).smallInteger('i')).toBe(-32768);
    expect(one(int(b(0x80, 0x00, 0x00))).smallInteger('i')).toBe(-(2 ** 23));
    expect(one(int(b(0x7f, 0xff, 0xff))).smallInteger('i')).toBe(2 ** 23 - 1);
    expect(one(int(b(0x00, 0xff, 0xff, 0xff))).smallInteger('i')).toBe(2 ** 24 - 1);
    expect(one(int(b(0xff, 0x00, 0x00, 0x00))).smallInteger('i')).toBe(-(2 ** 24));
  });

  it('BIT STRING unused bits: only the low `unused` bits of the last byte must be zero', () => {
    expect(one(bits(b(0xff, 0xfe), 1)).checkBitString('s')).toBe(1);
    expect(one(bits(b(0x80), 7)).checkBitString('s')).toBe(7);
    expectCode(() => one(bits(b(0x40), 7)).checkBitString('s'), 'ERR_DER_BER_ENCODING', 3);
    expect(one(bits(b(0x01), 0)).checkBitString('s')).toBe(0);
    expect(one(b(0x03, 0x01, 0x00)).checkBitString('s')).toBe(0);
    expect(one(b(0x03, 0x02, 0x07, 0x80)).checkBitString('s')).toBe(7);
  });
});

describe('descend / ascend / only', () => {
  it('descend enters in place and ascend steps back out, checking the inside was read to its end', () => {
    const bytes = concat(seq(int(1), int(2)), int(3));
    const r = new DerReader(bytes);
    r.expect(TAG_SEQUENCE, 's');
    const outer = r.descend('s');
    expect(outer).toBe(bytes.length);
    expect([r.depth, r.pos, r.end]).toEqual([1, 2, 8]);
    r.next('a');
    expect(reason(() => r.ascend(outer, 's'))).toBe('s: expected no more data, received 3 trailing bytes');
    r.next('b');
    r.ascend(outer, 's');
    expect([r.depth, r.pos, r.end]).toEqual([0, 8, bytes.length]);
    expect(r.smallInteger('b')).toBe(2);
    r.next('c');
    expect(r.smallInteger('c')).toBe(3);
    expect(r.done).toBe(true);
  });

  it('only() reads the one element, refuses more, and enters it', () => {
    const r = new DerReader(seq(int(5))).only(TAG_SEQUENCE, 'wrapper');
    expect(r.depth).toBe(1);
    r.expect(TAG_INTEGER, 'n');
    expect(r.smallInteger('n')).toBe(5);
    expectCode(() => new DerReader(concat(seq(int(5)), int(6))).only(TAG_SEQUENCE, 'wrapper'), 'ERR_DER_TRAILING_DATA', 5);
    expectCode(() => new DerReader(int(5)).only(TAG_SEQUENCE, 'wrapper'), 'ERR_DER_UNEXPECTED_TAG', 0);
    const deep = new DerReader(seq(int(5)), 0, 5, 0, 0);
    expectCode(() => deep.only(TAG_SEQUENCE, 'wrapper'), 'ERR_DER_TOO_DEEP', 0);
  });

  it('child() readers carry depth and maxDepth', () => {
    const bytes = nested(3, int(1));
    const r = new DerReader(bytes, 0, bytes.length, 0, 2);
    const c1 = r.enter(TAG_SEQUENCE, 'a');
    expect([c1.depth, c1.maxDepth, c1.pos, c1.end]).toEqual([1, 2, 2, bytes.length]);
    const c2 = c1.enter(TAG_SEQUENCE, 'b');
    expect([c2.depth, c2.maxDepth]).toEqual([2, 2]);
    expectCode(() => c2.enter(TAG_SEQUENCE, 'c'), 'ERR_DER_TOO_DEEP', 4);
  });

  const reason = (fn: () => unknown): string => inputErrorOf(fn).reason;
});

describe('OBJECT IDENTIFIER fast path (3 bytes 55 xx yy) and its edges', () => {
  const read = (...content: number[]): string => one(tlv(0x06, Uint8Array.from(content))).oid('o');

  it('reads 2.5.x.y for two one-byte arcs, each pair its own string', () => {
    const pairs: readonly (readonly [number, number])[] = [[4, 3], [3, 4], [29, 19], [19, 29], [0, 0], [0, 1], [1, 0], [127, 127], [127, 0], [0, 127], [4, 6], [6, 4]];
    for (let round = 0; round < 2; round++) {
      for (const [x, y] of pairs) expect(read(0x55, x, y)).toBe(`2.5.${x}.${y}`);
    }
  });

  it('55 80 01: a leading 0x80 in the second arc → ERR_DER_BER_ENCODING at that byte', () => {
    const e = inputErrorOf(() => read(0x55, 0x80, 0x01));
    expect([e.code, e.offset, e.reason]).toEqual(['ERR_DER_BER_ENCODING', 3, 'o: expected minimal OBJECT IDENTIFIER arcs (DER), received a leading 0x80']);
  });

  it('55 04 80: a last byte with the continuation bit → ERR_DER_INVALID_VALUE (truncated last arc)', () => {
    const e = inputErrorOf(() => read(0x55, 0x04, 0x80));
    expect([e.code, e.offset, e.reason]).toEqual(['ERR_DER_INVALID_VALUE', 2, 'o: expected a complete OBJECT IDENTIFIER, received a truncated last arc']);
    expect(inputErrorOf(() => read(0x55, 0x04, 0xff)).code).toBe('ERR_DER_INVALID_VALUE');
  });

  it('55 81 00 and 55 81 7f: a two-byte arc is not the fast path', () => {
    expect(read(0x55, 0x81, 0x00)).toBe('2.5.128');
    expect(read(0x55, 0x81, 0x7f)).toBe('2.5.255');
    expect(read(0x55, 0xff, 0x7f)).toBe('2.5.16383');
  });

  it('other 3-byte OIDs, and 2.5 OIDs of other lengths, are not the fast path', () => {
    expect(read(0x2a, 0x03, 0x04)).toBe('1.2.3.4');
    expect(read(0x56, 0x04, 0x03)).toBe('2.6.4.3');
    expect(read(0x54, 0x04, 0x03)).toBe('2.4.4.3');
    expect(read(0x55, 0x04)).toBe('2.5.4');
    expect(read(0x55)).toBe('2.5');
    expect(read(0x55, 0x1d, 0x13, 0x01)).toBe('2.5.29.19.1');
    expect(read(0x55, 0x04, 0x03, 0x00)).toBe('2.5.4.3.0');
  });

  it('the first arc: 0 below 40, 1 below 80, 2 from 80 (X.690 §8.19.4)', () => {
    expect(read(0x00)).toBe('0.0');
    expect(read(0x27)).toBe('0.39');
    expect(read(0x28)).toBe('1.0');
    expect(read(0x4f)).toBe('1.39');
    expect(read(0x50)).toBe('2.0');
    expect(read(0x81, 0x00)).toBe('2.48');
    expect(read(0x7f, 0x01)).toBe('2.47.1');
  });

  it('arcs near the 2^46 bound', () => {
    // 2^46 - 1 fits; 2^46 * 128 does not.
    expect(one(tlv(0x06, oidContent(`1.2.${2 ** 46 - 1}`))).oid('o')).toBe(`1.2.${2 ** 46 - 1}`);
    const big = inputErrorOf(() => one(tlv(0x06, oidContent(`1.2.${2n ** 53n}`))).oid('o'));
    expect([big.code, big.offset, big.reason]).toEqual(['ERR_DER_INVALID_VALUE', 2, 'o: expected OBJECT IDENTIFIER arcs below 2^46, received a larger one']);
    expect(inputErrorOf(() => one(b(0x06, 0x00)).oid('o')).reason).toBe('o: expected a non-empty OBJECT IDENTIFIER, received an empty one');
  });

  it('a leading 0x80 is refused at the start of any arc, also in a cached OID', () => {
    expectCode(() => read(0x2a, 0x86, 0x48, 0x80, 0x01), 'ERR_DER_BER_ENCODING', 5);
    expectCode(() => read(0x2a, 0x86, 0x48, 0x80, 0x01), 'ERR_DER_BER_ENCODING', 5);
    expect(read(0x2a, 0x86, 0x48, 0x01)).toBe('1.2.840.1');
  });

  it('reads the same OID at another offset (the cache compares bytes, not positions)', () => {
    const two = concat(oid('1.2.840.113549.1.1.11'), oid('1.2.840.113549.1.1.12'), oid('1.2.840.113549.1.1.11'));
    const r = new DerReader(two);
    const got: string[] = [];
    while (!r.done) {
      r.next('o');
      got.push(r.oid('o'));
    }
    expect(got).toEqual(['1.2.840.113549.1.1.11', '1.2.840.113549.1.1.12', '1.2.840.113549.1.1.11']);
  });
});

describe('times: digits, the Z, trailing bytes, the 1950 pivot, messages', () => {
  const t = (tlvBytes: Uint8Array): number => one(tlvBytes).time('notBefore');
  const reason = (tlvBytes: Uint8Array): string => inputErrorOf(() => t(tlvBytes)).reason;

  it('UTCTime YY >= 50 is 19YY, YY < 50 is 20YY (RFC 5280 §4.1.2.5.1)', () => {
    expect(t(utcTime('500101000000Z'))).toBe(Date.UTC(1950, 0, 1));
    expect(t(utcTime('491231235959Z'))).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
    expect(t(utcTime('510101000000Z'))).toBe(Date.UTC(1951, 0, 1));
    expect(t(utcTime('481231000000Z'))).toBe(Date.UTC(2048, 11, 31));
    expect(t(utcTime('990101000000Z'))).toBe(Date.UTC(1999, 0, 1));
    expect(t(utcTime('000101000000Z'))).toBe(Date.UTC(2000, 0, 1));
    expect(t(genTime('19500101000000Z'))).toBe(Date.UTC(1950, 0, 1));
    expect(t(genTime('20491231235959Z'))).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
  });

  it('reads every field at its place', () => {
    expect(t(utcTime('240203040506Z'))).toBe(Date.UTC(2024, 1, 3, 4, 5, 6));
    expect(t(genTime('12340203040506Z'))).toBe(new Date(0).setUTCFullYear(1234, 1, 3) + ((4 * 60 + 5) * 60 + 6) * 1000);
    expect(t(utcTime('241231235959Z'))).toBe(Date.UTC(2024, 11, 31, 23, 59, 59));
    expect(t(genTime('00000101000000Z'))).toBe(new Date(0).setUTCFullYear(0, 0, 1));
  });

  it('the largest value of each field is accepted, one more is refused', () => {
    expect(t(utcTime('241231000000Z'))).toBe(Date.UTC(2024, 11, 31));
    expect(t(utcTime('240101230000Z'))).toBe(Date.UTC(2024, 0, 1, 23));
    expect(t(utcTime('240101005900Z'))).toBe(Date.UTC(2024, 0, 1, 0, 59));
    expect(t(utcTime('240101000059Z'))).toBe(Date.UTC(2024, 0, 1, 0, 0, 59));
    expect(t(utcTime('240430000000Z'))).toBe(Date.UTC(2024, 3, 30));
    expect(t(utcTime('230228000000Z'))).toBe(Date.UTC(2023, 1, 28));
    for (const text of ['241232000000Z', '240431000000Z', '230229000000Z', '241301000000Z', '240101240000Z', '240101006000Z', '240101000060Z', '240001000000Z', '240100000000Z']) {
      expect(reason(utcTime(text))).toBe(`notBefore: expected a valid calendar time, received '${text}'`);
    }
  });

  it('a non-digit in each field → "expected a digit", naming it (including / and : next to the digits)', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['/40101000000Z', '/'], ['2:0101000000Z', ':'], ['24a101000000Z', 'a'], ['240 01000000Z', ' '], ['24010/000000Z', '/'], ['240101:00000Z', ':'],
      ['2401010x0000Z', 'x'], ['24010100-000Z', '-'], ['240101000+00Z', '+'], ['2401010000.0Z', '.'], ['24010100000:Z', ':'],
    ];
    for (const [text, bad] of cases) {
      const e = inputErrorOf(() => t(utcTime(text)));
      expect([e.code, e.offset, e.reason]).toEqual(['ERR_DER_INVALID_VALUE', 2, `notBefore: expected a digit, received '${bad}'`]);
    }
    for (const [text, bad] of [['2/240101000000Z', '/'], ['20:40101000000Z', ':'], ['202x0101000000Z', 'x'], ['2024010100000/Z', '/']] as const) {
      expect(reason(genTime(text))).toBe(`notBefore: expected a digit, received '${bad}'`);
    }
  });

  it('a missing Z at the right length, a trailing byte, a missing byte', () => {
    expect(reason(utcTime('2401010000001'))).toBe("notBefore: expected UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1), received '2401010000001'");
    expect(reason(utcTime('240101000000Z0'))).toBe("notBefore: expected UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1), received '240101000000Z0'");
    expect(reason(utcTime('24010100000Z'))).toBe("notBefore: expected UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1), received '24010100000Z'");
    expect(reason(genTime('202401010000001'))).toBe("notBefore: expected GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2), received '202401010000001'");
    expect(reason(genTime('20240101000000Z0'))).toBe("notBefore: expected GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2), received '20240101000000Z0'");
    expect(reason(genTime('2024010100000Z'))).toBe("notBefore: expected GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2), received '2024010100000Z'");
    // A GeneralizedTime body in a UTCTime and the other way round.
    expect(inputErrorOf(() => t(utcTime('20240101000000Z'))).code).toBe('ERR_DER_INVALID_VALUE');
    expect(inputErrorOf(() => t(genTime('240101000000Z'))).code).toBe('ERR_DER_INVALID_VALUE');
  });

  it('quotes at most 40 characters, with … when cut, and ? for non-printable bytes', () => {
    const forty = '2'.repeat(40);
    expect(reason(tlv(TAG_GENERALIZED_TIME, latin1(forty)))).toBe(`notBefore: expected GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2), received '${forty}'`);
    expect(reason(tlv(TAG_GENERALIZED_TIME, latin1(forty + '3')))).toBe(`notBefore: expected GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2), received '${forty}…'`);
    expect(reason(tlv(TAG_UTC_TIME, b(0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, 0x00, 0x41)))).toBe(
      "notBefore: expected UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1), received '? ~????A'",
    );
  });

  it('a time read at an offset quotes its own bytes', () => {
    const v = new DerReader(seq(utcTime('240101000000Z'), utcTime('240230000000Z'))).enter(TAG_SEQUENCE, 'validity');
    v.next('notBefore');
    v.next('notAfter');
    const e = inputErrorOf(() => v.time('notAfter'));
    expect([e.offset, e.reason]).toEqual([19, "notAfter: expected a valid calendar time, received '240230000000Z'"]);
  });

  it('a non-time tag names the tag, at the element', () => {
    const e = inputErrorOf(() => t(int(5)));
    expect([e.code, e.offset, e.reason]).toEqual(['ERR_DER_UNEXPECTED_TAG', 0, 'notBefore: expected UTCTime or GeneralizedTime, received INTEGER (0x02)']);
  });
});

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

describe('reader edges', () => {
  it('before the first next(), tag is -1', () => {
    expect(new DerReader(int(1)).tag).toBe(-1);
  });

  it('descend() allows exactly maxDepth levels, like child()', () => {
    const bytes = nested(2, int(1));
    const r = new DerReader(bytes, 0, bytes.length, 0, 2);
    r.expect(TAG_SEQUENCE, 'a');
    r.descend('a');
    r.expect(TAG_SEQUENCE, 'b');
    r.descend('b');
    expect(r.depth).toBe(2);
    r.expect(TAG_INTEGER, 'c');
    expect(r.smallInteger('c')).toBe(1);
    const one = new DerReader(bytes, 0, bytes.length, 0, 1);
    one.next('a');
    one.descend('a');
    one.next('b');
    expectCode(() => one.descend('b'), 'ERR_DER_TOO_DEEP', 2);
  });

  it('a 1-byte INTEGER is minimal whatever byte follows it', () => {
    const r = new DerReader(concat(int(0), int(5), int(-1), int(-128), tlv(0x02, b(0x00)), b(0x7f)));
    r.next('a');
    expect(r.integerBytes('a')).toEqual(b(0x00));
    r.next('b');
    expect(r.smallInteger('b')).toBe(5);
    r.next('c');
    expect(r.integerBytes('c')).toEqual(b(0xff));
    r.next('d');
    expect(r.smallInteger('d')).toBe(-128);
    const zeroThenLow = new DerReader(b(0x02, 0x01, 0x00, 0x01, 0x01, 0xff));
    zeroThenLow.next('z');
    expect(zeroThenLow.smallInteger('z')).toBe(0);
    const ffThenHigh = new DerReader(b(0x02, 0x01, 0xff, 0x80));
    ffThenHigh.next('f');
    expect(ffThenHigh.smallInteger('f')).toBe(-1);
  });
});
