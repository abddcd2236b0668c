// Revocation, offline (RFC 5280 §6.3): for each certificate of a path but the anchor, the CRLs
// given that its issuer signed are checked (the issuer's key verifies the signature, the issuer
// may sign CRLs, thisUpdate and nextUpdate around `now`, no unknown critical extension, a scope
// that covers the certificate), and a usable one that lists the serial refuses the device. A CA
// whose configuration names a CRL URL, with no usable CRL of it given, is reported: revocation
// was not checked there, never silently skipped.

import { sameName } from '../checks/authority.ts';
import { verifySignedByOnce } from './signatures.ts';
import type { RuleCode } from '../checks/rules.ts';
import type { SignatureVerifier } from '../checks/verify-signature.ts';
import { bytesEqual } from '../encoding/hex.ts';
import { isoTime } from '../encoding/time.ts';
import { GraphMtlsError } from '../errors.ts';
import type { Certificate } from '../x509/certificate.ts';
import type { CertificateList } from '../x509/crl.ts';

type Add = (code: RuleCode, i: number, field: string, message: string) => void;

/** The path as revocation sees it: each certificate, and the CRL URL the configuration holds for it (if it is a configured CA). */
export interface RevocationPathMember {
  readonly certificate: Certificate;
  readonly crlUrl?: string | null;
}

/** Checks every certificate of `path` (device first, anchor last) but the anchor against the CRLs of its issuer. */
export async function checkRevocation(path: readonly RevocationPathMember[], crls: readonly CertificateList[], now: number, verifier: SignatureVerifier | undefined, add: Add): Promise<void> {
  for (let i = 0; i + 1 < path.length; i++) {
    const cert = path[i]!.certificate;
    const issuer = path[i + 1]!;
    let usable = 0;
    for (const crl of crls) {
      if (!signedBy(crl, issuer.certificate)) continue;
      const refusal = await unusable(crl, cert, issuer.certificate, now, verifier);
      if (refusal !== undefined) {
        add('VERIFY_CRL_UNUSABLE', i, '.revocation', `the CRL of ${issuer.certificate.subjectDn || 'its issuer'} (thisUpdate ${isoTime(crl.thisUpdateTime)}) is not used: ${refusal}`);
        continue;
      }
      usable++;
      let entry;
      try {
        entry = crl.isRevoked(cert.serialNumber);
      } catch (error) {
        if (!(error instanceof GraphMtlsError)) throw error;
        continue; // A serial that is not DER content cannot be listed.
      }
      if (entry !== undefined) {
        const reason = entry.reason === undefined ? '' : ` (${entry.reason})`;
        add('VERIFY_REVOKED', i, '.serialNumber', `serial ${cert.serialNumberHex} is revoked since ${isoTime(entry.revocationTime)}${reason} by the CRL of ${issuer.certificate.subjectDn || 'its issuer'}`);
      }
    }
    if (usable === 0 && typeof issuer.crlUrl === 'string') {
      add('VERIFY_CRL_NOT_GIVEN', i, '.revocation', `the configuration names the CRL ${issuer.crlUrl.slice(0, 200)} for ${issuer.certificate.subjectDn || 'its issuer'}, and no usable CRL of it was given: revocation was not checked`);
    }
  }
}

/** The CRL's issuer is `issuer`: the same name, and its AKI (when both identifiers are there) names `issuer`'s key. */
function signedBy(crl: CertificateList, issuer: Certificate): boolean {
  if (!sameName(crl.issuer, issuer.subject)) return false;
  try {
    const aki = crl.authorityKeyIdentifier?.keyIdentifier;
    const ski = issuer.subjectKeyIdentifier;
    return aki === undefined || ski === undefined || bytesEqual(aki, ski);
  } catch {
    return true; // Malformed identifiers leave the name to decide; the signature check follows.
  }
}

/** Why the CRL cannot be used for `cert` (RFC 5280 §6.3.3), or undefined when it can. */
async function unusable(crl: CertificateList, cert: Certificate, issuer: Certificate, now: number, verifier: SignatureVerifier | undefined): Promise<string | undefined> {
  if (crl.isDelta) return 'it is a delta CRL, which is read only with its base CRL';
  if (crl.unknownCriticalExtensions.length > 0) return `it has the critical extension ${crl.unknownCriticalExtensions.join(', ')}, which is not recognised`;
  if (now < crl.thisUpdateTime) return `its thisUpdate is after ${isoTime(now)}`;
  if (crl.nextUpdateTime !== undefined && now > crl.nextUpdateTime) return `it expired: nextUpdate was ${isoTime(crl.nextUpdateTime)}`;
  try {
    const ku = issuer.keyUsage;
    if (ku !== undefined && !ku.usages.includes('cRLSign')) return 'its issuer\'s keyUsage lacks cRLSign';
    const idp = crl.issuingDistributionPoint;
    if (idp !== undefined) {
      const isCa = cert.basicConstraints?.ca === true;
      if (idp.onlyContainsAttributeCerts || (idp.onlyContainsUserCerts && isCa) || (idp.onlyContainsCACerts && !isCa)) return 'its issuingDistributionPoint scope excludes this certificate';
      if (idp.indirectCrl || crl.hasCertificateIssuerEntries) return 'it is an indirect CRL, which is not evaluated';
      if (idp.onlySomeReasons !== undefined) return 'it covers only some revocation reasons (a partitioned CRL), which is not evaluated';
    }
  } catch (error) {
    if (!(error instanceof GraphMtlsError)) throw error;
    return `an extension does not decode: ${error.reason}`;
  }
  // The CRL is signed like a certificate: the same verifier, over its TBSCertList.
  const signature = await verifySignedByOnce(crl, issuer, verifier);
  if (signature === 'invalid') return `its signature does not verify with the key of ${issuer.subjectDn || 'its issuer'}`;
  return undefined;
}
