// Base64 (RFC 4648 §4, standard alphabet, padded) of our own, with no host globals, so the core runs
// in QuickJS. Decoding is strict: no whitespace, no base64url characters, padding required,
// and the unused bits of the last character must be zero (RFC 4648 §3.5), so every byte
// string has exactly one accepted encoding.

import { InputError } from '../errors.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = new Uint8Array(64);
/** Each ASCII character's 6-bit value, or -1. */
export const DECODE: Int8Array = new Int8Array(128).fill(-1);
/** The value of a character in each position of a quad, pre-shifted; -1 for other characters. */
export const QUAD_0: Int32Array = new Int32Array(256).fill(-1);
export const QUAD_1: Int32Array = new Int32Array(256).fill(-1);
export const QUAD_2: Int32Array = new Int32Array(256).fill(-1);
export const QUAD_3: Int32Array = new Int32Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  const c = ALPHABET.charCodeAt(i);
  ENCODE[i] = c;
  DECODE[c] = i;
  QUAD_0[c] = i << 18;
  QUAD_1[c] = i << 12;
  QUAD_2[c] = i << 6;
  QUAD_3[c] = i;
}

/** Standard base64 with padding (RFC 4648 §4), the form Graph's certificate property takes. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  const chunk: number[] = [];
  const full = bytes.length - (bytes.length % 3);
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunk.push(ENCODE[n >>> 18]!, ENCODE[(n >>> 12) & 63]!, ENCODE[(n >>> 6) & 63]!, ENCODE[n & 63]!);
    // Stryker disable next-line EqualityOperator: when the chunk is flushed only changes how the same string is built (8192 is a size that fromCharCode.apply takes; so is 8196, or 4)
    if (chunk.length >= 8192) {
      out += String.fromCharCode.apply(null, chunk);
      chunk.length = 0;
    }
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = bytes[full]! << 16;
    chunk.push(ENCODE[n >>> 18]!, ENCODE[(n >>> 12) & 63]!, 61, 61);
  } else if (rest === 2) {
    const n = (bytes[full]! << 16) | (bytes[full + 1]! << 8);
    chunk.push(ENCODE[n >>> 18]!, ENCODE[(n >>> 12) & 63]!, ENCODE[(n >>> 6) & 63]!, 61);
  }
  return out + String.fromCharCode.apply(null, chunk);
}

export interface Base64Problem {
  /** Index of the offending character in the text, or -1 for a length problem. */
  readonly at: number;
  readonly reason: string;
}

/**
 * Decodes `text[start, end)` into `out` at `outOffset`; returns the number of bytes written,
 * or a problem. Used by PEM (line by line) and by decodeBase64.
 */
