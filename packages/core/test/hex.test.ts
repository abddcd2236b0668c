// Hexadecimal (encoding/hex.ts): toHex / toUpperHex of every byte, fromHex's strict parsing
// (even length, hex digits only, either case) and bytesEqual.

import { describe, expect, it } from 'vitest';
import { bytesEqual, fromHex, toHex, toUpperHex } from '../src/encoding/hex.ts';

describe('toHex / toUpperHex', () => {
  it('writes two digits per byte, every byte value, in lower or upper case', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const lower = toHex(all);
    expect(lower).toBe(Buffer.from(all).toString('hex'));
    expect(toUpperHex(all)).toBe(lower.toUpperCase());
    expect(toHex(Uint8Array.of(0x00, 0x0a, 0xff))).toBe('000aff');
    expect(toUpperHex(Uint8Array.of(0x00, 0x0a, 0xff))).toBe('000AFF');
    expect(toHex(new Uint8Array(0))).toBe('');
  });
});

describe('fromHex', () => {
  it('parses an even-length string of hex digits, either case', () => {
    expect(fromHex('')).toEqual(new Uint8Array(0));
    expect(fromHex('00')).toEqual(Uint8Array.of(0));
    expect(fromHex('ff')).toEqual(Uint8Array.of(0xff));
    expect(fromHex('FF')).toEqual(Uint8Array.of(0xff));
    expect(fromHex('0a1B2c3D4e5F')).toEqual(Uint8Array.of(0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f));
    expect(fromHex('0123456789abcdef')).toEqual(Uint8Array.of(0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef));
  });

  it('round-trips toHex and toUpperHex for every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    expect(fromHex(toHex(all))).toEqual(all);
    expect(fromHex(toUpperHex(all))).toEqual(all);
  });

  it.each([
    ['odd length', 'abc'],
    ['one digit', 'a'],
    ['a non-hex letter', 'zz'],
    ['a non-hex letter at the end', '00g0'],
    ['a non-hex letter at the start', 'g000'],
    ['a non-hex character in the middle', '00-000'],
    ['a space', 'ab cd'],
    ['a 0x prefix', '0x00'],
    ['a colon-separated form', 'ab:cd'],
    ['a trailing newline', 'abcd\n'],
    ['a leading space', ' abc'],
    ['a full-width digit', '００'],
    ['a sign', '+1'],
  ])('returns undefined for %s', (_name, text) => {
    expect(fromHex(text)).toBeUndefined();
  });
});

describe('bytesEqual', () => {
  it('is true for the same bytes, false for a different byte or length', () => {
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(bytesEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(bytesEqual(Uint8Array.of(0, 2, 3), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
    expect(bytesEqual(new Uint8Array(0), Uint8Array.of(0))).toBe(false);
  });

  it('compares views by their contents, not their buffers', () => {
    const buf = Uint8Array.of(9, 1, 2, 9, 1, 2);
    expect(bytesEqual(buf.subarray(1, 3), buf.subarray(4, 6))).toBe(true);
    expect(bytesEqual(buf.subarray(0, 2), buf.subarray(3, 5))).toBe(true);
    expect(bytesEqual(buf.subarray(0, 2), buf.subarray(1, 3))).toBe(false);
  });
});
