// Signature verdicts that recur across devices, kept: the signature of a CA by the CA above it,
// and of a CRL by its issuer, is the same verdict for every device whose path holds them, so a
// fleet verifies it once per verifier, not once per device. The verdict is a function of the
// two objects and the verifier alone, so it is kept per verifier and lives as long as they do.

import { verifySignedBy, type SelfSignature, type SignedObject } from '../checks/authority.ts';
import type { SignatureVerifier } from '../checks/verify-signature.ts';
import type { Certificate } from '../x509/certificate.ts';

const verdicts = new WeakMap<SignatureVerifier, WeakMap<SignedObject, WeakMap<Certificate, Promise<SelfSignature>>>>();

/** verifySignedBy, answered once per (signed object, signer, verifier). */
export function verifySignedByOnce(signed: SignedObject, signer: Certificate, verifier: SignatureVerifier | undefined): Promise<SelfSignature> {
  if (verifier === undefined) return verifySignedBy(signed, signer, verifier);
  let bySigned = verdicts.get(verifier);
  if (bySigned === undefined) verdicts.set(verifier, (bySigned = new WeakMap()));
  let bySigner = bySigned.get(signed);
  if (bySigner === undefined) bySigned.set(signed, (bySigner = new WeakMap()));
  let verdict = bySigner.get(signer);
  if (verdict === undefined) bySigner.set(signer, (verdict = verifySignedBy(signed, signer, verifier)));
  return verdict;
}
