// UTF-8 (RFC 3629) of our own: QuickJS has no text codec globals. Decoding is strict:
// overlong forms, surrogates and values above U+10FFFF are errors, never replaced.

import { Interner } from './intern.ts';

/** Decodes bytes[start, end); returns undefined when they are not well-formed UTF-8. */
export function decodeUtf8(bytes: Uint8Array, start = 0, end: number = bytes.length): string | undefined {
  let out = '';
  let ascii = start;
  let i = start;
  while (i < end) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: when ascii === i, latin1 of the empty range adds ''
    if (ascii < i) out += latin1(bytes, ascii, i);
    let cp: number;
    let need: number;
    let min: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) [cp, need, min] = [b0 & 0x1f, 1, 0x80];
    else if (b0 >= 0xe0 && b0 <= 0xef) [cp, need, min] = [b0 & 0x0f, 2, 0x800];
    else if (b0 >= 0xf0 && b0 <= 0xf4) [cp, need, min] = [b0 & 0x07, 3, 0x10000];
    else return undefined;
    if (i + need >= end) return undefined;
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += need + 1;
    ascii = i;
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: when ascii === end, latin1 of the empty range adds ''
  return ascii < end ? out + latin1(bytes, ascii, end) : out;
}

/** UTF-8 of a string; a lone surrogate becomes U+FFFD, as the WHATWG encoder writes it. */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    // A lone surrogate has no UTF-8 form; write U+FFFD, as the WHATWG encoder does.
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/** A string as bytes: ASCII as is (the common case, one pass), anything else as UTF-8. */
export function textBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  // Stryker disable next-line EqualityOperator: charCodeAt(text.length) is NaN (not > 127), and out[text.length] is outside the array
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: encodeUtf8 writes U+0000..U+007F as the same single bytes, so taking it for more strings gives the same bytes
    if (c > 127) return encodeUtf8(text);
    out[i] = c;
  }
  return out;
}

/** Each byte as the code point of the same value (ISO 8859-1). */
export function latin1(bytes: Uint8Array, start = 0, end: number = bytes.length): string {
  const n = end - start;
  // Short strings by concatenation, longer ones in one call (bench/README.md, engine notes).
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the three ways build the same string; the size only picks the fastest
  if (n < 13) {
    let out = '';
    for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]!);
    return out;
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: skipped, the chunked loop below builds the same string
  if (n <= 256) {
    // Stryker disable next-line ArrayDeclaration: an empty array grows to n as the loop below fills it
    const codes = (scratch[n] ??= new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) codes[i] = bytes[start + i]!;
    return String.fromCharCode.apply(null, codes);
  }
  let out = '';
  // Stryker disable next-line EqualityOperator: the extra step of `<=` (when the length is a multiple of 8192) adds latin1 of an empty subarray
  for (let i = start; i < end; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return out;
}

/** Reused arrays of char codes, one per length (setting an array's length is slow). */
// Stryker disable next-line ArrayDeclaration: slot 0 is never read (lengths below 13 take the loop above)
const scratch: number[][] = [];

/** Short ASCII values, kept from their second sighting: a one-off value (a device's CN) never enters the table, so it dies young. */
// Stryker disable next-line StringLiteral: kept from the first sighting, the same strings are handed out (only the table's churn differs)
const asciiValues = new Interner<string>(4096, 'second');

/**
 * bytes[start, end) as a string when every byte is ASCII, else null. Short values are
 * interned: names repeat the same attribute values across a fleet's certificates.
 */
export function ascii(bytes: Uint8Array, start: number, end: number): string | null {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator,BlockStatement: both paths return the range's text when it is all ASCII, else null; the length only decides whether the table is used
  if (end - start > 64) {
    for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return null;
    return latin1(bytes, start, end);
  }
  // hashBytes and the ASCII test in one pass.
  let h = 0x811c9dc5;
  let high = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    high |= c;
    h = Math.imul(h ^ c, 0x01000193);
  }
  if (high >= 0x80) return null;
  h >>>= 0;
  // Stryker disable next-line ConditionalExpression: without the lookup every value is decoded again: the same string
  return asciiValues.get(bytes, start, end, h) ?? asciiValues.add(bytes, start, end, h, latin1);
}
