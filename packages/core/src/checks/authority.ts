// Root or intermediate: a certificate is self-issued when its subject and issuer are the same
// name (RFC 5280 §3.2, §6.1) and its authorityKeyIdentifier is absent or equals its
// subjectKeyIdentifier; self-signed when its own key also verifies its signature. This
// decides Graph's isRootAuthority.

import { bytesEqual } from '../encoding/hex.ts';
import { distinguishedNameMatch } from '../identity/dn-match.ts';
import type { Certificate } from '../x509/certificate.ts';
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

/** Subject and issuer are the same name, and the AKI is absent or equals the SKI (RFC 5280 §3.2): the shape of a root. */
export function isSelfIssued(cert: Certificate): boolean {
  const sameName = bytesEqual(cert.subject.der, cert.issuer.der) || distinguishedNameMatch(cert.subject.rdns, cert.issuer.rdns);
  if (!sameName) return false;
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

/** Whether the certificate's own key verifies its signature; `not-verified` without a verifier, or for an algorithm it cannot check. */
export async function verifySelfSignature(cert: Certificate, verifier: SignatureVerifier | undefined): Promise<SelfSignature> {
  // Stryker disable next-line ConditionalExpression: without the test, calling the missing verifier throws into the catch below
  if (verifier === undefined) return 'not-verified';
  let result: boolean | undefined;
  try {
    result = await verifier.verify({ algorithm: cert.signatureAlgorithm, publicKey: cert.publicKey, signature: cert.signature, data: cert.tbs });
    // Stryker disable next-line BlockStatement: an empty catch leaves result undefined, which is 'not-verified' too
  } catch {
    return 'not-verified';
  }
  return result === undefined ? 'not-verified' : result ? 'valid' : 'invalid';
}

/** Root or intermediate, as Graph's isRootAuthority needs it: self-issued and not refuted by its own signature. */
export async function classifyAuthority(cert: Certificate, verifier?: SignatureVerifier): Promise<AuthorityKind> {
  const selfIssued = isSelfIssued(cert);
  const selfSignature = selfIssued ? await verifySelfSignature(cert, verifier) : 'not-verified';
  return { selfIssued, selfSignature, isRootAuthority: selfIssued && selfSignature !== 'invalid' };
}