export function decodeBase64Into(
  text: string,
  start: number,
  end: number,
  out: Uint8Array,
  outOffset: number,
): number | Base64Problem {
  const length = end - start;
  if (length % 4 !== 0) return { at: -1, reason: `length ${length} is not a multiple of 4` };
  let o = outOffset;
  for (let i = start; i < end; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    const a = c0 < 128 ? DECODE[c0]! : -1;
    const b = c1 < 128 ? DECODE[c1]! : -1;
    if (a < 0) return badChar(text, i);
    if (b < 0) return badChar(text, i + 1);
    if (c3 === 61 /* = */) {
      if (i + 4 !== end) return { at: i + 3, reason: "padding '=' before the end" };
      if (c2 === 61) {
        if ((b & 15) !== 0) return { at: i + 1, reason: 'non-zero bits before the padding' };
        out[o++] = (a << 2) | (b >> 4);
        return o - outOffset;
      }
      const c = c2 < 128 ? DECODE[c2]! : -1;
      if (c < 0) return badChar(text, i + 2);
      if ((c & 3) !== 0) return { at: i + 2, reason: 'non-zero bits before the padding' };
      out[o++] = (a << 2) | (b >> 4);
      out[o++] = ((b & 15) << 4) | (c >> 2);
      return o - outOffset;
    }
    const c = c2 < 128 ? DECODE[c2]! : -1;
    const d = c3 < 128 ? DECODE[c3]! : -1;
    if (c < 0) return badChar(text, i + 2);
    if (d < 0) return badChar(text, i + 3);
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  return o - outOffset;
}

/** Upper bound of the decoded size of `length` base64 characters. */
export function decodedLength(length: number): number {
  return (length / 4) * 3;
}

/** Strict RFC 4648 §4 decoding; throws ERR_BASE64_INVALID naming the first bad character. */
export function decodeBase64(text: string, what = 'base64 text'): Uint8Array {
  const out = new Uint8Array(decodedLength(text.length - (text.length % 4)) + 3);
  const n = decodeBase64Into(text, 0, text.length, out, 0);
  if (typeof n !== 'number') {
    throw new InputError('ERR_BASE64_INVALID', `${what}: expected standard padded base64 (RFC 4648 §4), ${describeBase64Problem(text, n)}`);
  }
  return out.subarray(0, n);
}

/** What a lenient base64 reader skipped that strict RFC 4648 §4 decoding refuses. */
export type Base64Leniency = 'whitespace' | 'padding bits';

/**
 * Decodes base64 as .NET's Convert.FromBase64String does, the reader behind OData's Edm.Binary:
 * space, tab, CR and LF are skipped anywhere, and set bits before the padding are dropped;
 * anything else (another character, a length that is not a multiple of 4, a misplaced '=')
 * throws ERR_BASE64_INVALID as decodeBase64 does. `leniencies` lists what a strict reader refuses.
 */
export function decodeBase64Lenient(text: string, what = 'base64 text'): { readonly bytes: Uint8Array; readonly leniencies: readonly Base64Leniency[] } {
  const leniencies: Base64Leniency[] = [];
  let compact = text;
  if (WHITE_SPACE.test(text)) {
    compact = text.replace(WHITE_SPACES, '');
    leniencies.push('whitespace');
  }
  // The character before '=' padding keeps only the bits that carry data (a misplaced or
  // surplus '=' is left for the decoder below to refuse).
  const last = compact.length - 1;
  if (compact.charCodeAt(last) === 61 /* = */) {
    const two = compact.charCodeAt(last - 1) === 61;
    const at = two ? last - 2 : last - 1;
    const value = DECODE[compact.charCodeAt(at)] ?? -1;
    const mask = two ? 0x30 : 0x3c;
    // Stryker disable next-line EqualityOperator: a value of 0 has no bit to drop, so `> 0` changes nothing
    if (value >= 0 && (value & mask) !== value) {
      compact = compact.slice(0, at) + ALPHABET[value & mask]! + compact.slice(at + 1);
      leniencies.push('padding bits');
    }
  }
  // Four characters decode to at most three bytes: the text's length is room enough.
  const out = new Uint8Array(compact.length);
  const n = decodeBase64Into(compact, 0, compact.length, out, 0);
  if (typeof n !== 'number') {
    // Positions name the character in the text as given, white space included.
    const problem =
      n.at < 0
        ? `received ${n.reason}${compact === text ? '' : ' (white space aside)'}`
        : describeBase64Problem(text, { at: nonSpaceIndices(text)[n.at]!, reason: n.reason });
    throw new InputError('ERR_BASE64_INVALID', `${what}: expected padded base64 (RFC 4648 §4; white space is skipped), ${problem}`);
  }
  return { bytes: out.subarray(0, n), leniencies };
}

const WHITE_SPACE = /[ \t\r\n]/;
const WHITE_SPACES = /[ \t\r\n]/g;

/** The indices in `text` of the characters that are not space, tab, CR or LF. */
function nonSpaceIndices(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) if (!WHITE_SPACE.test(text[i]!)) out.push(i);
  return out;
}

/** Cheap test: does the text look like base64 at all (used to tell input forms apart)? */
export function isBase64Alphabet(code: number): boolean {
  // Stryker disable next-line EqualityOperator: `<=` also reads DECODE[128], past the end of the table: undefined, not >= 0, so false as before
  return code < 128 && (DECODE[code]! >= 0 || code === 61);
}

/** What is wrong with `text`, for a message: "received ..." naming the character and its position, or the length. */
export function describeBase64Problem(text: string, problem: Base64Problem): string {
  if (problem.at < 0) return `received ${problem.reason}`;
  return `received ${problem.reason} at character ${problem.at + 1}`;
}

function badChar(text: string, at: number): Base64Problem {
  const code = text.charCodeAt(at);
  let what: string;
  if (code === 45 || code === 95) what = `base64url character '${text[at]}'`;
  else if (code === 32 || code === 9 || code === 10 || code === 13) what = 'whitespace';
  else if (code === 61) what = "padding '=' before the end";
  else if (code >= 33 && code < 127) what = `character '${text[at]}'`;
  else what = `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return { at, reason: what };
}

/** base64url (RFC 4648 §5) without padding, as JWTs use it (RFC 7515 §2); strict otherwise. */
export function decodeBase64Url(text: string, what = 'base64url text'): Uint8Array {
  if (/[+/=]/.test(text)) throw new InputError('ERR_BASE64_INVALID', `${what}: expected base64url without padding, received standard base64 characters`);
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  return decodeBase64(standard + '='.repeat((4 - (standard.length % 4)) % 4), what);
}
