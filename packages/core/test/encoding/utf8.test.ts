// UTF-8 (RFC 3629): strict decoding (overlong forms, surrogates, values above U+10FFFF and
// truncated sequences are refused, never replaced), checked against Node's fatal TextDecoder.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashBytes } from '../../src/encoding/intern.ts';
import { ascii, decodeUtf8, encodeUtf8, latin1, textBytes } from '../../src/encoding/utf8.ts';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

function nodeDecode(bytes: Uint8Array): string | undefined {
  try {
    return fatal.decode(bytes);
  } catch {
    return undefined;
  }
}

const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('decodeUtf8: well-formed input', () => {
  const valid: readonly (readonly [string, Uint8Array, string])[] = [
    ['empty', b(), ''],
    ['ASCII', b(0x41, 0x42, 0x43), 'ABC'],
    ['NUL and DEL', b(0x00, 0x7f), '\u0000\u007f'],
    ['U+0080 (smallest 2-byte)', b(0xc2, 0x80), '\u0080'],
    ['U+07FF (largest 2-byte)', b(0xdf, 0xbf), '\u07ff'],
    ['U+0800 (smallest 3-byte)', b(0xe0, 0xa0, 0x80), '\u0800'],
    ['€', b(0xe2, 0x82, 0xac), '€'],
    ['U+D7FF (just below the surrogates)', b(0xed, 0x9f, 0xbf), '\ud7ff'],
    ['U+E000 (just above the surrogates)', b(0xee, 0x80, 0x80), '\ue000'],
    ['U+FEFF (a BOM is kept, not stripped)', b(0xef, 0xbb, 0xbf, 0x41), '\ufeffA'],
    ['U+FFFF', b(0xef, 0xbf, 0xbf), '\uffff'],
    ['U+10000 (smallest 4-byte)', b(0xf0, 0x90, 0x80, 0x80), '\u{10000}'],
    ['😀', b(0xf0, 0x9f, 0x98, 0x80), '😀'],
    ['U+10FFFF (largest)', b(0xf4, 0x8f, 0xbf, 0xbf), '\u{10ffff}'],
    ['mixed', encoder.encode('a€b😀c日本'), 'a€b😀c日本'],
  ];
  it.each(valid)('%s', (_name, bytes, text) => {
    expect(decodeUtf8(bytes)).toBe(text);
  });

  it('decodes only bytes[start, end)', () => {
    const bytes = encoder.encode('xx€yy');
    expect(decodeUtf8(bytes, 2, 5)).toBe('€');
    expect(decodeUtf8(bytes, 0, 2)).toBe('xx');
    expect(decodeUtf8(bytes, 5)).toBe('yy');
    // A sequence cut by `end` is truncated even though the full array holds the rest.
    expect(decodeUtf8(bytes, 2, 4)).toBeUndefined();
    expect(decodeUtf8(bytes, 3, 5)).toBeUndefined();
  });
});

describe('decodeUtf8: ill-formed input → undefined', () => {
  const invalid: readonly (readonly [string, Uint8Array])[] = [
    ['overlong NUL (C0 80)', b(0xc0, 0x80)],
    ['overlong 2-byte (C1 BF)', b(0xc1, 0xbf)],
    ['overlong 3-byte for U+0000 (E0 80 80)', b(0xe0, 0x80, 0x80)],
    ['overlong 3-byte for U+07FF (E0 9F BF)', b(0xe0, 0x9f, 0xbf)],
    ['overlong 4-byte for U+0000 (F0 80 80 80)', b(0xf0, 0x80, 0x80, 0x80)],
    ['overlong 4-byte for U+FFFF (F0 8F BF BF)', b(0xf0, 0x8f, 0xbf, 0xbf)],
    ["overlong '/' (C0 AF)", b(0xc0, 0xaf)],
    ['high surrogate U+D800 (ED A0 80)', b(0xed, 0xa0, 0x80)],
    ['low surrogate U+DFFF (ED BF BF)', b(0xed, 0xbf, 0xbf)],
    ['CESU-8 surrogate pair', b(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80)],
    ['U+110000 (F4 90 80 80)', b(0xf4, 0x90, 0x80, 0x80)],
    ['F5 lead byte', b(0xf5, 0x80, 0x80, 0x80)],
    ['F7 BF BF BF (U+1FFFFF)', b(0xf7, 0xbf, 0xbf, 0xbf)],
    ['5-byte form', b(0xf8, 0x88, 0x80, 0x80, 0x80)],
    ['6-byte form', b(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80)],
    ['FE', b(0xfe)],
    ['FF', b(0xff)],
    ['lone continuation byte', b(0x80)],
    ['continuation after ASCII', b(0x41, 0xbf)],
    ['truncated 2-byte at the end', b(0x41, 0xc3)],
    ['truncated 3-byte (1 of 2)', b(0xe2)],
    ['truncated 3-byte (2 of 3)', b(0xe2, 0x82)],
    ['truncated 4-byte (3 of 4)', b(0xf0, 0x9f, 0x98)],
    ['truncated sequence followed by ASCII', b(0xe2, 0x82, 0x41)],
    ['lead byte followed by a lead byte', b(0xc3, 0xc3, 0xa9)],
    ['2-byte lead then ASCII', b(0xc3, 0x28)],
    ['Latin-1 é', b(0x63, 0x61, 0x66, 0xe9)],
  ];
  it.each(invalid)('%s', (_name, bytes) => {
    expect(decodeUtf8(bytes)).toBeUndefined();
    expect(nodeDecode(bytes)).toBeUndefined();
  });
});

