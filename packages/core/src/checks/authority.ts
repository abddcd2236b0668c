// Root or intermediate (RFC 5280 §3.1, §3.2, §6.1). A certificate is self-issued when its
// subject and issuer are the same name, and self-signed when its own key also verifies its
// signature. A root is self-signed. A self-issued certificate that another key of the same CA
// signed (key rollover: "old with new", "new with old") is an intermediate. Without a verifier
// (QuickJS) the key identifiers decide: a self-issued certificate whose authorityKeyIdentifier
// is absent or equals its subjectKeyIdentifier is presumed self-signed. This decides Graph's
// isRootAuthority.

import { bytesEqual } from '../encoding/hex.ts';
import { distinguishedNameMatch } from '../identity/dn-match.ts';
import type { AlgorithmIdentifier } from '../x509/algorithm.ts';
import type { Certificate } from '../x509/certificate.ts';
import type { Name } from '../x509/name/types.ts';
import type { SignatureVerifier } from './verify-signature.ts';

/** `not-verified` when no verifier was given or it cannot check this algorithm. */
export type SelfSignature = 'valid' | 'invalid' | 'not-verified';

/** Root or intermediate, as classifyAuthority decides it. */
export interface AuthorityKind {
  readonly selfIssued: boolean;
  /** Only meaningful for self-issued certificates; `not-verified` otherwise. */
  readonly selfSignature: SelfSignature;
  /** What Graph's isRootAuthority should be. */
  readonly isRootAuthority: boolean;
}

/** Two names are the same: byte-equal, else by RFC 4517 distinguishedNameMatch (RFC 5280 §7.1). */
export function sameName(a: Name, b: Name): boolean {
  return bytesEqual(a.der, b.der) || distinguishedNameMatch(a.rdns, b.rdns);
}

/** Subject and issuer are the same name (RFC 5280 §3.2): a root, or a key-rollover certificate of one CA. */
export function isSelfIssued(cert: Certificate): boolean {
  let answer = selfIssued.get(cert);
  if (answer === undefined) selfIssued.set(cert, (answer = sameName(cert.subject, cert.issuer)));
  return answer;
}

/** Kept per certificate: a fleet's paths ask it of the same few CAs for every device. */
const selfIssued = new WeakMap<Certificate, boolean>();

/** Self-issued, and the authorityKeyIdentifier is absent or equals the subjectKeyIdentifier: what a root looks like when no verifier can say. */
export function presumeSelfSigned(cert: Certificate): boolean {
  if (!isSelfIssued(cert)) return false;
  let aki: Uint8Array | undefined;
  let ski: Uint8Array | undefined;
  try {
    // Stryker disable next-line OptionalChaining: without an AKI the mutant throws, and the catch answers true as well
    aki = cert.authorityKeyIdentifier?.keyIdentifier;
    ski = cert.subjectKeyIdentifier;
  } catch {
    // Malformed key identifiers are reported by the checks; the names decide here.
    return true;
  }
  return aki === undefined || (ski !== undefined && bytesEqual(aki, ski));
}

/** Whether Graph's isRootAuthority should be true: self-issued and self-signed, or presumed so when the signature was not verified. */
export function isRoot(cert: Certificate, selfSignature: SelfSignature = 'not-verified'): boolean {
  if (selfSignature === 'not-verified') return presumeSelfSigned(cert);
  return selfSignature === 'valid' && isSelfIssued(cert);
}

/** What a signature covers and how it was made: a certificate, or a CRL (both sign a TBS structure). */
export interface SignedObject {
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly tbs: Uint8Array;
}

/** Whether `signer`'s key verifies the signature of `cert` (a certificate or a CRL); `not-verified` without a verifier, or for an algorithm it cannot check. */
export async function verifySignedBy(cert: SignedObject, signer: Certificate, verifier: SignatureVerifier | undefined): Promise<SelfSignature> {
  // Stryker disable next-line ConditionalExpression: without the test, calling the missing verifier throws into the catch below
  if (verifier === undefined) return 'not-verified';
  let result: boolean | undefined;
  try {
    result = await verifier.verify({ algorithm: cert.signatureAlgorithm, publicKey: signer.publicKey, signature: cert.signature, data: cert.tbs });
  } catch {
    // A verifier that throws could not check it: result stays undefined, 'not-verified'.
  }
  return result === undefined ? 'not-verified' : result ? 'valid' : 'invalid';
}

/** Whether the certificate's own key verifies its signature; `not-verified` without a verifier, or for an algorithm it cannot check. */
export function verifySelfSignature(cert: Certificate, verifier: SignatureVerifier | undefined): Promise<SelfSignature> {
  return verifySignedBy(cert, cert, verifier);
}

/** Root or intermediate, as Graph's isRootAuthority needs it: self-issued and verified by its own key (presumed from the key identifiers without a verifier). */
export async function classifyAuthority(cert: Certificate, verifier?: SignatureVerifier): Promise<AuthorityKind> {
  const selfIssued = isSelfIssued(cert);
  const selfSignature = selfIssued ? await verifySelfSignature(cert, verifier) : 'not-verified';
  return { selfIssued, selfSignature, isRootAuthority: isRoot(cert, selfSignature) };
}

/**
 * The self-signature of every self-issued certificate, by SHA-256: what buildCreate,
 * buildUpdate and checkPayload take as `selfSignatures` to tell roots from key-rollover
 * certificates (they are synchronous and verify nothing themselves).
 */
export async function verifySelfSignatures(certificates: Iterable<Certificate>, verifier: SignatureVerifier): Promise<Map<string, SelfSignature>> {
  const out = new Map<string, SelfSignature>();
  for (const cert of certificates) {
    if (isSelfIssued(cert) && !out.has(cert.sha256)) out.set(cert.sha256, await verifySelfSignature(cert, verifier));
  }
  return out;
}
