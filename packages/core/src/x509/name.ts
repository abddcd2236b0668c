// Distinguished names: the DER Name of RFC 5280 §4.1.2.4, its RFC 4514 string form (and a
// lenient parser of the Windows/.NET and OpenSSL variants), and the .NET
// X500DistinguishedName.Name form Graph shows in `issuer`.
//
// Decision (RFC 4514 §2.3, §3): only CN, L, ST, O, OU, C, STREET, DC and UID are written as
// keywords. Every other type, emailAddress and serialNumber included, is written as its dotted
// OID with a '#' hex BER value, so the output is strict RFC 4514 whatever tools print.

import {
  DerReader,
  TAG_BMP_STRING,
  TAG_IA5_STRING,
  TAG_NUMERIC_STRING,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_PRINTABLE_STRING,
  TAG_SEQUENCE,
  TAG_SET,
  TAG_TELETEX_STRING,
  TAG_UNIVERSAL_STRING,
  TAG_UTF8_STRING,
  TAG_VISIBLE_STRING,
  tagName,
} from '../encoding/der.ts';
import { toHex, toUpperHex } from '../encoding/hex.ts';
import { ByteCache, hashEnds } from '../encoding/intern.ts';
import { ascii, decodeUtf8, encodeUtf8, latin1 } from '../encoding/utf8.ts';
import { GraphMtlsError } from '../errors.ts';
import { DEFAULT_LIMITS } from '../limits.ts';

export interface AttributeTypeAndValue {
  /** Dotted OID, e.g. '2.5.4.3'. */
  readonly type: string;
  /** ASN.1 tag of the value (0x0c UTF8String, 0x13 PrintableString, ...). */
  readonly valueTag: number;
  /** Decoded text when the value is a string type, else undefined. */
  readonly value: string | undefined;
  /** The value's complete TLV bytes (for RFC 4514 '#hex' output). */
  readonly valueDer: Uint8Array;
}
export type RelativeDistinguishedName = readonly AttributeTypeAndValue[];

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
export interface Name {
  readonly rdns: readonly RelativeDistinguishedName[];
  readonly der: Uint8Array;
}

const OID_CN = '2.5.4.3';
const OID_SURNAME = '2.5.4.4';
const OID_SERIAL_NUMBER = '2.5.4.5';
const OID_C = '2.5.4.6';
const OID_L = '2.5.4.7';
const OID_ST = '2.5.4.8';
const OID_STREET = '2.5.4.9';
const OID_O = '2.5.4.10';
const OID_OU = '2.5.4.11';
const OID_TITLE = '2.5.4.12';
const OID_DESCRIPTION = '2.5.4.13';
const OID_BUSINESS_CATEGORY = '2.5.4.15';
const OID_POSTAL_CODE = '2.5.4.17';
const OID_PO_BOX = '2.5.4.18';
const OID_PHONE = '2.5.4.20';
const OID_X21_ADDRESS = '2.5.4.24';
const OID_NAME = '2.5.4.41';
const OID_GIVEN_NAME = '2.5.4.42';
const OID_INITIALS = '2.5.4.43';
const OID_GENERATION_QUALIFIER = '2.5.4.44';
const OID_DN_QUALIFIER = '2.5.4.46';
const OID_PSEUDONYM = '2.5.4.65';
const OID_ORGANIZATION_IDENTIFIER = '2.5.4.97';
const OID_DC = '0.9.2342.19200300.100.1.25';
const OID_UID = '0.9.2342.19200300.100.1.1';
const OID_EMAIL = '1.2.840.113549.1.9.1';
const OID_UNSTRUCTURED_NAME = '1.2.840.113549.1.9.2';
const OID_JURISDICTION_L = '1.3.6.1.4.1.311.60.2.1.1';
const OID_JURISDICTION_ST = '1.3.6.1.4.1.311.60.2.1.2';
const OID_JURISDICTION_C = '1.3.6.1.4.1.311.60.2.1.3';
const OID_TPM_MANUFACTURER = '2.23.133.2.1';
const OID_TPM_MODEL = '2.23.133.2.2';
const OID_TPM_VERSION = '2.23.133.2.3';

// RFC 4514 §3: the only keywords a conforming implementation writes.
const RFC4514_NAMES: ReadonlyMap<string, string> = new Map([
  [OID_CN, 'CN'],
  [OID_L, 'L'],
  [OID_ST, 'ST'],
  [OID_O, 'O'],
  [OID_OU, 'OU'],
  [OID_C, 'C'],
  [OID_STREET, 'STREET'],
  [OID_DC, 'DC'],
  [OID_UID, 'UID'],
]);

