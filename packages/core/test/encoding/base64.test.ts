// Base64 (RFC 4648 §4): the §10 test vectors, strict decoding (one accepted encoding per byte
// string, §3.5), and agreement with Node's Buffer on random bytes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DECODE,
  QUAD_0,
  QUAD_1,
  QUAD_2,
  QUAD_3,
  decodeBase64,
  decodeBase64Into,
  decodeBase64Lenient,
  decodeBase64Url,
  decodedLength,
  describeBase64Problem,
  encodeBase64,
  isBase64Alphabet,
} from '../../src/encoding/base64.ts';
import { GraphMtlsError } from '../../src/errors.ts';
import { latin1Bytes } from '@graph-mtls/test/fixtures/der-builder.ts';
import { codeOf, inputErrorOf } from '@graph-mtls/test/helpers.ts';

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

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PREFIX = 'base64 text: expected standard padded base64 (RFC 4648 §4), received ';

/** The reason decodeBase64 gives for `text`. */
function reasonOf(text: string, what?: string): string {
  return inputErrorOf(() => (what === undefined ? decodeBase64(text) : decodeBase64(text, what))).reason;
}

describe('decodeBase64 names the problem and its position (1-based character)', () => {
  // A bad character in each position of a quantum, in the last quantum (with and without
  // padding) and in a later one.
  const cases: readonly (readonly [string, string])[] = [
    ['\u00e9AAA', 'character U+00E9 at character 1'],
    ['A\u00e9AA', 'character U+00E9 at character 2'],
    ['AA\u00e9A', 'character U+00E9 at character 3'],
    ['AAA\u00e9', 'character U+00E9 at character 4'],
    ['AA\u00e9=', 'character U+00E9 at character 3'],
    ['\u0080AAA', 'character U+0080 at character 1'],
    ['A\u0080AA', 'character U+0080 at character 2'],
    ['AA\u0080A', 'character U+0080 at character 3'],
    ['AAA\u0080', 'character U+0080 at character 4'],
    ['AA\u0080=', 'character U+0080 at character 3'],
    ['\u0080A==', 'character U+0080 at character 1'],
    ['A\u0080==', 'character U+0080 at character 2'],
    ['AAAA\u00ffAAA', 'character U+00FF at character 5'],
    ['AAAAA\u00ffAA', 'character U+00FF at character 6'],
    ['AAAAAA\u00ffA', 'character U+00FF at character 7'],
    ['AAAAAAA\u00ff', 'character U+00FF at character 8'],
    ['AAA\u0100', 'character U+0100 at character 4'],
    ['AAA\ud800', 'character U+D800 at character 4'],
    ['AAA\u007f', 'character U+007F at character 4'],
    ['AAA\u001f', 'character U+001F at character 4'],
    ['AAA\u0000', 'character U+0000 at character 4'],
    ['.AAA', "character '.' at character 1"],
    ['A.AA', "character '.' at character 2"],
    ['AA.A', "character '.' at character 3"],
    ['AAA.', "character '.' at character 4"],
    ['AA.=', "character '.' at character 3"],
    ['AAA!', "character '!' at character 4"],
    ['AAA~', "character '~' at character 4"],
    ['AAA"', `character '"' at character 4`],
    ['-AAA', "base64url character '-' at character 1"],
    ['A_AA', "base64url character '_' at character 2"],
    ['AA-A', "base64url character '-' at character 3"],
    ['AAA_', "base64url character '_' at character 4"],
    ['AA_=', "base64url character '_' at character 3"],
    [' AAA', 'whitespace at character 1'],
    ['A\tAA', 'whitespace at character 2'],
    ['AA\nA', 'whitespace at character 3'],
    ['AAA\r', 'whitespace at character 4'],
    ['=AAA', "padding '=' before the end at character 1"],
    ['A=AA', "padding '=' before the end at character 2"],
    ['AA=A', "padding '=' before the end at character 3"],
    ['====', "padding '=' before the end at character 1"],
    ['A===', "padding '=' before the end at character 2"],
    ['AAA=AAAA', "padding '=' before the end at character 4"],
    ['AA==AAAA', "padding '=' before the end at character 4"],
    ['AAAAAA==AAAA', "padding '=' before the end at character 8"],
    ['AB==', 'non-zero bits before the padding at character 2'],
    ['AP==', 'non-zero bits before the padding at character 2'],
    ['AI==', 'non-zero bits before the padding at character 2'],
    ['AAB=', 'non-zero bits before the padding at character 3'],
    ['AAC=', 'non-zero bits before the padding at character 3'],
    ['AAAAAAB=', 'non-zero bits before the padding at character 7'],
    ['A', 'length 1 is not a multiple of 4'],
    ['AAAAAA', 'length 6 is not a multiple of 4'],
    ['AAAAAAA', 'length 7 is not a multiple of 4'],
    ['AAA=A', 'length 5 is not a multiple of 4'],
  ];
  it.each(cases)('%j: %s', (text, problem) => {
    const e = inputErrorOf(() => decodeBase64(text));
    expect(e.code).toBe('ERR_BASE64_INVALID');
    expect(e.reason).toBe(PREFIX + problem);
    expect(e.offset).toBeUndefined();
  });

  it('puts the caller-given subject first', () => {
    expect(reasonOf('AAA.', 'certificate property')).toBe("certificate property: expected standard padded base64 (RFC 4648 §4), received character '.' at character 4");
  });

  it('accepts the zero unused bits before the padding, in every padded form', () => {
    // 'A', 'Q', 'g', 'w' are the four characters whose low 4 bits are zero; low 2 bits: 'A', 'E', 'I', ….
    for (const c of 'AQgw') expect(decodeBase64(`A${c}==`)).toEqual(Uint8Array.of(DECODE[c.charCodeAt(0)]! >> 4));
    for (const c of 'AEIMQUYcgkosw048') expect(decodeBase64(`AA${c}=`)).toEqual(Uint8Array.of(0, DECODE[c.charCodeAt(0)]! >> 2));
  });

  it('decodes every character in every position of a quantum', () => {
    for (let i = 0; i < 64; i++) {
      const c = ALPHABET[i]!;
      const bytes = Uint8Array.of(i << 2, 0, 0);
      expect(decodeBase64(`${c}AAA`)).toEqual(bytes);
      expect(decodeBase64(`A${c}AA`)).toEqual(Uint8Array.of(i >> 4, (i & 15) << 4, 0));
      expect(decodeBase64(`AA${c}A`)).toEqual(Uint8Array.of(0, i >> 2, (i & 3) << 6));
      expect(decodeBase64(`AAA${c}`)).toEqual(Uint8Array.of(0, 0, i));
      expect(decodeBase64(`${c}A==`)).toEqual(Uint8Array.of(i << 2 & 0xff));
      expect(decodeBase64(`${c}AA=`)).toEqual(Uint8Array.of(i << 2 & 0xff, 0));
    }
  });

  it('decodes the last quantum after full ones (padded with one or two =)', () => {
    expect(decodeBase64('Zm9vYg==')).toEqual(latin1Bytes('foob'));
    expect(decodeBase64('Zm9vYmE=')).toEqual(latin1Bytes('fooba'));
    expect(decodeBase64('//8=')).toEqual(Uint8Array.of(0xff, 0xff));
    expect(decodeBase64('/w==')).toEqual(Uint8Array.of(0xff));
    expect(decodeBase64('////')).toEqual(Uint8Array.of(0xff, 0xff, 0xff));
  });
});

