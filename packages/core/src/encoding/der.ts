// A strict DER reader (X.690 §10) in the manner of Go's cryptobyte and rustls-webpki: it reads
// one TLV at a time, trusts no length, and refuses what DER forbids (indefinite or
// non-minimal lengths, constructed strings, non-minimal INTEGERs, BOOLEANs other than 00/FF,
// non-zero unused bits), so each value has exactly one accepted encoding.

import { GraphMtlsError, InputError, type InputErrorCode } from '../errors.ts';
import { Interner, hashBytes } from './intern.ts';
import { daysFromCivil, daysInMonth } from './time.ts';
import { latin1 } from './utf8.ts';

export const TAG_BOOLEAN = 0x01;
export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_OID = 0x06;
export const TAG_UTF8_STRING = 0x0c;
export const TAG_NUMERIC_STRING = 0x12;
export const TAG_PRINTABLE_STRING = 0x13;
export const TAG_TELETEX_STRING = 0x14;
export const TAG_IA5_STRING = 0x16;
export const TAG_UTC_TIME = 0x17;
export const TAG_GENERALIZED_TIME = 0x18;
export const TAG_VISIBLE_STRING = 0x1a;
export const TAG_UNIVERSAL_STRING = 0x1c;
export const TAG_BMP_STRING = 0x1e;
export const TAG_SEQUENCE = 0x30;
export const TAG_SET = 0x31;

/** Context-specific tag number n, primitive (IMPLICIT on a primitive type). */
export function contextTag(n: number): number {
  return 0x80 | n;
}
/** Context-specific tag number n, constructed (EXPLICIT, or IMPLICIT on a constructed type). */
export function contextConstructed(n: number): number {
  return 0xa0 | n;
}