// The attribute keywords of .NET's OidLookup table (dotnet/runtime
// src/libraries/Common/src/System/Security/Cryptography/OidLookup.cs), which copies the names
// Windows' CryptoAPI prints; X500NameEncoder writes "OID.<dotted>" for any other type.
const DOTNET_NAMES: ReadonlyMap<string, string> = new Map([
  [OID_CN, 'CN'],
  [OID_OU, 'OU'],
  [OID_O, 'O'],
  [OID_L, 'L'],
  [OID_ST, 'S'],
  [OID_C, 'C'],
  [OID_EMAIL, 'E'],
  [OID_STREET, 'STREET'],
  [OID_DC, 'DC'],
  [OID_SERIAL_NUMBER, 'SERIALNUMBER'],
  [OID_GIVEN_NAME, 'G'],
  [OID_SURNAME, 'SN'],
  [OID_TITLE, 'T'],
  [OID_INITIALS, 'I'],
  [OID_DESCRIPTION, 'Description'],
  [OID_DN_QUALIFIER, 'dnQualifier'],
  [OID_PHONE, 'Phone'],
  [OID_PO_BOX, 'POBox'],
  [OID_POSTAL_CODE, 'PostalCode'],
  [OID_X21_ADDRESS, 'X21Address'],
  [OID_TPM_MANUFACTURER, 'TPMManufacturer'],
  [OID_TPM_MODEL, 'TPMModel'],
  [OID_TPM_VERSION, 'TPMVersion'],
]);

// Keywords accepted when parsing (upper case): RFC 4514 §3, RFC 4519, the Windows/.NET names
// and OpenSSL's short and long names.
const KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['CN', OID_CN], ['COMMONNAME', OID_CN],
  ['SN', OID_SURNAME], ['SURNAME', OID_SURNAME],
  ['SERIALNUMBER', OID_SERIAL_NUMBER],
  ['C', OID_C], ['COUNTRYNAME', OID_C],
  ['L', OID_L], ['LOCALITYNAME', OID_L],
  ['ST', OID_ST], ['S', OID_ST], ['STATEORPROVINCENAME', OID_ST],
  ['STREET', OID_STREET], ['STREETADDRESS', OID_STREET],
  ['O', OID_O], ['ORGANIZATIONNAME', OID_O],
  ['OU', OID_OU], ['ORGANIZATIONALUNITNAME', OID_OU],
  ['T', OID_TITLE], ['TITLE', OID_TITLE],
  ['DESCRIPTION', OID_DESCRIPTION],
  ['BUSINESSCATEGORY', OID_BUSINESS_CATEGORY],
  ['POSTALCODE', OID_POSTAL_CODE],
  ['POBOX', OID_PO_BOX], ['POSTOFFICEBOX', OID_PO_BOX],
  ['PHONE', OID_PHONE], ['TELEPHONENUMBER', OID_PHONE],
  ['X21ADDRESS', OID_X21_ADDRESS],
  ['NAME', OID_NAME],
  ['G', OID_GIVEN_NAME], ['GN', OID_GIVEN_NAME], ['GIVENNAME', OID_GIVEN_NAME],
  ['I', OID_INITIALS], ['INITIALS', OID_INITIALS],
  ['GENERATIONQUALIFIER', OID_GENERATION_QUALIFIER],
  ['DNQUALIFIER', OID_DN_QUALIFIER],
  ['PSEUDONYM', OID_PSEUDONYM],
  ['ORGANIZATIONIDENTIFIER', OID_ORGANIZATION_IDENTIFIER],
  ['DC', OID_DC], ['DOMAINCOMPONENT', OID_DC],
  ['UID', OID_UID], ['USERID', OID_UID],
  ['E', OID_EMAIL], ['EMAIL', OID_EMAIL], ['EMAILADDRESS', OID_EMAIL],
  ['UNSTRUCTUREDNAME', OID_UNSTRUCTURED_NAME],
  ['JURISDICTIONL', OID_JURISDICTION_L], ['JURISDICTIONLOCALITYNAME', OID_JURISDICTION_L],
  ['JURISDICTIONST', OID_JURISDICTION_ST], ['JURISDICTIONSTATEORPROVINCENAME', OID_JURISDICTION_ST],
  ['JURISDICTIONC', OID_JURISDICTION_C], ['JURISDICTIONCOUNTRYNAME', OID_JURISDICTION_C],
  ['TPMMANUFACTURER', OID_TPM_MANUFACTURER],
  ['TPMMODEL', OID_TPM_MODEL],
  ['TPMVERSION', OID_TPM_VERSION],
]);

/** The RFC 4514 §3 keyword of an attribute type (CN, L, ST, O, OU, C, STREET, DC, UID). */
export function attributeShortName(oid: string): string | undefined {
  return RFC4514_NAMES.get(oid);
}

