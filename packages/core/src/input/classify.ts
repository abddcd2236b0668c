// Tells what a DER structure is when it is not a certificate, from the shape of its first
// levels alone: private keys (PKCS#8 RFC 5208/5958, PKCS#1 RFC 8017 App. A.1.2, SEC1 RFC 5915,
// PKCS#12 RFC 7292), CSRs (RFC 2986), CRLs (RFC 5280 §5) and bare public keys. Only the
// shape is looked at, so no key material can leak into the message.

import { DerReader, TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, TAG_UTC_TIME, TAG_GENERALIZED_TIME } from '../encoding/der.ts';
import type { InputErrorCode } from '../errors.ts';

export interface Classification {
  readonly code: InputErrorCode;
  /** What the structure is, e.g. 'a PKCS#8 private key'. */
  readonly what: string;
}

interface Shape {
  tag: number;
  /** A small leading INTEGER, when the element is one. */
  int?: number;
  children?: Shape[];
}

/** What a DER structure that is not a certificate most likely is (a CSR, a CRL, a key, a PKCS#12), to say so instead of a DER error. */
export function classifyDer(der: Uint8Array): Classification | undefined {
  const top = shape(der);
  if (top?.tag !== TAG_SEQUENCE || top.children === undefined) return undefined;
  const c = top.children;
  const tags = c.map((s) => s.tag);
  const first = c[0];
  if (first === undefined) return undefined;

  if (first.tag === TAG_INTEGER) {
    if (first.int === 3 && tags[1] === TAG_SEQUENCE) return key('a PKCS#12 (.pfx/.p12) archive, which holds private keys');
    if ((first.int === 0 || first.int === 1) && tags[1] === TAG_SEQUENCE && tags[2] === TAG_OCTET_STRING) return key('a PKCS#8 private key');
    if (first.int === 0 && tags.length >= 9 && tags.slice(0, 9).every((t) => t === TAG_INTEGER)) return key('a PKCS#1 RSA private key');
    if (first.int === 1 && tags[1] === TAG_OCTET_STRING) return key('a SEC 1 EC private key');
    if (first.int === 0 && tags.length === 6 && tags.every((t) => t === TAG_INTEGER)) return key('a DSA private key');
    return undefined;
  }
  if (first.tag === TAG_SEQUENCE && tags.length === 2 && tags[1] === TAG_OCTET_STRING && first.children?.[0]?.tag === TAG_OID) {
    return key('an encrypted PKCS#8 private key');
  }
  if (first.tag === TAG_SEQUENCE && tags.length === 2 && tags[1] === TAG_BIT_STRING && first.children?.[0]?.tag === TAG_OID) {
    return { code: 'ERR_PUBLIC_KEY', what: 'a bare public key (SubjectPublicKeyInfo), not a certificate' };
  }
  if (first.tag === TAG_SEQUENCE && tags.length === 3 && tags[1] === TAG_SEQUENCE && tags[2] === TAG_BIT_STRING) {
    // Stryker disable next-line ArrayDeclaration: a SEQUENCE read at level 1 always has its children array, so the fallback is never used
    const inner = first.children ?? [];
    const it = inner.map((s) => s.tag);
    if (inner[0]?.tag === TAG_INTEGER && inner[0].int === 0 && it[1] === TAG_SEQUENCE && it[2] === TAG_SEQUENCE && it[3] === 0xa0) {
      return { code: 'ERR_CSR', what: 'a certificate signing request (PKCS#10 CSR), not a certificate' };
    }
    const rest = inner[0]?.tag === TAG_INTEGER ? it.slice(1) : it;
    if (rest[0] === TAG_SEQUENCE && rest[1] === TAG_SEQUENCE && (rest[2] === TAG_UTC_TIME || rest[2] === TAG_GENERALIZED_TIME)) {
      return { code: 'ERR_CRL', what: 'a certificate revocation list (CRL), not a certificate' };
    }
  }
  return undefined;
}

function key(what: string): Classification {
  return { code: 'ERR_PRIVATE_KEY', what: `${what}; refused: only public CA certificates belong here, and the key's content is neither read nor shown` };
}

/** Two levels of tags (and small INTEGER values), or undefined when even that is not DER. */
function shape(der: Uint8Array): Shape | undefined {
  try {
    const r = new DerReader(der);
    return read(r, 0);
    // Stryker disable next-line BlockStatement: an empty catch block returns undefined too
  } catch {
    return undefined;
  }
}

function read(r: DerReader, level: number): Shape {
  const tag = r.next('element');
  const s: Shape = { tag };
  if (tag === TAG_INTEGER && r.valueLength === 1) s.int = r.bytes[r.valueStart]!;
  if ((tag & 0x20) !== 0 && level < 2) {
    const child = r.child('element');
    s.children = [];
    while (!child.done && s.children.length < 12) s.children.push(read(child, level + 1));
  }
  return s;
}
