// Hexadecimal (encoding/hex.ts): toHex / toUpperHex of every byte, and bytesEqual.

import { describe, expect, it } from 'vitest';
import { bytesEqual, toHex, toUpperHex } from '../../src/encoding/hex.ts';

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
