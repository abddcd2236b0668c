// IP address text <-> bytes for iPAddress SAN entries (RFC 5280 §4.2.1.6: 4 or 16 octets).
// Output is canonical: dotted decimal for IPv4, RFC 5952 §4 for IPv6 (with the §5 mixed form
// for IPv4-mapped addresses). Input accepts every RFC 4291 §2.2 IPv6 text form, since RFC 8705
// §2.1.2 compares iPAddress values in binary and callers may write them any valid way.

import { ArgumentError } from '../errors.ts';

// Lookup tables keep formatIpAddress free of toString/padStart calls on the hot path.
const DEC: string[] = [];
const HEX_BARE: string[] = [];
const HEX_PAD2: string[] = [];
for (let i = 0; i < 256; i++) {
  DEC.push(String(i));
  HEX_BARE.push(i.toString(16));
  HEX_PAD2.push(i.toString(16).padStart(2, '0'));
}

/** The longest text any accepted form can have ('0000:...:0000:255.255.255.255' is 45 chars). */
const MAX_TEXT_LENGTH = 45;

function ipv4Text(bytes: Uint8Array, at: number): string {
  return `${DEC[bytes[at]!]!}.${DEC[bytes[at + 1]!]!}.${DEC[bytes[at + 2]!]!}.${DEC[bytes[at + 3]!]!}`;
}

/** A 16-bit group in lower-case hex without leading zeros (RFC 5952 §4.1, §4.3). */
function groupText(hi: number, lo: number): string {
  return hi === 0 ? HEX_BARE[lo]! : HEX_BARE[hi]! + HEX_PAD2[lo]!;
}

/**
 * Formats a 4-byte (IPv4) or 16-byte (IPv6) address. IPv6 follows RFC 5952 §4: lower case,
 * no leading zeros, `::` replaces the longest run of two or more zero groups (the leftmost
 * on a tie) and never a single group; `::ffff:0:0/96` is written `::ffff:a.b.c.d` (§5).
 */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return ipv4Text(bytes, 0);
  if (bytes.length !== 16) {
    throw new ArgumentError('ERR_INVALID_IP', `IP address: expected 4 or 16 bytes, received ${bytes.length}`);
  }

  // IPv4-mapped (RFC 4291 §2.5.5.2): ten zero bytes, then 0xffff.
  let mapped = bytes[10] === 0xff && bytes[11] === 0xff;
  for (let i = 0; mapped && i < 10; i++) if (bytes[i] !== 0) mapped = false;
  if (mapped) return `::ffff:${ipv4Text(bytes, 12)}`;

  // Longest run of zero groups; a strictly longer run is needed to move right (leftmost wins).
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    if (bytes[2 * g] === 0 && bytes[2 * g + 1] === 0) {
      if (runStart < 0) runStart = g;
      const length = g - runStart + 1;
      if (length > bestLength) {
        bestStart = runStart;
        bestLength = length;
      }
    } else {
      runStart = -1;
    }
  }

  let out = '';
  let separate = false;
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      out += '::';
      g += bestLength - 1;
      separate = false;
      continue;
    }
    if (separate) out += ':';
    out += groupText(bytes[2 * g]!, bytes[2 * g + 1]!);
    separate = true;
  }
  return out;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function describeChar(text: string, at: number): string {
  return at >= text.length ? 'the end of the text' : `${quote(text[at]!)} at character ${at + 1}`;
}

function invalid(text: string, expected: string, received: string): ArgumentError {
  return new ArgumentError('ERR_INVALID_IP', `IP address ${quote(text)}: expected ${expected}, received ${received}`);
}

/** C0/C1 controls, DEL and the Unicode spaces String.prototype.trim would strip. */
function isSpaceOrControl(c: number): boolean {
  return c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/**
 * Parses dotted-decimal IPv4 from `start` to the end of `text` into out[at..at+3]: exactly four
 * decimal octets 0-255, no leading zeros (they read as octal in some parsers, RFC 6943 §3.1.1).
 */
function parseIpv4Into(text: string, start: number, out: Uint8Array, at: number): void {
  let i = start;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (text.charCodeAt(i) !== 0x2e) throw invalid(text, `'.' before IPv4 octet ${octet + 1}`, describeChar(text, i));
      i++;
    }
    const begin = i;
    let value = 0;
    while (i < text.length && isDigit(text.charCodeAt(i))) {
      if (i - begin === 3) throw invalid(text, `at most 3 digits in IPv4 octet ${octet + 1}`, describeChar(text, i));
      value = value * 10 + (text.charCodeAt(i) - 0x30);
      i++;
    }
    if (i === begin) throw invalid(text, `a decimal digit for IPv4 octet ${octet + 1}`, describeChar(text, i));
    if (i - begin > 1 && text.charCodeAt(begin) === 0x30) {
      throw invalid(text, `IPv4 octet ${octet + 1} without a leading zero`, `${quote(text.slice(begin, i))} at character ${begin + 1}`);
    }
    if (value > 255) throw invalid(text, `IPv4 octet ${octet + 1} in 0-255`, `${value} at character ${begin + 1}`);
    out[at + octet] = value;
  }
  if (i !== text.length) throw invalid(text, 'the end after 4 IPv4 octets', describeChar(text, i));
}

