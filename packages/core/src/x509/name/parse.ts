// Distinguished names given as text: RFC 4514 strings, and the variants people paste from
// Windows/.NET (", " separators, S=, E=, quoted values) and OpenSSL (one-line and slash forms).

import { DerReader, TAG_UTF8_STRING, encodeTlv } from '../../encoding/der.ts';
import { decodeUtf8, encodeUtf8 } from '../../encoding/utf8.ts';
import { ArgumentError } from '../../errors.ts';
import { DEFAULT_LIMITS } from '../../limits.ts';
import { KEYWORD_OIDS } from './keywords.ts';
import { decodeText, textExpectation } from './decode.ts';
import type { AttributeTypeAndValue, RelativeDistinguishedName } from './types.ts';

/**
 * Parses an RFC 4514 string into RDNs in certificate order (the reverse of the text).
 * Also accepts the Windows/.NET form (", " separators, S=, E=, quoted values), OpenSSL's
 * one-line form (`C = US, O = Example, CN = x`: spaces around '='), ';' separators (RFC 2253
 * §4) and OpenSSL's slash form (/C=US/O=Example/CN=x). OpenSSL prints both of its forms in
 * certificate order (C first), so those two are read in the order written.
 */
export function parseDistinguishedName(text: string, options: { readonly maxAttributes?: number } = {}): RelativeDistinguishedName[] {
  return new DnParser(text, options.maxAttributes ?? DEFAULT_LIMITS.maxNameAttributes).parse();
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

class DnParser {
  readonly text: string;
  pos = 0;
  slash = false;
  /** The first '=' had white space on both sides: OpenSSL's one-line form. */
  spacedEquals: boolean | undefined;
  /** Attributes left before the limit (the certificate reader's, so a name no certificate can hold is refused early). */
  left: number;
  readonly maxAttributes: number;

  constructor(text: string, maxAttributes: number) {
    this.text = text;
    this.left = this.maxAttributes = maxAttributes;
  }

  parse(): RelativeDistinguishedName[] {
    this.skipSpaces();
    if (this.done) return [];
    if (this.peek() === 0x2f) {
      this.slash = true;
      this.pos++;
      this.skipSpaces();
      if (this.done) return [];
    }
    const rdns: AttributeTypeAndValue[][] = [];
    for (;;) {
      const rdn: AttributeTypeAndValue[] = [this.attribute()];
      this.skipSpaces();
      while (this.peek() === 0x2b) {
        this.pos++;
        this.skipSpaces();
        rdn.push(this.attribute());
        this.skipSpaces();
      }
      rdns.push(rdn);
      if (this.done) break;
      const c = this.peek();
      if (this.slash ? c !== 0x2f : c !== 0x2c && c !== 0x3b) {
        throw this.error(this.slash ? "'/', '+' or the end" : "',', '+' or the end");
      }
      this.pos++;
      this.skipSpaces();
    }
    // RFC 4514 §2.1 writes the last RDN of the sequence first; OpenSSL's forms do not.
    return this.slash || this.spacedEquals === true ? rdns : rdns.reverse();
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  skipSpaces(): void {
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  isTerminator(c: number): boolean {
    return c === 0x2b || (this.slash ? c === 0x2f : c === 0x2c || c === 0x3b);
  }

  attribute(): AttributeTypeAndValue {
    if (--this.left < 0) throw new ArgumentError('ERR_LIMIT_EXCEEDED', `distinguished name at character ${this.pos + 1}: expected at most ${this.maxAttributes} attributes, received more`, { position: this.pos + 1 });
    const type = this.attributeType();
    const beforeEquals = this.pos;
    this.skipSpaces();
    if (this.peek() !== 0x3d) throw this.error("'=' after the attribute type");
    const spaceBefore = this.pos > beforeEquals;
    this.pos++;
    const afterEquals = this.pos;
    this.skipSpaces();
    this.spacedEquals ??= spaceBefore && this.pos > afterEquals;
    const c = this.peek();
    if (c === 0x23) return this.hexValue(type);
    const value = c === 0x22 ? this.quotedValue() : this.stringValue();
    return { type, valueTag: TAG_UTF8_STRING, value, valueDer: encodeTlv(TAG_UTF8_STRING, encodeUtf8(value)) };
  }

  /** RFC 4514 §3 attributeType: a keyword (RFC 4512 §1.4) or a numericoid, also 'OID.' + numericoid. */
  attributeType(): string {
    const start = this.pos;
    const c = this.peek();
    if (isDigit(c)) return this.numericOid();
    if (!isAlpha(c)) throw this.error('an attribute type (a keyword such as CN, or a dotted OID)');
    this.pos++;
    while (isAlpha(this.peek()) || isDigit(this.peek()) || this.peek() === 0x2d) this.pos++;
    const keyword = this.text.slice(start, this.pos).toUpperCase();
    if (keyword === 'OID' && this.peek() === 0x2e && isDigit(this.text.charCodeAt(this.pos + 1))) {
      this.pos++;
      return this.numericOid();
    }
    const oid = KEYWORD_OIDS.get(keyword);
    if (oid === undefined) {
      throw this.error('a known attribute type keyword or a dotted OID', start, `'${this.quote(start, this.pos)}'`);
    }
    return oid;
  }

  /** numericoid = number 1*( DOT number ), number without leading zeros (RFC 4512 §1.4). */
  numericOid(): string {
    const start = this.pos;
    let arcs = 0;
    let first = -1;
    for (;;) {
      const arcStart = this.pos;
      while (isDigit(this.peek())) this.pos++;
      if (this.pos === arcStart) throw this.error('a digit in the OID');
      if (this.pos - arcStart > 1 && this.text.charCodeAt(arcStart) === 0x30) {
        throw this.error('an OID arc without leading zeros', arcStart, `'${this.quote(arcStart, this.pos)}'`);
      }
      const arc = this.text.slice(arcStart, this.pos);
      if (arcs === 0) {
        first = Number(arc);
        if (first > 2) throw this.error('an OID starting with 0, 1 or 2', arcStart, `'${arc}'`);
      } else if (arcs === 1 && first < 2 && (arc.length > 2 || Number(arc) >= 40)) {
        throw this.error('a second OID arc below 40 (X.660)', arcStart, `'${this.quote(arcStart, this.pos)}'`);
      }
      arcs++;
      if (this.peek() !== 0x2e) break;
      this.pos++;
    }
    if (arcs < 2) throw this.error('an OID of at least two arcs', start, `'${this.quote(start, this.pos)}'`);
    return this.text.slice(start, this.pos);
  }

  /** '#' hexstring (RFC 4514 §2.4): the BER of one value. */
  hexValue(type: string): AttributeTypeAndValue {
    const start = ++this.pos;
    while (hexValue(this.peek()) >= 0) this.pos++;
    const digits = this.pos - start;
    if (digits === 0 || digits % 2 !== 0) {
      throw this.error('an even, non-zero number of hex digits after #', this.pos, this.described(this.pos));
    }
    const after = this.pos;
    this.skipSpaces();
    if (!this.done && !this.isTerminator(this.peek())) throw this.error('a hex digit, a separator or the end', after, this.described(after));
    const bytes = new Uint8Array(digits / 2);
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = hexValue(this.text.charCodeAt(start + 2 * i)) * 16 + hexValue(this.text.charCodeAt(start + 2 * i + 1));
    }
    const r = new DerReader(bytes);
    let valueTag: number;
    try {
      valueTag = r.next('attribute value');
      r.finish('attribute value');
    } catch (e) {
      throw this.error('#hex holding exactly one DER element', start - 1, `'${this.quote(start - 1, after)}'`, e);
    }
    const value = decodeText(valueTag, bytes, r.valueStart, r.valueEnd);
    if (value === null) throw this.error(`#hex holding ${textExpectation(valueTag)}`, start - 1, 'malformed content');
    return { type, valueTag, value, valueDer: bytes };
  }

  /** A quoted value: RFC 2253 §4 (backslash pairs inside) and .NET's doubled '""'. */
  quotedValue(): string {
    const open = this.pos++;
    const sb = new ValueBuilder();
    for (;;) {
      if (this.done) throw this.error(`a closing '"' for the quote at character ${open + 1}`);
      const c = this.peek();
      if (c === 0x22) {
        if (this.text.charCodeAt(this.pos + 1) === 0x22) {
          sb.char(this, '"', true);
          this.pos += 2;
          continue;
        }
        this.pos++;
        break;
      }
      if (c === 0x5c) this.escape(sb);
      else {
        const ch = this.charAt(this.pos);
        sb.char(this, ch, true);
        this.pos += ch.length;
      }
    }
    const value = sb.finish(this);
    this.skipSpaces();
    if (!this.done && !this.isTerminator(this.peek())) throw this.error("a separator or the end after the closing '\"'");
    return value;
  }

  /** An unquoted value: up to an unescaped separator; unescaped spaces at the end dropped. */
  stringValue(): string {
    const sb = new ValueBuilder();
    while (!this.done) {
      const c = this.peek();
      if (this.isTerminator(c)) break;
      if (c === 0x5c) this.escape(sb);
      else {
        const ch = this.charAt(this.pos);
        sb.char(this, ch, !isSpace(c));
        this.pos += ch.length;
      }
    }
    return sb.finish(this);
  }

  /** RFC 4514 §3 pair: '\' followed by a special character or two hex digits (UTF-8 bytes). */
  escape(sb: ValueBuilder): void {
    const at = this.pos++;
    if (this.done) throw this.error("a character or two hex digits after '\\'");
    const h1 = hexValue(this.peek());
    if (h1 >= 0) {
      const h2 = hexValue(this.text.charCodeAt(this.pos + 1));
      if (h2 < 0) throw this.error("two hex digits after '\\'", at, `'${this.quote(at, this.pos + 2)}'`);
      sb.byte(h1 * 16 + h2, at);
      this.pos += 2;
      return;
    }
    // Any other character stands for itself (lenient: RFC 4514 lists only the specials).
    const ch = this.charAt(this.pos);
    sb.char(this, ch, true);
    this.pos += ch.length;
  }

  /** The whole character (one or two UTF-16 units) at `at`; an unpaired surrogate has no UTF-8 form. */
  charAt(at: number): string {
    const c = this.text.charCodeAt(at);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = this.text.charCodeAt(at + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw this.error('a Unicode character', at, 'an unpaired surrogate');
      return this.text.slice(at, at + 2);
    }
    return this.text[at]!;
  }

  quote(start: number, end: number): string {
    const s = this.text.slice(start, Math.min(end, start + 60));
    return end - start > 60 ? s + '...' : s;
  }

  described(at: number): string {
    if (at >= this.text.length) return 'the end';
    const c = this.text.codePointAt(at)!;
    return c < 0x20 || c === 0x7f ? `U+${c.toString(16).padStart(4, '0').toUpperCase()}` : `'${String.fromCodePoint(c)}'`;
  }

  error(expected: string, at: number = this.pos, received: string = this.described(at), cause?: unknown): ArgumentError {
    return new ArgumentError('ERR_INVALID_DN', `distinguished name at character ${at + 1}: expected ${expected}, received ${received}`, {
      position: at + 1,
      cause,
    });
  }
}

/** Collects a value's characters and escaped UTF-8 bytes; tracks where significant text ends. */
class ValueBuilder {
  out = '';
  keep = 0;
  bytes: number[] = [];
  bytesAt = 0;

  byte(b: number, at: number): void {
    if (this.bytes.length === 0) this.bytesAt = at;
    this.bytes.push(b);
  }

  flush(p: DnParser): void {
    if (this.bytes.length === 0) return;
    const text = decodeUtf8(Uint8Array.from(this.bytes));
    if (text === undefined) {
      throw p.error("'\\' hex pairs that form UTF-8 (RFC 4514 §3)", this.bytesAt, `'${p.quote(this.bytesAt, this.bytesAt + 3 * this.bytes.length)}'`);
    }
    this.out += text;
    this.keep = this.out.length;
    this.bytes.length = 0;
  }

  char(p: DnParser, ch: string, significant: boolean): void {
    this.flush(p);
    this.out += ch;
    if (significant) this.keep = this.out.length;
  }

  finish(p: DnParser): string {
    this.flush(p);
    return this.keep === this.out.length ? this.out : this.out.slice(0, this.keep);
  }
}