/** A universal tag's ASN.1 name (INTEGER, UTF8String, ...), or its hex for any other tag: for messages. */
export function tagName(tag: number): string {
  const names: Record<number, string> = {
    0x01: 'BOOLEAN', 0x02: 'INTEGER', 0x03: 'BIT STRING', 0x04: 'OCTET STRING', 0x05: 'NULL',
    0x06: 'OBJECT IDENTIFIER', 0x0a: 'ENUMERATED', 0x0c: 'UTF8String', 0x12: 'NumericString',
    0x13: 'PrintableString', 0x14: 'TeletexString', 0x16: 'IA5String', 0x17: 'UTCTime',
    0x18: 'GeneralizedTime', 0x1a: 'VisibleString', 0x1c: 'UniversalString', 0x1e: 'BMPString',
    0x30: 'SEQUENCE', 0x31: 'SET',
  };
  const known = names[tag];
  if (known !== undefined) return `${known} (0x${hex2(tag)})`;
  if ((tag & 0xc0) === 0x80) return `[${tag & 0x1f}]${tag & 0x20 ? ' constructed' : ''} (0x${hex2(tag)})`;
  return `tag 0x${hex2(tag)}`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** One DER element: `tag`, the definite length in its shortest form (X.690 §10.1), `content`. */
export function encodeTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else if (n < 0x100) header = [tag, 0x81, n];
  else if (n < 0x10000) header = [tag, 0x82, n >> 8, n & 0xff];
  else if (n < 0x1000000) header = [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  else header = [tag, 0x84, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(header.length + n);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

/**
 * The engine's own copy of a string (property keys are interned), so an OID compares with
 * the same OID written as a literal by identity instead of character by character.
 */
function canonical(text: string): string {
  return Object.keys({ [text]: 0 })[0]!;
}

/** Decoded OIDs; 2.5.x.y (name attributes, X.509 extensions) by their two arcs. */
const oids = new Interner<string>(4096);
const shortOids = new Array<string | undefined>(1 << 14).fill(undefined);

/**
 * Reads the TLVs inside bytes[start, end). After next() the fields tag, valueStart,
 * valueEnd and elementStart describe the element just read.
 */
export class DerReader {
  readonly bytes: Uint8Array;
  /** Changes only while descend() has entered an element in place. */
  end: number;
  depth: number;
  readonly maxDepth: number;
  pos: number;
  tag = -1;
  elementStart = 0;
  valueStart = 0;
  valueEnd = 0;

  constructor(bytes: Uint8Array, start = 0, end: number = bytes.length, depth = 0, maxDepth = 32) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.depth = depth;
    this.maxDepth = maxDepth;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The tag of the next element, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  /** Reads the next element's header and skips over its value; returns its tag. */
  next(what: string): number {
    const b = this.bytes;
    let p = this.pos;
    if (p >= this.end) throw this.error('ERR_DER_TRUNCATED', `${what}: expected an element, received the end of its container`, p);
    const tag = b[p++]!;
    if ((tag & 0x1f) === 0x1f) throw this.error('ERR_DER_UNEXPECTED_TAG', `${what}: expected a low tag number, received a high-tag-number form`, this.pos);
    if (p >= this.end) throw this.error('ERR_DER_TRUNCATED', `${what}: expected a length byte, received the end of the data`, p);
    let len = b[p++]!;
    if (len >= 0x80) {
      const n = len & 0x7f;
      if (n === 0) throw this.error('ERR_DER_BER_ENCODING', `${what}: expected a definite length (DER), received the indefinite-length form (BER)`, p - 1);
      if (n > 4) throw this.error('ERR_LIMIT_EXCEEDED', `${what}: expected a length of at most 4 bytes, received ${n}`, p - 1);
      if (p + n > this.end) throw this.error('ERR_DER_TRUNCATED', `${what}: expected ${n} length bytes, received the end of the data`, p);
      if (b[p] === 0) throw this.error('ERR_DER_BER_ENCODING', `${what}: expected a minimal length (DER), received a leading zero length byte`, p);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
      if (len < 0x80) throw this.error('ERR_DER_BER_ENCODING', `${what}: expected the short length form for ${len} (DER), received the long form`, p - n - 1);
    }
    if (len > this.end - p) {
      throw this.error('ERR_DER_TRUNCATED', `${what}: expected ${len} bytes of value, received ${this.end - p}`, p);
    }
    this.tag = tag;
    this.elementStart = this.pos;
    this.valueStart = p;
    this.valueEnd = p + len;
    this.pos = p + len;
    return tag;
  }

  /** Reads the next element and checks that its tag is `tag`. */
  expect(tag: number, what: string): void {
    const start = this.pos;
    const got = this.next(what);
    if (got !== tag) {
      // Stryker disable next-line EqualityOperator: for tag 0x20, `got === (tag | 0x20)` means got === tag, which the enclosing `got !== tag` excludes
      if (got === (tag | 0x20) && tag < 0x20) {
        throw this.error('ERR_DER_BER_ENCODING', `${what}: expected primitive ${tagName(tag)}, received the constructed form (BER)`, start);
      }
      throw this.error('ERR_DER_UNEXPECTED_TAG', `${what}: expected ${tagName(tag)}, received ${tagName(got)}`, start);
    }
  }

  /** If the next tag is `tag`, reads it and returns true. */
  optional(tag: number, what: string): boolean {
    if (this.peek() !== tag) return false;
    this.next(what);
    return true;
  }

  /** Reads a constructed element with `tag` and returns a reader over its contents. */
  enter(tag: number, what: string): DerReader {
    this.expect(tag, what);
    return this.child(what);
  }

  /** A reader over the value of the element just read. */
  child(what: string): DerReader {
    if (this.depth + 1 > this.maxDepth) {
      throw this.error('ERR_DER_TOO_DEEP', `${what}: expected nesting of at most ${this.maxDepth} levels, received deeper`, this.elementStart);
    }
    return new DerReader(this.bytes, this.valueStart, this.valueEnd, this.depth + 1, this.maxDepth);
  }

  /**
   * Enters the element just read in place, for hot loops that would otherwise make a child
   * reader per element; returns what ascend() needs to come back out.
   */
  descend(what: string): number {
    if (this.depth + 1 > this.maxDepth) {
      throw this.error('ERR_DER_TOO_DEEP', `${what}: expected nesting of at most ${this.maxDepth} levels, received deeper`, this.elementStart);
    }
    const outerEnd = this.end;
    this.depth++;
    this.end = this.valueEnd;
    this.pos = this.valueStart;
    return outerEnd;
  }

  /** Reads the one element this reader holds, checks its tag, and enters it in place. */
  only(tag: number, what: string): this {
    this.expect(tag, what);
    this.finish(what);
    this.descend(what);
    return this;
  }

  /** Checks that the element entered by descend() is read to its end, and steps past it. */
  ascend(outerEnd: number, what: string): void {
    this.finish(what);
    this.depth--;
    this.end = outerEnd;
  }

  /** Checks that nothing follows the last element read. */
  finish(what: string): void {
    if (this.pos !== this.end) {
      throw this.error('ERR_DER_TRAILING_DATA', `${what}: expected no more data, received ${this.end - this.pos} trailing bytes`, this.pos);
    }
  }

  /** The value bytes of the element just read (a view, not a copy). */
  value(): Uint8Array {
    return this.bytes.subarray(this.valueStart, this.valueEnd);
  }

  /** The whole TLV of the element just read (a view). */
  element(): Uint8Array {
    return this.bytes.subarray(this.elementStart, this.valueEnd);
  }

  get valueLength(): number {
    return this.valueEnd - this.valueStart;
  }

  // --- Decoders of the element just read -------------------------------------------------

  boolean(what: string): boolean {
    if (this.valueLength !== 1) throw this.invalid(`${what}: expected a 1-byte BOOLEAN, received ${this.valueLength} bytes`);
    const v = this.bytes[this.valueStart];
    if (v === 0xff) return true;
    if (v === 0x00) return false;
    throw this.error('ERR_DER_BER_ENCODING', `${what}: expected BOOLEAN 0x00 or 0xFF (DER), received 0x${hex2(v!)}`, this.valueStart);
  }

  /** INTEGER content bytes (two's complement, big-endian), checked for minimal encoding. */
  integerBytes(what: string): Uint8Array {
    this.checkInteger(what);
    return this.bytes.subarray(this.valueStart, this.valueEnd);
  }

  /** Checks that the element just read is a minimally encoded INTEGER's contents. */
  checkInteger(what: string): void {
    const b = this.bytes;
    const s = this.valueStart;
    const n = this.valueLength;
    if (n === 0) throw this.invalid(`${what}: expected at least one INTEGER content byte, received none`);
    if (n > 1 && ((b[s] === 0 && b[s + 1]! < 0x80) || (b[s] === 0xff && b[s + 1]! >= 0x80))) {
      throw this.error('ERR_DER_BER_ENCODING', `${what}: expected a minimally encoded INTEGER (DER), received a redundant leading byte`, s);
    }
  }

  /** A small INTEGER (at most 4 content bytes) as a number; negative values allowed. */
  smallInteger(what: string): number {
    const bytes = this.integerBytes(what);
    if (bytes.length > 4) throw this.invalid(`${what}: expected an INTEGER of at most 4 bytes, received ${bytes.length} bytes`);
    let v = 0;
    for (let i = 0; i < bytes.length; i++) v = v * 256 + bytes[i]!;
    return bytes[0]! >= 0x80 ? v - 2 ** (8 * bytes.length) : v;
  }

  nullValue(what: string): void {
    if (this.valueLength !== 0) throw this.invalid(`${what}: expected an empty NULL, received ${this.valueLength} bytes`);
  }

  /** OBJECT IDENTIFIER in dotted decimal. */
  oid(what: string): string {
    const b = this.bytes;
    const s = this.valueStart;
    const e = this.valueEnd;
    if (s === e) throw this.invalid(`${what}: expected a non-empty OBJECT IDENTIFIER, received an empty one`);
    // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut: skipped, the general path below gives the same text
    if (e - s === 3 && b[s] === 0x55 && b[s + 1]! < 0x80 && b[s + 2]! < 0x80) {
      const key = (b[s + 1]! << 7) | b[s + 2]!;
      return (shortOids[key] ??= canonical(`2.5.${b[s + 1]}.${b[s + 2]}`));
    }
    const hash = hashBytes(b, s, e);
    const cached = oids.get(b, s, e, hash);
    // Stryker disable next-line ConditionalExpression: without the table the OID is decoded again: the same text
    if (cached !== undefined) return cached;
    if ((b[e - 1]! & 0x80) !== 0) throw this.invalid(`${what}: expected a complete OBJECT IDENTIFIER, received a truncated last arc`);
    // Stryker disable next-line StringLiteral: the first complete arc always assigns dotted (the last byte was checked to end an arc), so this value is never read
    let dotted = '';
    let arc = 0;
    let first = true;
    let arcStart = true;
    for (let i = s; i < e; i++) {
      const byte = b[i]!;
      if (arcStart && byte === 0x80) {
        throw this.error('ERR_DER_BER_ENCODING', `${what}: expected minimal OBJECT IDENTIFIER arcs (DER), received a leading 0x80`, i);
      }
      arc = arc * 128 + (byte & 0x7f);
      // Stryker disable next-line EqualityOperator: MAX_SAFE_INTEGER / 128 is not an integer, so an integer arc never equals it
      if (arc > Number.MAX_SAFE_INTEGER / 128) throw this.invalid(`${what}: expected OBJECT IDENTIFIER arcs below 2^46, received a larger one`);
      arcStart = (byte & 0x80) === 0;
      if (arcStart) {
        if (first) {
          const top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
          dotted = `${top}.${arc - 40 * top}`;
          first = false;
        } else dotted += `.${arc}`;
        arc = 0;
      }
    }
    const text = canonical(dotted);
    return oids.add(b, s, e, hash, () => text);
  }

  /**
   * Checks the BIT STRING just read (DER: unused bits 0 to 7, and zero); returns the count of
   * unused bits. The bits are the bytes from valueStart + 1 to valueEnd.
   */
  checkBitString(what: string): number {
    const b = this.bytes;
    const s = this.valueStart;
    const n = this.valueLength;
    if (n === 0) throw this.invalid(`${what}: expected a BIT STRING with an unused-bits octet, received none`);
    const unused = b[s]!;
    if (unused > 7) throw this.invalid(`${what}: expected 0 to 7 unused bits, received ${unused}`);
    if (n === 1 && unused !== 0) throw this.invalid(`${what}: expected 0 unused bits in an empty BIT STRING, received ${unused}`);
    // With no unused bits the mask is 0, so nothing is set.
    if ((b[this.valueEnd - 1]! & ((1 << unused) - 1)) !== 0) {
      throw this.error('ERR_DER_BER_ENCODING', `${what}: expected the unused bits to be zero (DER), received set bits`, this.valueEnd - 1);
    }
    return unused;
  }

  /** UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5) as milliseconds since the epoch. */
  time(what: string): number {
    const b = this.bytes;
    const s = this.valueStart;
    const n = this.valueLength;
    let year: number;
    let p: number;
    if (this.tag === TAG_UTC_TIME) {
      if (n !== 13 || b[s + 12] !== 0x5a) throw this.invalid(`${what}: expected UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1), received '${this.quote()}'`);
      const yy = this.digits(s, 2, what);
      year = yy >= 50 ? 1900 + yy : 2000 + yy;
      p = s + 2;
    } else if (this.tag === TAG_GENERALIZED_TIME) {
      if (n !== 15 || b[s + 14] !== 0x5a) throw this.invalid(`${what}: expected GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2), received '${this.quote()}'`);
      year = this.digits(s, 4, what);
      p = s + 4;
    } else {
      throw this.error('ERR_DER_UNEXPECTED_TAG', `${what}: expected UTCTime or GeneralizedTime, received ${tagName(this.tag)}`, this.elementStart);
    }
    const month = this.digits(p, 2, what);
    const day = this.digits(p + 2, 2, what);
    const hour = this.digits(p + 4, 2, what);
    const minute = this.digits(p + 6, 2, what);
    const second = this.digits(p + 8, 2, what);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
      throw this.invalid(`${what}: expected a valid calendar time, received '${this.quote()}'`);
    }
    return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000;
  }

  /** The value just read as text for a message, cut to 40 characters. */
  private quote(): string {
    const end = Math.min(this.valueEnd, this.valueStart + 40);
    return latin1(this.bytes, this.valueStart, end).replace(/[^\x20-\x7e]/g, '?') + (end < this.valueEnd ? '…' : '');
  }

  private digits(at: number, count: number, what: string): number {
    let v = 0;
    for (let i = at; i < at + count; i++) {
      const d = this.bytes[i]! - 0x30;
      if (d < 0 || d > 9) throw this.invalid(`${what}: expected a digit, received '${String.fromCharCode(this.bytes[i]!)}'`);
      v = v * 10 + d;
    }
    return v;
  }

  invalid(reason: string): GraphMtlsError {
    return this.error('ERR_DER_INVALID_VALUE', reason, this.valueStart);
  }

  error(code: InputErrorCode, reason: string, offset: number): InputError {
    return new InputError(code, reason, { offset });
  }
}
