// Names read from DER (RFC 5280 §4.1.2.4): Name ::= SEQUENCE OF SET SIZE (1..MAX) OF
// SEQUENCE { type OID, value ANY }, with the string types' text decoded. Issuer names repeat
// across a CA's certificates and are interned.

import {
  DerReader,
  TAG_BMP_STRING,
  TAG_IA5_STRING,
  TAG_NUMERIC_STRING,
  TAG_OID,
  TAG_PRINTABLE_STRING,
  TAG_SEQUENCE,
  TAG_SET,
  TAG_TELETEX_STRING,
  TAG_UNIVERSAL_STRING,
  TAG_UTF8_STRING,
  TAG_VISIBLE_STRING,
  tagName,
} from '../../encoding/der.ts';
import { Interner, hashEnds } from '../../encoding/intern.ts';
import { ascii, decodeUtf8, latin1 } from '../../encoding/utf8.ts';
import { InputError } from '../../errors.ts';
import type { AttributeTypeAndValue, Name, RelativeDistinguishedName } from './types.ts';

/** An attribute read from a certificate; `valueDer` is a view of the DER, made when read. */
class DerAttribute implements AttributeTypeAndValue {
  readonly type: string;
  readonly valueTag: number;
  readonly value: string | undefined;
  readonly #bytes: Uint8Array;
  readonly #start: number;
  readonly #end: number;

  constructor(type: string, valueTag: number, value: string | undefined, bytes: Uint8Array, start: number, end: number) {
    this.type = type;
    this.valueTag = valueTag;
    this.value = value;
    this.#bytes = bytes;
    this.#start = start;
    this.#end = end;
  }

  get valueDer(): Uint8Array {
    return this.#bytes.subarray(this.#start, this.#end);
  }
}

/**
 * Reads the next element of `reader` as a Name (RFC 5280 §4.1.2.4):
 * SEQUENCE OF SET SIZE (1..MAX) OF SEQUENCE { type OID, value ANY }.
 */
export function decodeName(reader: DerReader, what: string, maxAttributes: number): Name {
  const seq = reader.enter(TAG_SEQUENCE, what);
  return readName(seq, reader.element(), what, maxAttributes);
}

/** Names are SEQUENCE, SET, SEQUENCE deep below the reader they are read from. */
const NAME_DEPTH = 3;
/** Issuer names, kept from their second sighting: a one-off issuer is read like a subject. */
const issuers = new Interner<{ readonly name: Name; readonly attributes: number }>(4096, 'second');

/**
 * decodeName for issuer names, which repeat: every certificate a CA issued carries the same
 * one, and gets the same frozen Name (a first-seen one is frozen too).
 */
export function decodeIssuerName(reader: DerReader, what: string, maxAttributes: number): Name {
  reader.expect(TAG_SEQUENCE, what);
  const b = reader.bytes;
  const start = reader.elementStart;
  const end = reader.valueEnd;
  const hash = hashEnds(b, start, end);
  const cached = issuers.get(b, start, end, hash);
  if (cached !== undefined && cached.attributes <= maxAttributes && reader.depth + NAME_DEPTH <= reader.maxDepth) return cached.name;
  const { depth, maxDepth } = reader;
  return issuers.add(b, start, end, hash, (source, s, e) => {
    let name: Name;
    try {
      name = decodeName(new DerReader(source, s, e, depth, maxDepth), what, maxAttributes);
    } catch (error) {
      // A kept name is read from its own copy: offsets are moved back to the certificate's.
      if (s !== start && error instanceof InputError && error.offset !== undefined) {
        throw new InputError(error.code, error.reason, { offset: error.offset + start - s, cause: error.cause });
      }
      throw error;
    }
    return { name, attributes: attributeCount(name) };
  }).name;
}

function attributeCount(name: Name): number {
  let n = 0;
  for (const rdn of name.rdns) n += rdn.length;
  return n;
}