describe('decodeBase64Into offsets', () => {
  it('reads text[start, end) only and writes at outOffset, returning the count written', () => {
    const out = new Uint8Array(12).fill(0xee);
    expect(decodeBase64Into('..Zm9vYmFy..', 2, 10, out, 3)).toBe(6);
    expect(out).toEqual(Uint8Array.of(0xee, 0xee, 0xee, 0x66, 0x6f, 0x6f, 0x62, 0x61, 0x72, 0xee, 0xee, 0xee));
  });

  it('returns the count (not the end offset) for padded input too', () => {
    const out = new Uint8Array(12).fill(0xee);
    expect(decodeBase64Into('..Zm9vYg==..', 2, 10, out, 5)).toBe(4);
    expect(out.subarray(5, 9)).toEqual(latin1Bytes('foob'));
    expect(out[9]).toBe(0xee);
    expect(decodeBase64Into('xZm8=', 1, 5, out, 2)).toBe(2);
    expect(out.subarray(2, 4)).toEqual(latin1Bytes('fo'));
    expect(decodeBase64Into('xxxZg==', 3, 7, out, 7)).toBe(1);
    expect(out[7]).toBe(0x66);
  });

  it('an empty range writes nothing', () => {
    const out = new Uint8Array(3);
    expect(decodeBase64Into('Zm9v', 2, 2, out, 0)).toBe(0);
    expect(out).toEqual(new Uint8Array(3));
  });

  it('a problem gives its index in the whole text, not in the range', () => {
    const out = new Uint8Array(12);
    expect(decodeBase64Into('..Zm9vYm-y..', 2, 10, out, 0)).toEqual({ at: 8, reason: "base64url character '-'" });
    expect(decodeBase64Into('.....AAB=', 5, 9, out, 0)).toEqual({ at: 7, reason: 'non-zero bits before the padding' });
    expect(decodeBase64Into('.....AB==', 5, 9, out, 0)).toEqual({ at: 6, reason: 'non-zero bits before the padding' });
    expect(decodeBase64Into('..AA==AAAA', 2, 10, out, 0)).toEqual({ at: 5, reason: "padding '=' before the end" });
    expect(decodeBase64Into('..AAA=AAAA', 2, 10, out, 0)).toEqual({ at: 5, reason: "padding '=' before the end" });
    expect(decodeBase64Into('xAAAA.', 1, 6, out, 0)).toEqual({ at: -1, reason: 'length 5 is not a multiple of 4' });
  });

  it('a range ending in padding before the end of the text is fine (the padding check is against end)', () => {
    const out = new Uint8Array(3);
    expect(decodeBase64Into('Zg==Zg==', 0, 4, out, 0)).toBe(1);
    expect(out[0]).toBe(0x66);
  });

  it('describeBase64Problem words a problem as decodeBase64 does', () => {
    expect(describeBase64Problem('', { at: -1, reason: 'length 5 is not a multiple of 4' })).toBe('received length 5 is not a multiple of 4');
    expect(describeBase64Problem('', { at: 0, reason: 'whitespace' })).toBe('received whitespace at character 1');
    expect(describeBase64Problem('', { at: 9, reason: 'whitespace' })).toBe('received whitespace at character 10');
  });
});

