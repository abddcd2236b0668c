// The RFC 4514 string form of a Name.
//
// RFC 4514 §2.3: a type whose short name is registered with IANA (keywords.ts: CN, serialNumber,
// emailAddress, ...) is written by that name, with its value as an escaped string (§2.4); any
// other type as its dotted OID with a '#' hex BER value. A value without a string form is
// written as '#' hex under either.

import { toHex } from '../../encoding/hex.ts';
import { RFC4514_KEYWORDS } from './keywords.ts';
import { rdnsOf, type Name, type RelativeDistinguishedName } from './types.ts';

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
      const short = RFC4514_KEYWORDS.get(ava.type);
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

// Attribute types without a registered LDAP name, which RFC 4514 §2.3 writes as dotted OIDs, by
// the names OpenSSL prints (crypto/objects/objects.txt; the TCG ones in recent versions only).
const OPENSSL_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.97', 'organizationIdentifier'],
  ['1.2.840.113549.1.9.2', 'unstructuredName'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionL'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionST'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionC'],
  ['2.23.133.2.1', 'tcg-at-tpmManufacturer'],
  ['2.23.133.2.2', 'tcg-at-tpmModel'],
  ['2.23.133.2.3', 'tcg-at-tpmVersion'],
]);

/**
 * For people reading a strict RFC 4514 string: the attribute types of `name` that it writes as
 * dotted OIDs and OpenSSL names, once each, in order ("2.5.4.97 is organizationIdentifier").
 */
export function dottedTypeNames(name: Name | readonly RelativeDistinguishedName[]): string[] {
  const notes: string[] = [];
  for (const rdn of rdnsOf(name)) {
    for (const ava of rdn) {
      const known = OPENSSL_NAMES.get(ava.type);
      const note = `${ava.type} is ${known}`;
      if (known !== undefined && !notes.includes(note)) notes.push(note);
    }
  }
  return notes;
}