function readName(seq: DerReader, der: Uint8Array, what: string, maxAttributes: number): Name {
  const rdns: RelativeDistinguishedName[] = [];
  // Built once per Name, not per attribute: this runs for every certificate read.
  const whatRdn = what + ' RelativeDistinguishedName';
  const whatAva = what + ' AttributeTypeAndValue';
  const whatType = what + ' attribute type';
  const whatValue = what + ' attribute value';
  let count = 0;
  while (!seq.done) {
    seq.expect(TAG_SET, whatRdn);
    if (seq.valueLength === 0) {
      throw new InputError('ERR_DER_SIZE_CONSTRAINT',
        `${whatRdn}: expected at least one AttributeTypeAndValue (SET SIZE (1..MAX)), received an empty SET`,
        { offset: seq.elementStart },
      );
    }
    // Each SET and SEQUENCE is entered in place (no reader per attribute).
    const rdnOutside = seq.descend(whatRdn);
    // DER sorts SET OF members, but Windows, .NET and Go all accept unsorted multi-valued
    // RDNs, so the order is kept as encoded rather than refused.
    let rdn: AttributeTypeAndValue[] | undefined;
    while (!seq.done) {
      if (++count > maxAttributes) {
        throw new InputError('ERR_LIMIT_EXCEEDED',
          `${what}: expected at most ${maxAttributes} attributes, received more`,
          { offset: seq.pos },
        );
      }
      seq.expect(TAG_SEQUENCE, whatAva);
      const avaOutside = seq.descend(whatAva);
      seq.expect(TAG_OID, whatType);
      const type = seq.oid(whatType);
      const valueTag = seq.next(whatValue);
      const value = decodeText(valueTag, seq.bytes, seq.valueStart, seq.valueEnd);
      if (value === null) throw seq.invalid(`${whatValue}: expected ${textExpectation(valueTag)}, received malformed content`);
      const entry = new DerAttribute(type, valueTag, value, seq.bytes, seq.elementStart, seq.valueEnd);
      // One attribute per RDN is the common case (bench/README.md, engine notes).
      if (rdn === undefined) rdn = [entry];
      else rdn.push(entry);
      seq.ascend(avaOutside, whatAva);
    }
    seq.ascend(rdnOutside, whatRdn);
    rdns.push(rdn!);
  }
  return { rdns: rdns.slice(), der };
}

/**
 * The text of a string-typed value in bytes[start, end): undefined when the tag is not a
 * string type, null when the content is not valid for the tag.
 */
export function decodeText(tag: number, b: Uint8Array, start: number, end: number): string | undefined | null {
  switch (tag) {
    case TAG_UTF8_STRING:
      return ascii(b, start, end) ?? decodeUtf8(b, start, end) ?? null;
    case TAG_PRINTABLE_STRING:
    case TAG_IA5_STRING:
    case TAG_VISIBLE_STRING:
    case TAG_NUMERIC_STRING:
      return ascii(b, start, end);
    case TAG_TELETEX_STRING:
      // T.61 proper is almost never what issuers mean; Latin-1 is what OpenSSL, Go and
      // browsers display.
      return latin1(b, start, end);
    case TAG_BMP_STRING: {
      if ((end - start) % 2 !== 0) return null;
      let out = '';
      for (let i = start; i < end; i += 2) {
        const unit = (b[i]! << 8) | b[i + 1]!;
        if (unit >= 0xd800 && unit <= 0xdfff) {
          // Only a high surrogate followed by a low one forms a character.
          const next = i + 3 < end ? (b[i + 2]! << 8) | b[i + 3]! : -1;
          if (unit > 0xdbff || next < 0xdc00 || next > 0xdfff) return null;
          out += String.fromCharCode(unit, next);
          i += 2;
        } else out += String.fromCharCode(unit);
      }
      return out;
    }
    case TAG_UNIVERSAL_STRING: {
      if ((end - start) % 4 !== 0) return null;
      let out = '';
      for (let i = start; i < end; i += 4) {
        const cp = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
        out += String.fromCodePoint(cp);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** What a string type's content must be, for the message of one that is not. */
export function textExpectation(tag: number): string {
  switch (tag) {
    case TAG_UTF8_STRING:
      return 'a UTF8String of well-formed UTF-8 (RFC 3629)';
    case TAG_BMP_STRING:
      return 'a BMPString of UTF-16BE code units (an even number of bytes, paired surrogates)';
    case TAG_UNIVERSAL_STRING:
      return 'a UniversalString of UTF-32BE code points (a multiple of 4 bytes, at most U+10FFFF)';
    default:
      return `a ${tagName(tag)} of ASCII characters`;
  }
}