describe('decodedLength', () => {
  it('is 3 bytes per 4 characters', () => {
    expect(decodedLength(0)).toBe(0);
    expect(decodedLength(4)).toBe(3);
    expect(decodedLength(400)).toBe(300);
  });
});

describe('decode tables (used by the PEM fast path)', () => {
  it('DECODE maps each alphabet character to its value and everything else below 128 to -1', () => {
    expect(DECODE.length).toBe(128);
    for (let c = 0; c < 128; c++) expect(DECODE[c]).toBe(ALPHABET.indexOf(String.fromCharCode(c)));
  });

  it('QUAD_0..3 OR together to the 24-bit group of a valid quad, and to a negative number with any other character', () => {
    for (let i = 0; i < 64; i++) {
      const c = ALPHABET.charCodeAt(i);
      expect([QUAD_0[c], QUAD_1[c], QUAD_2[c], QUAD_3[c]]).toEqual([i << 18, i << 12, i << 6, i]);
    }
    for (let c = 0; c < 256; c++) {
      if (ALPHABET.includes(String.fromCharCode(c))) continue;
      expect([QUAD_0[c], QUAD_1[c], QUAD_2[c], QUAD_3[c]]).toEqual([-1, -1, -1, -1]);
    }
    expect([QUAD_0.length, QUAD_1.length, QUAD_2.length, QUAD_3.length]).toEqual([256, 256, 256, 256]);
  });
});

describe('decodeBase64Url (RFC 4648 §5, unpadded, RFC 7515 §2)', () => {
  it("decodes '-' and '_' (every occurrence) as '+' and '/'", () => {
    expect(decodeBase64Url('--__')).toEqual(Uint8Array.of(0xfb, 0xef, 0xff));
    expect(decodeBase64Url('_-8')).toEqual(Uint8Array.of(0xff, 0xef));
    expect(decodeBase64Url('-_8')).toEqual(Uint8Array.of(0xfb, 0xff));
  });

  it('adds the padding itself for each length', () => {
    expect(decodeBase64Url('')).toEqual(new Uint8Array(0));
    expect(decodeBase64Url('Zg')).toEqual(latin1Bytes('f'));
    expect(decodeBase64Url('Zm8')).toEqual(latin1Bytes('fo'));
    expect(decodeBase64Url('Zm9v')).toEqual(latin1Bytes('foo'));
    expect(decodeBase64Url('Zm9vYg')).toEqual(latin1Bytes('foob'));
    expect(decodeBase64Url('Zm9vYmE')).toEqual(latin1Bytes('fooba'));
  });

  it.each([
    ['+', 'a+bc'],
    ['/', 'ab/c'],
    ['= padding', 'Zg=='],
    ['one =', 'Zm8='],
    ['+ at the start', '+abc'],
    ['/ at the end', 'abc/'],
  ])("refuses standard base64's %s", (_name, text) => {
    const e = inputErrorOf(() => decodeBase64Url(text, 'JWT claims'));
    expect(e.code).toBe('ERR_BASE64_INVALID');
    expect(e.reason).toBe('JWT claims: expected base64url without padding, received standard base64 characters');
  });

  it('defaults the subject to "base64url text"', () => {
    expect(inputErrorOf(() => decodeBase64Url('a+bc')).reason).toBe('base64url text: expected base64url without padding, received standard base64 characters');
  });

  it('refuses a 1-character tail, other characters, and non-zero unused bits, under its subject', () => {
    expect(inputErrorOf(() => decodeBase64Url('Zm9vY', 'JWT claims')).reason).toBe("JWT claims: expected standard padded base64 (RFC 4648 §4), received padding '=' before the end at character 6");
    expect(inputErrorOf(() => decodeBase64Url('Zm9v.')).reason).toBe("base64url text: expected standard padded base64 (RFC 4648 §4), received character '.' at character 5");
    expect(inputErrorOf(() => decodeBase64Url('Zh')).reason).toBe('base64url text: expected standard padded base64 (RFC 4648 §4), received non-zero bits before the padding at character 2');
    expect(codeOf(() => decodeBase64Url('Zm 9'))).toBe('ERR_BASE64_INVALID');
  });
});