// --- DER ---------------------------------------------------------------------------------

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
const issuerCache = new ByteCache<{ readonly name: Name; readonly attributes: number }>(4096);
const ISSUERS_SEEN = 4096;
const issuersSeen = new Int32Array(ISSUERS_SEEN);

/**
 * decodeName for issuer names, which repeat: every certificate a CA issued carries the same
 * one. A repeat is the cached (frozen) Name; a new one is read from a copy of its bytes, so
 * the cache holds no certificate's buffer.
 */
export function decodeIssuerName(reader: DerReader, what: string, maxAttributes: number): Name {
  reader.expect(TAG_SEQUENCE, what);
  const b = reader.bytes;
  const start = reader.elementStart;
  const end = reader.valueEnd;
  const hash = hashEnds(b, start, end);
  const cached = issuerCache.get(b, start, end, hash);
  if (cached !== undefined && cached.attributes <= maxAttributes && reader.depth + NAME_DEPTH <= reader.maxDepth) return cached.name;
  // A name is kept from its second sighting: a one-off issuer is read like a subject.
  const seen = hash & (ISSUERS_SEEN - 1);
  if (issuersSeen[seen] !== (hash | 0)) {
    issuersSeen[seen] = hash;
    return readName(reader.child(what), reader.element(), what, maxAttributes);
  }
  const own = b.slice(start, end);
  const copy = new DerReader(own, 0, own.length, reader.depth, reader.maxDepth);
  let name: Name;
  try {
    name = decodeName(copy, what, maxAttributes);
  } catch (error) {
    // Offsets are the certificate's, not the copy's.
    if (error instanceof GraphMtlsError && error.offset !== undefined) {
      throw new GraphMtlsError(error.code, error.reason, { offset: error.offset + start, cause: error.cause });
    }
    throw error;
  }
  for (const rdn of name.rdns) {
    for (const ava of rdn) Object.freeze(ava);
    Object.freeze(rdn);
  }
  Object.freeze(name.rdns);
  issuerCache.set(own, hash, { name: Object.freeze(name), attributes: attributeCount(name) });
  return name;
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
      throw new GraphMtlsError(
        'ERR_DER_INVALID_VALUE',
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
        throw new GraphMtlsError(
          'ERR_LIMIT_EXCEEDED',
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
      // Array literals are allocated to size; push() would reserve room for 17.
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
function decodeText(tag: number, b: Uint8Array, start: number, end: number): string | undefined | null {
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

function textExpectation(tag: number): string {
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

function rdnsOf(name: Name | readonly RelativeDistinguishedName[]): readonly RelativeDistinguishedName[] {
  return 'rdns' in name ? name.rdns : name;
}

// --- RFC 4514 output ---------------------------------------------------------------------

/** The RFC 4514 §2 string: RDNs most specific first, ',' between RDNs, '+' inside one. */
export function formatRfc4514(name: Name | readonly RelativeDistinguishedName[]): string {
  // A shared (frozen, interned) issuer name is written once for all the certificates it issued.
  const shared = Object.isFrozen(name) && !Array.isArray(name);
  if (shared) {
    const known = formattedNames.get(name as Name);
    if (known !== undefined) return known;
  }
  const text = writeRfc4514(rdnsOf(name));
  if (shared) formattedNames.set(name as Name, text);
  return text;
}

const formattedNames = new WeakMap<Name, string>();

function writeRfc4514(rdns: readonly RelativeDistinguishedName[]): string {
  let out = '';
  for (let i = rdns.length - 1; i >= 0; i--) {
    if (i !== rdns.length - 1) out += ',';
    const rdn = rdns[i]!;
    for (let j = 0; j < rdn.length; j++) {
      if (j > 0) out += '+';
      const ava = rdn[j]!;
      const short = RFC4514_NAMES.get(ava.type);
      // §2.4: a dotted-OID type, or a value without a string form, is written as '#' + BER hex.
      if (short === undefined || ava.value === undefined) out += `${short ?? ava.type}=#${toHex(ava.valueDer)}`;
      else out += `${short}=${escapeRfc4514(ava.value)}`;
    }
  }
  return out;
}

function needsBackslash(c: number): boolean {
  // RFC 4514 §2.4: '"', '+', ',', ';', '<', '>', '\'.
  return c === 0x22 || c === 0x2b || c === 0x2c || c === 0x3b || c === 0x3c || c === 0x3e || c === 0x5c;
}

/**
 * Escapes an attribute value per RFC 4514 §2.4; UTF-8 stays as characters. Control characters
 * (NUL required, the other C0 controls and DEL allowed by "other characters may be escaped")
 * are written as '\XX', so a tab or newline at either end is not mistaken for padding.
 */
function escapeRfc4514(value: string): string {
  const n = value.length;
  if (n === 0) return value;
  let clean = value.charCodeAt(0) !== 0x23 && value.charCodeAt(0) !== 0x20 && value.charCodeAt(n - 1) !== 0x20;
  for (let i = 0; clean && i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || needsBackslash(c)) clean = false;
  }
  if (clean) return value;
  let out = '';
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) out += (c < 0x10 ? '\\0' : '\\') + c.toString(16).toUpperCase();
    else if (needsBackslash(c) || (i === 0 && (c === 0x23 || c === 0x20)) || (i === n - 1 && c === 0x20)) {
      out += '\\' + value[i]!;
    } else out += value[i]!;
  }
  return out;
}

// --- .NET output -------------------------------------------------------------------------

/**
 * The form of .NET's X500DistinguishedName.Name (Decode(X500DistinguishedNameFlags.Reversed)),
 * which Graph shows in certificateAuthority.issuer. Conventions from dotnet/runtime
 * X500NameEncoder: RDNs most specific first joined by ", ", " + " inside a multi-valued RDN,
 * OidLookup keywords else "OID.<dotted>=", string values as text (trailing NULs dropped),
 * quoted in "..." with '"' doubled when empty, starting or ending with white space, or
 * containing any of , + = " \n < > # ;. A value that is not a string is '#' + upper-case hex
 * of the whole TLV, or of the contents of an OCTET STRING, which Windows unwraps once.
 */
export function formatDotNet(name: Name | readonly RelativeDistinguishedName[]): string {
  const rdns = rdnsOf(name);
  let out = '';
  for (let i = rdns.length - 1; i >= 0; i--) {
    if (i !== rdns.length - 1) out += ', ';
    const rdn = rdns[i]!;
    for (let j = 0; j < rdn.length; j++) {
      if (j > 0) out += ' + ';
      const ava = rdn[j]!;
      const keyword = DOTNET_NAMES.get(ava.type);
      out += keyword === undefined ? `OID.${ava.type}=` : `${keyword}=`;
      out += dotNetValue(ava);
    }
  }
  return out;
}

function dotNetValue(ava: AttributeTypeAndValue): string {
  if (ava.value === undefined) {
    if (ava.valueTag === TAG_OCTET_STRING) {
      const r = new DerReader(ava.valueDer);
      r.next('attribute value');
      return '#' + toUpperHex(r.value());
    }
    return '#' + toUpperHex(ava.valueDer);
  }
  let end = ava.value.length;
  while (end > 0 && ava.value.charCodeAt(end - 1) === 0) end--;
  const value = end === ava.value.length ? ava.value : ava.value.slice(0, end);
  if (!dotNetNeedsQuotes(value)) return value;
  let out = '"';
  for (let i = 0; i < value.length; i++) out += value[i] === '"' ? '""' : value[i]!;
  return out + '"';
}

function isDotNetSpace(c: number): boolean {
  // X500NameEncoder.IsQuotableWhitespace: space and U+0009..U+000D.
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function dotNetNeedsQuotes(value: string): boolean {
  if (value.length === 0) return true;
  if (isDotNetSpace(value.charCodeAt(0)) || isDotNetSpace(value.charCodeAt(value.length - 1))) return true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // , + = " \n < > # ;  (\r is not in the list, as on Windows)
    if (c === 0x2c || c === 0x2b || c === 0x3d || c === 0x22 || c === 0x0a || c === 0x3c || c === 0x3e || c === 0x23 || c === 0x3b) {
      return true;
    }
  }
  return false;
}

// --- Parsing -----------------------------------------------------------------------------

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

/** A UTF8String TLV: what a value given as text is encoded as. */
function utf8StringTlv(value: string): Uint8Array {
  const content = encodeUtf8(value);
  const n = content.length;
  const header: number[] = [TAG_UTF8_STRING];
  if (n < 0x80) header.push(n);
  else if (n < 0x100) header.push(0x81, n);
  else if (n < 0x10000) header.push(0x82, n >> 8, n & 0xff);
  else if (n < 0x1000000) header.push(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
  else header.push(0x84, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  const out = new Uint8Array(header.length + n);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
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
    if (--this.left < 0) throw new GraphMtlsError('ERR_LIMIT_EXCEEDED', `distinguished name at character ${this.pos + 1}: expected at most ${this.maxAttributes} attributes, received more`);
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
    return { type, valueTag: TAG_UTF8_STRING, value, valueDer: utf8StringTlv(value) };
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
    const oid = KEYWORDS.get(keyword);
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

  error(expected: string, at: number = this.pos, received: string = this.described(at), cause?: unknown): GraphMtlsError {
    return new GraphMtlsError('ERR_INVALID_DN', `distinguished name at character ${at + 1}: expected ${expected}, received ${received}`, {
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
