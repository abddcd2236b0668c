// Base64 (RFC 4648 §4): the §10 test vectors, strict decoding (one accepted encoding per byte
// string, §3.5), and agreement with Node's Buffer on random bytes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeBase64Into, encodeBase64, isBase64Alphabet } from '../src/encoding/base64.ts';
import { GraphMtlsError } from '../src/errors.ts';
import { latin1Bytes } from '../../../test/fixtures/der-builder.ts';
import { codeOf } from '../../../test/helpers.ts';

const nodeB64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

// RFC 4648 §10.
const VECTORS: readonly (readonly [string, string])[] = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];

describe('RFC 4648 §10 test vectors', () => {
  it.each(VECTORS)('encodes %j as %j', (plain, encoded) => {
    expect(encodeBase64(latin1Bytes(plain))).toBe(encoded);
  });
  it.each(VECTORS)('decodes %j from %j', (plain, encoded) => {
    expect(decodeBase64(encoded)).toEqual(latin1Bytes(plain));
  });
});

describe('encodeBase64', () => {
  it('encodes every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(encodeBase64(all)).toBe(nodeB64(all));
  });

  it('encodes inputs larger than its internal chunk (8192 characters) the same as Buffer', () => {
    for (const n of [6143, 6144, 6145, 6146, 100_000, 1_000_001]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
      expect(encodeBase64(bytes)).toBe(nodeB64(bytes));
    }
  });

  it('encodes a subarray view (not the whole underlying buffer)', () => {
    const buf = latin1Bytes('xxfoobaryy');
    expect(encodeBase64(buf.subarray(2, 8))).toBe('Zm9vYmFy');
  });
});

describe('decodeBase64 strictness (RFC 4648 §3.3, §3.5): each → ERR_BASE64_INVALID', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['space between quanta', 'Zm9v YmFy'],
    ['space inside a quantum (length still a multiple of 4)', 'Zm9 YmFy'],
    ['newline at a quantum boundary', 'Zm9v\nYmFy'],
    ['CRLF', 'Zm9v\r\nYmFy'],
    ['tab', 'Zm9v\tYmF'],
    ['leading space', ' Zm9vYmF'],
    ['trailing newline', 'Zm9vYmE=\n'],
    ["base64url '-'", 'Zm9-'],
    ["base64url '_'", 'Zm9_'],
    ["base64url '-' in first position", '-m9v'],
    ['missing padding (2 chars)', 'Zg'],
    ['missing padding (3 chars)', 'Zm8'],
    ['missing one of two pads', 'Zg='],
    ['padding in the middle', 'Zg==Zm9v'],
    ['single pad in the middle', 'Zm8=Zm9v'],
    ["'=' in the second position", 'Z=9v'],
    ["'=' in the first position", '=Zm9'],
    ["'=' in the third position only", 'Zm=v'],
    ['all padding', '===='],
    ['three pads', 'Z==='],
    ['too much padding', 'Zg==='],
    ['non-zero trailing bits before ==', 'Zh=='],
    ['non-zero trailing bits before == (last bit)', 'ZB=='],
    ['non-zero trailing bits before =', 'Zm9='],
    ['non-zero trailing bits before = (low bit)', 'Zm+='],
    ['non-ASCII letter', 'Zm9é'],
    ['non-ASCII in first position', 'ñm9v'],
    ['full-width letter', 'Ｚm9v'],
    ['NUL', 'Zm9\u0000'],
    ['lone surrogate', 'Zm9\ud800'],
    ['emoji (two UTF-16 units)', 'Zm😀'],
    ['punctuation', 'Zm9.'],
    ['a stray 1-char tail', 'Zm9vY'],
  ];
  it.each(cases)('%s', (_name, text) => {
    expect(codeOf(() => decodeBase64(text))).toBe('ERR_BASE64_INVALID');
  });

  it('accepts the minimal padded forms whose unused bits are zero', () => {
    expect(decodeBase64('AA==')).toEqual(Uint8Array.of(0));
    expect(decodeBase64('AAA=')).toEqual(Uint8Array.of(0, 0));
    expect(decodeBase64('/w==')).toEqual(Uint8Array.of(0xff));
    expect(decodeBase64('//8=')).toEqual(Uint8Array.of(0xff, 0xff));
    expect(decodeBase64('++++')).toEqual(Uint8Array.of(0xfb, 0xef, 0xbe));
  });

  it('the error is a GraphMtlsError with a reason (and the caller-given subject)', () => {
    try {
      decodeBase64('Zm9-', 'certificate property');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphMtlsError);
      const e = error as GraphMtlsError;
      expect(e.code).toBe('ERR_BASE64_INVALID');
      expect(e.reason.startsWith('certificate property:')).toBe(true);
    }
  });

  it('does not echo long input in the message', () => {
    const text = 'QUJD'.repeat(10_000) + '!';
    try {
      decodeBase64(text);
      expect.unreachable();
    } catch (error) {
      expect((error as GraphMtlsError).message.length).toBeLessThan(300);
    }
  });
});

describe('decodeBase64Into', () => {
  it('decodes a slice into an offset and reports the problem position in the text', () => {
    const out = new Uint8Array(10);
    expect(decodeBase64Into('xxZm9vYmFyxx', 2, 10, out, 3)).toBe(6);
    expect(out.subarray(3, 9)).toEqual(latin1Bytes('foobar'));
    const problem = decodeBase64Into('Zm9vYm-y', 0, 8, out, 0);
    expect(problem).toMatchObject({ at: 6 });
    expect(decodeBase64Into('Zm9vY', 0, 5, out, 0)).toMatchObject({ at: -1 });
  });
});

describe('isBase64Alphabet', () => {
  it('is true exactly for A-Z a-z 0-9 + / =', () => {
    for (let c = 0; c < 300; c++) {
      const ch = String.fromCharCode(c);
      expect(isBase64Alphabet(c)).toBe(/^[A-Za-z0-9+/=]$/.test(ch));
    }
  });
});

describe('properties', () => {
  it('encode matches Buffer and decode(encode(bytes)) round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(nodeB64(bytes));
        expect(decodeBase64(text)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('decode agrees with Buffer on canonical text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = nodeB64(bytes);
        expect(new Uint8Array(decodeBase64(text))).toEqual(new Uint8Array(Buffer.from(text, 'base64')));
      }),
    );
  });

  it('exactly one accepted encoding: whatever decodes re-encodes to the same text', () => {
    const char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n'.split(''));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 24 }).map((a) => a.join('')), (text) => {
        let bytes: Uint8Array;
        try {
          bytes = decodeBase64(text);
        } catch (error) {
          expect((error as GraphMtlsError).code).toBe('ERR_BASE64_INVALID');
          return;
        }
        expect(encodeBase64(bytes)).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it('a single-character mutation of a valid encoding is either refused or a different canonical encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.integer({ min: 0, max: 127 }), (bytes, pos, code) => {
        const text = encodeBase64(bytes);
        const i = pos % text.length;
        const mutated = text.slice(0, i) + String.fromCharCode(code) + text.slice(i + 1);
        let decoded: Uint8Array;
        try {
          decoded = decodeBase64(mutated);
        } catch (error) {
          expect((error as GraphMtlsError).code).toBe('ERR_BASE64_INVALID');
          return;
        }
        expect(encodeBase64(decoded)).toBe(mutated);
      }),
      { numRuns: 3000 },
    );
  });
});
