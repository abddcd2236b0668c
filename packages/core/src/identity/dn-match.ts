// distinguishedNameMatch (RFC 4517 §4.2.15) for RFC 8705 §2.1's tls_client_auth_subject_dn:
// the same RDNs in the same order, each the same set of AVAs, each AVA compared by its
// attribute's equality rule: caseIgnoreIA5Match (RFC 4517 §4.2.4) for DC and emailAddress,
// caseIgnoreMatch (RFC 4517 §4.2.3) with RFC 4518 string preparation for other string values,
// and the encoded value bytes for values without a string form.

import { bytesEqual, toHex } from '../encoding/hex.ts';
import type { AttributeTypeAndValue, RelativeDistinguishedName } from '../x509/name/types.ts';
import { OID_DC, OID_EMAIL } from '../x509/oids.ts';


/** RFC 5280 §7.1 name matching: same RDNs in the same order, values compared by RFC 4518 preparation (caseIgnoreIA5Match for DC and emailAddress). */
export function distinguishedNameMatch(
  a: readonly RelativeDistinguishedName[],
  b: readonly RelativeDistinguishedName[],
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!rdnMatch(a[i]!, b[i]!)) return false;
  return true;
}

/**
 * Same multiset of AVAs; AVA order inside an RDN is not significant (X.501 SET OF). Each AVA is
 * prepared once into a key that equal AVAs share, and the keys are counted: linear in the
 * number of values (pairing them one against another is quadratic).
 */
function rdnMatch(x: RelativeDistinguishedName, y: RelativeDistinguishedName): boolean {
  if (x.length !== y.length) return false;
  if (x.length === 1) return avaMatch(x[0]!, y[0]!);
  const counts = new Map<string, number>();
  for (const ava of x) {
    const key = avaKey(ava);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const ava of y) {
    const key = avaKey(ava);
    const n = counts.get(key);
    if (n === undefined) return false;
    if (n === 1) counts.delete(key);
    else counts.set(key, n - 1);
  }
  return true;
}

function avaMatch(x: AttributeTypeAndValue, y: AttributeTypeAndValue): boolean {
  if (x.type !== y.type) return false;
  if (x.value !== undefined && y.value !== undefined) {
    // Preparation maps equal strings to equal strings, so those need none.
    if (x.value === y.value) return true;
    // A '#hex' value parsed from text carries its decoded string, so it compares as text here.
    if (x.type === OID_DC || x.type === OID_EMAIL) return prepareIa5(x.value) === prepareIa5(y.value);
    return prepareString(x.value) === prepareString(y.value);
  }
  return bytesEqual(x.valueDer, y.valueDer);
}

/**
 * What avaMatch compares, as one string: the type, then the prepared value, or the value's
 * encoding when it has no string form (whether it has one follows from the encoding).
 */
function avaKey(ava: AttributeTypeAndValue): string {
  // The type is a dotted OID, so '#' and '=' after it keep the two kinds of key apart.
  if (ava.value === undefined) return `${ava.type}#${toHex(ava.valueDer)}`;
  return `${ava.type}=${ava.type === OID_DC || ava.type === OID_EMAIL ? prepareIa5(ava.value) : prepareString(ava.value)}`;
}

/**
 * RFC 4518 string preparation for caseIgnoreMatch: §2.2 map (control and formatting code points
 * to nothing, other white space to SPACE, case fold), §2.3 NFKC, §2.6.1 insignificant space
 * handling (leading and trailing space removed, internal runs collapsed to one SPACE).
 * Case folding is toUpperCase().toLowerCase() without locale, which covers RFC 3454 table B.2's
 * full folds (e.g. 'ß' → 'ss'). The §2.4 prohibit step (unassigned code points) is not applied.
 */
export function prepareString(value: string): string {
  if (isPlainAscii(value)) return collapseSpaces(value.toLowerCase());
  let mapped = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (mapsToSpace(cp)) mapped += ' ';
    else if (!mapsToNothing(cp)) mapped += ch;
  }
  // NFKC first so compatibility forms (e.g. U+1D400 MATHEMATICAL BOLD CAPITAL A) fold too,
  // then again because folding can leave a string that is not NFKC.
  const folded = mapped.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
  return collapseSpaces(folded);
}

/**
 * Preparation for caseIgnoreIA5Match (RFC 4517 §4.2.4): IA5 strings hold only ASCII, so only
 * ASCII letters fold; the same insignificant space handling applies.
 */
function prepareIa5(value: string): string {
  let folded = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) folded += String.fromCharCode(c + 0x20);
    else if (c >= 0x09 && c <= 0x0d) folded += ' ';
    else folded += value[i]!;
  }
  return collapseSpaces(folded);
}

/** Printable ASCII only: nothing to map, and already NFKC. */
function isPlainAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  // Stryker disable next-line BooleanLiteral: a shortcut only; the general path prepares printable ASCII to the same string (nothing to map, NFKC leaves it, and upper-then-lower case is lower case)
  return true;
}

function collapseSpaces(value: string): string {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === ' ') {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += ch;
  }
  return out;
}

/** RFC 4518 §2.2: U+0009-000D, U+0085 and the Zs, Zl, Zp code points map to SPACE. */
function mapsToSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) || cp === 0x20 || cp === 0x85 || cp === 0xa0 || cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f ||
    cp === 0x205f || cp === 0x3000
  );
}

/** RFC 4518 §2.2: the code points mapped to nothing (the complete list given there). */
function mapsToNothing(cp: number): boolean {
  return (
    cp <= 0x08 || (cp >= 0x0e && cp <= 0x1f) || (cp >= 0x7f && cp <= 0x84) || (cp >= 0x86 && cp <= 0x9f) ||
    cp === 0xad || cp === 0x034f || cp === 0x06dd || cp === 0x070f || cp === 0x1806 ||
    (cp >= 0x180b && cp <= 0x180e) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206a && cp <= 0x206f) || (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff || (cp >= 0xfff9 && cp <= 0xfffc) || (cp >= 0x1d173 && cp <= 0x1d17a) ||
    cp === 0xe0001 || (cp >= 0xe0020 && cp <= 0xe007f)
  );
}