describe('encodeUtf8 and latin1', () => {
  it('encodes like TextEncoder', () => {
    for (const s of ['', 'abc', '\u0080', '\u07ff', '\u0800', '€', '\uffff', '😀', '\u{10ffff}', 'a€b😀c日本']) {
      expect(encodeUtf8(s)).toEqual(encoder.encode(s));
    }
  });

  it('latin1 maps each byte to the code point of the same value, also past its 8192-byte chunk', () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => i & 0xff);
    const text = latin1(bytes);
    expect(text.length).toBe(20_000);
    for (let i = 0; i < text.length; i += 997) expect(text.charCodeAt(i)).toBe(i & 0xff);
    expect(latin1(bytes, 8190, 8195)).toBe(String.fromCharCode(8190 & 0xff, 8191 & 0xff, 0, 1, 2));
  });
});

describe('properties (against TextDecoder fatal:true, ignoreBOM:true)', () => {
  it('random bytes: same string, or both refuse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeUtf8(bytes)).toBe(nodeDecode(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('random bytes biased to UTF-8 structure: same string, or both refuse', () => {
    // Bytes drawn from the interesting boundaries so multi-byte sequences are common.
    const interesting = fc.constantFrom(
      0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1,
      0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf8, 0xfe, 0xff,
    );
    fc.assert(
      fc.property(fc.array(interesting, { maxLength: 16 }), (arr) => {
        const bytes = Uint8Array.from(arr);
        expect(decodeUtf8(bytes)).toBe(nodeDecode(bytes));
      }),
      { numRuns: 20_000 },
    );
  });

  it('well-formed strings round-trip through encodeUtf8 and decodeUtf8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), (a, s) => {
        for (const text of [a, s]) {
          const bytes = encodeUtf8(text);
          expect(bytes).toEqual(encoder.encode(text));
          expect(decodeUtf8(bytes)).toBe(text);
          expect(nodeDecode(bytes)).toBe(text);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('well-formed text with one byte flipped: same as TextDecoder', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (text, pos, value) => {
        const bytes = encoder.encode(text);
        bytes[pos % bytes.length] = value;
        expect(decodeUtf8(bytes)).toBe(nodeDecode(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('a slice decodes like TextDecoder on the same slice', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.nat(), (bytes, x, y) => {
        const start = bytes.length === 0 ? 0 : x % (bytes.length + 1);
        const end = start + (bytes.length - start === 0 ? 0 : y % (bytes.length - start + 1));
        expect(decodeUtf8(bytes, start, end)).toBe(nodeDecode(bytes.subarray(start, end)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('encodeUtf8 edges', () => {
  it('each length boundary, and lone surrogates as U+FFFD (EF BF BD)', () => {
    const cases: readonly (readonly [string, number[]])[] = [
      ['\u007f', [0x7f]],
      ['\u0080', [0xc2, 0x80]],
      ['\u07ff', [0xdf, 0xbf]],
      ['\u0800', [0xe0, 0xa0, 0x80]],
      ['\ud7ff', [0xed, 0x9f, 0xbf]],
      ['\ud800', [0xef, 0xbf, 0xbd]],
      ['\udfff', [0xef, 0xbf, 0xbd]],
      ['a\udc00b', [0x61, 0xef, 0xbf, 0xbd, 0x62]],
      ['\ue000', [0xee, 0x80, 0x80]],
      ['\uffff', [0xef, 0xbf, 0xbf]],
      ['\u{10000}', [0xf0, 0x90, 0x80, 0x80]],
      ['\u{10ffff}', [0xf4, 0x8f, 0xbf, 0xbf]],
      ['\u{1f600}', [0xf0, 0x9f, 0x98, 0x80]],
    ];
    for (const [text, bytes] of cases) expect(Array.from(encodeUtf8(text))).toEqual(bytes);
  });
});

describe('textBytes', () => {
  it('ASCII byte for byte; anything above U+007F makes the whole string UTF-8', () => {
    expect(Array.from(textBytes('AZ~\u007f\u0000'))).toEqual([0x41, 0x5a, 0x7e, 0x7f, 0x00]);
    expect(Array.from(textBytes('a\u0080'))).toEqual([0x61, 0xc2, 0x80]);
    expect(Array.from(textBytes('ab\u00e9'))).toEqual([0x61, 0x62, 0xc3, 0xa9]);
    expect(Array.from(textBytes('\u20ac'))).toEqual([0xe2, 0x82, 0xac]);
    expect(textBytes('')).toEqual(new Uint8Array(0));
  });
});

describe('latin1 at its size thresholds and offsets', () => {
  it('lengths 0 to 300 and 8191 to 8193, from an offset, twice each (reused scratch arrays)', () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7 + 3) & 0xff);
    const expected = (start: number, end: number): string => Array.from(bytes.subarray(start, end), (c) => String.fromCharCode(c)).join('');
    for (const n of [...Array.from({ length: 301 }, (_, i) => i), 8191, 8192, 8193, 16_385]) {
      for (const start of [0, 5, 1000]) expect(latin1(bytes, start, start + n)).toBe(expected(start, start + n));
    }
    expect(latin1(bytes.subarray(0, 20))).toBe(expected(0, 20));
    // Far past what one String.fromCharCode.apply call may take.
    const big = new Uint8Array(1_000_000).fill(0xe9);
    big[999_999] = 0x41;
    const text = latin1(big);
    expect(text.length).toBe(1_000_000);
    expect(text.charCodeAt(0)).toBe(0xe9);
    expect(text.endsWith('\u00e9A')).toBe(true);
    expect(latin1(bytes.subarray(0, 20), 3)).toBe(expected(3, 20));
  });
});

describe('ascii', () => {
  const enc = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

  it('the text when every byte is below 0x80, else null, for short and long values', () => {
    for (const n of [0, 1, 12, 13, 63, 64, 65, 100, 300]) {
      const text = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 5) % 95))).join('');
      const bytes = enc(`#${text}#`);
      expect(ascii(bytes, 1, n + 1)).toBe(text);
      expect(ascii(bytes, 1, n + 1)).toBe(text);
      if (n > 0) {
        for (const at of [0, n - 1, n >> 1]) {
          const high = enc(`#${text}#`);
          high[1 + at] = 0x80;
          expect(ascii(high, 1, n + 1)).toBeNull();
          high[1 + at] = 0xff;
          expect(ascii(high, 1, n + 1)).toBeNull();
        }
      }
    }
    expect(ascii(Uint8Array.of(0x7f, 0x00), 0, 2)).toBe('\u007f\u0000');
  });

  it('never answers with another value of its table: every 2- and 3-character value read three times', () => {
    const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.';
    const wrong: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const x of chars) {
        for (const y of chars) {
          for (const text of [x + y, x + y + x]) {
            const got = ascii(enc(`..${text}..`), 2, 2 + text.length);
            if (got !== text) wrong.push(`${text} → ${got}`);
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('a value that differs only in its last character, or in length, is not taken from the table', () => {
    for (let i = 0; i < 3; i++) {
      expect(ascii(enc('Contoso Root CA'), 0, 15)).toBe('Contoso Root CA');
      expect(ascii(enc('Contoso Root CB'), 0, 15)).toBe('Contoso Root CB');
      expect(ascii(enc('Contoso Root C'), 0, 14)).toBe('Contoso Root C');
    }
  });
});

describe('ascii: its table of short values never answers with another value', () => {
  const enc = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
  // The table is direct-mapped by the low 12 bits of the values' FNV-1a hash (intern.ts's hashBytes):
  // values that share a slot are found here so that one is in the table when the other is read.
  const slot = (text: string): number => hashBytes(enc(text), 0, text.length) & 4095;

  it('a value of the same length in the same slot, twice each in turn', () => {
    const bySlot = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const text = `cn-${i.toString(36).padStart(4, '0')}`;
      const other = bySlot.get(slot(text));
      if (other !== undefined) pair = [other, text];
      else bySlot.set(slot(text), text);
    }
    const [x, y] = pair;
    for (let round = 0; round < 3; round++) {
      for (const text of [x, x, y, y, x, y]) expect(ascii(enc(`\u00ff${text}\u00ff`), 1, 1 + text.length)).toBe(text);
    }
  });

  it('a shorter value in the slot of a longer one it starts', () => {
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const long = `ou-${i.toString(36)}`;
      for (let k = 1; k < long.length && pair === undefined; k++) if (slot(long) === slot(long.slice(0, k))) pair = [long, long.slice(0, k)];
    }
    const [long, short] = pair;
    const bytes = enc(long);
    for (let round = 0; round < 3; round++) {
      expect(ascii(bytes, 0, long.length)).toBe(long);
      expect(ascii(bytes, 0, long.length)).toBe(long);
      expect(ascii(bytes, 0, short.length)).toBe(short);
      expect(ascii(bytes, 0, short.length)).toBe(short);
    }
  });

  it('looks only at bytes[start, end): a high byte right after the value does not matter', () => {
    for (const n of [1, 10, 64, 65, 200]) {
      const bytes = new Uint8Array(n + 2).fill(0x41);
      bytes[0] = 0xff;
      bytes[n + 1] = 0x80;
      for (let i = 0; i < 3; i++) expect(ascii(bytes, 1, n + 1)).toBe('A'.repeat(n));
    }
  });
});