/** RFC 4291 §2.2 forms 1-3: full, `::`-compressed, and a trailing dotted IPv4 (32 bits). */
function parseIpv6(text: string): Uint8Array {
  const groups: number[] = [];
  let compressAt = -1;
  let tail: Uint8Array | undefined;
  let i = 0;
  const n = text.length;

  if (text.startsWith('::')) {
    compressAt = 0;
    i = 2;
  } else if (text.charCodeAt(0) === 0x3a) {
    throw invalid(text, "a hex group or '::' at the start", describeChar(text, 0));
  }

  while (i < n) {
    const begin = i;
    let value = 0;
    let digit: number;
    while (i < n && (digit = hexValue(text.charCodeAt(i))) >= 0) {
      value = value * 16 + digit;
      i++;
    }
    if (i < n && text.charCodeAt(i) === 0x2e) {
      // RFC 4291 §2.2 form 3: the last 32 bits as dotted decimal.
      const before = groups.length;
      const limit = compressAt >= 0 ? 5 : 6;
      if (before > limit) throw invalid(text, `at most ${limit} hex groups before a dotted IPv4 part`, `${before} groups`);
      if (compressAt < 0 && before < 6) throw invalid(text, "6 hex groups or a '::' before a dotted IPv4 part", `${before} groups`);
      tail = new Uint8Array(4);
      parseIpv4Into(text, begin, tail, 0);
      i = n;
      break;
    }
    if (i === begin) throw invalid(text, 'a hex digit', describeChar(text, i));
    if (i - begin > 4) throw invalid(text, 'at most 4 hex digits in a group', `${i - begin} digits at character ${begin + 1}`);
    groups.push(value);
    if (groups.length > 8) throw invalid(text, 'at most 8 hex groups', `a 9th group at character ${begin + 1}`);
    if (i === n) break;
    if (text.charCodeAt(i) !== 0x3a) throw invalid(text, "':' or the end after a hex group", describeChar(text, i));
    i++;
    if (text.charCodeAt(i) === 0x3a) {
      if (compressAt >= 0) throw invalid(text, "at most one '::'", `another at character ${i}`);
      compressAt = groups.length;
      i++;
    } else if (i === n) {
      throw invalid(text, "a hex group after the trailing ':'", 'the end of the text');
    }
  }

  const total = groups.length + (tail === undefined ? 0 : 2);
  if (compressAt < 0 && total !== 8) throw invalid(text, "8 hex groups or a '::'", `${total} groups`);
  // '::' stands for one or more zero groups (RFC 4291 §2.2 form 2), so at most 7 may be written.
  if (compressAt >= 0 && total > 7) throw invalid(text, "at most 7 hex groups with '::'", `${total} groups`);

  const out = new Uint8Array(16);
  const gap = 8 - total;
  for (let g = 0; g < groups.length; g++) {
    const slot = compressAt >= 0 && g >= compressAt ? g + gap : g;
    out[2 * slot] = groups[g]! >> 8;
    out[2 * slot + 1] = groups[g]! & 0xff;
  }
  if (tail !== undefined) out.set(tail, 12);
  return out;
}

/**
 * Parses IPv4 dotted decimal (4 bytes) or IPv6 in any RFC 4291 §2.2 text form (16 bytes).
 * Zone ids, prefix lengths, brackets and whitespace are rejected: an iPAddress SAN holds
 * none of them (RFC 5280 §4.2.1.6).
 */
export function parseIpAddress(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new ArgumentError('ERR_INVALID_IP', `IP address: expected a string, received ${text === null ? 'null' : typeof text}`);
  }
  if (text.length === 0) throw new ArgumentError('ERR_INVALID_IP', 'IP address: expected an IPv4 or IPv6 address, received an empty string');
  if (text.length > MAX_TEXT_LENGTH) throw invalid(text, `at most ${MAX_TEXT_LENGTH} characters`, `${text.length}`);

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) throw invalid(text, 'an address without a zone id', `'%' at character ${i + 1}`);
    if (c === 0x2f) throw invalid(text, 'an address without a prefix length', `'/' at character ${i + 1}`);
    if (c === 0x5b || c === 0x5d) throw invalid(text, 'an address without brackets', `${quote(text[i]!)} at character ${i + 1}`);
    if (isSpaceOrControl(c)) {
      throw invalid(text, 'an address without whitespace or control characters', `character ${i + 1}`);
    }
  }

  if (text.includes(':')) return parseIpv6(text);
  if (!text.includes('.')) throw invalid(text, "an IPv4 (a.b.c.d) or IPv6 address (with ':')", 'neither');
  const out = new Uint8Array(4);
  parseIpv4Into(text, 0, out, 0);
  return out;
}