describe('decodeBase64Lenient: as .NET Convert.FromBase64String reads Edm.Binary', () => {
  const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

  it('skips space, tab, CR and LF anywhere, and says so', () => {
    for (const wrapped of ['QUJD\nREVG', 'QUJD\r\nREVG', ' QUJDREVG\t', 'Q U J D R E V G', 'QUJDREVG\n']) {
      const { bytes, leniencies } = decodeBase64Lenient(wrapped);
      expect([text(bytes), leniencies]).toEqual(['ABCDEF', ['whitespace']]);
    }
  });

  it('drops set bits before the padding (one and two padding characters), and says so', () => {
    expect(decodeBase64Lenient('QR==')).toEqual({ bytes: Uint8Array.of(0x41), leniencies: ['padding bits'] });
    expect(decodeBase64Lenient('QUJ=')).toEqual({ bytes: Uint8Array.of(0x41, 0x42), leniencies: ['padding bits'] });
    expect(decodeBase64Lenient('QU\nJ=')).toEqual({ bytes: Uint8Array.of(0x41, 0x42), leniencies: ['whitespace', 'padding bits'] });
  });

  it('canonical base64 is read with no leniency', () => {
    expect(decodeBase64Lenient('QUI=')).toEqual({ bytes: Uint8Array.of(0x41, 0x42), leniencies: [] });
    expect(decodeBase64Lenient('')).toEqual({ bytes: new Uint8Array(0), leniencies: [] });
  });

  it('drops exactly the bits the padding leaves unused: two "=" keep 2 bits, one "=" keeps 4', () => {
    // 'V' is 010101: before "==" only 01 carries data ('Q'); before "=" 0101 does ('U').
    expect(decodeBase64Lenient('QV==')).toEqual({ bytes: Uint8Array.of(0x41), leniencies: ['padding bits'] });
    expect(decodeBase64Lenient('QUV=')).toEqual({ bytes: Uint8Array.of(0x41, 0x45), leniencies: ['padding bits'] });
    expect(decodeBase64Lenient('QUA=')).toEqual({ bytes: Uint8Array.of(0x41, 0x40), leniencies: [] });
  });

  it('a character outside the alphabet before the padding stays refused', () => {
    expect(inputErrorOf(() => decodeBase64Lenient('QÉ==')).reason).toMatch(/received character U\+00C9 at character 2$/);
    expect(inputErrorOf(() => decodeBase64Lenient('Q-==')).reason).toMatch(/received base64url character '-' at character 2$/);
  });

  it('positions count every kind of white space skipped before the bad character', () => {
    for (const [text, at] of [[' $AAA', 2], ['\t$AAA', 2], ['\r$AAA', 2], ['\n$AAA', 2], [' \t\r\nQU$A', 7], ['$AAA', 1]] as const) {
      expect(inputErrorOf(() => decodeBase64Lenient(text)).reason, JSON.stringify(text)).toMatch(new RegExp(`received character '\\$' at character ${at}$`));
    }
  });

  it('a length problem says "white space aside" only when white space was skipped', () => {
    expect(inputErrorOf(() => decodeBase64Lenient('QUI', 'c')).reason).toBe('c: expected padded base64 (RFC 4648 §4; white space is skipped), received length 3 is not a multiple of 4');
  });

  it('refuses what .NET refuses, naming the character as it stands in the text given', () => {
    const reason = (t: string): string => inputErrorOf(() => decodeBase64Lenient(t, 'cert')).reason;
    expect(reason('QU\nJ$')).toBe("cert: expected padded base64 (RFC 4648 §4; white space is skipped), received character '$' at character 5");
    expect(reason('QU-_')).toBe("cert: expected padded base64 (RFC 4648 §4; white space is skipped), received base64url character '-' at character 3");
    expect(reason('QU\nJ')).toBe('cert: expected padded base64 (RFC 4648 §4; white space is skipped), received length 3 is not a multiple of 4 (white space aside)');
    expect(reason('QQ==QUJD')).toBe("cert: expected padded base64 (RFC 4648 §4; white space is skipped), received padding '=' before the end at character 4");
    expect(codeOf(() => decodeBase64Lenient('Q==='))).toBe('ERR_BASE64_INVALID');
  });
});
