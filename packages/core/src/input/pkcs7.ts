// PKCS#7 / CMS certs-only bundles (.p7b, .p7c; RFC 5652 §5.1, "degenerate" SignedData with
// no signers, RFC 8551 §3.2.2): the certificates field is returned as DER slices, in order.
// The structure is read as strict DER; BER-encoded bundles get ERR_PKCS7_UNSUPPORTED.

import { DerReader, TAG_INTEGER, TAG_OID, TAG_SEQUENCE, TAG_SET, contextConstructed } from '../encoding/der.ts';
import { GraphMtlsError } from '../errors.ts';
import type { Limits } from '../limits.ts';
import { OID_PKCS7_SIGNED_DATA } from '../x509/oids.ts';

/** True when the DER starts like a ContentInfo of type signedData. */
export function isPkcs7(der: Uint8Array): boolean {
  try {
    const r = new DerReader(der);
    const ci = r.enter(TAG_SEQUENCE, 'ContentInfo');
    ci.expect(TAG_OID, 'ContentInfo.contentType');
    return ci.oid('ContentInfo.contentType') === OID_PKCS7_SIGNED_DATA;
  } catch {
    return false;
  }
}

/** The certificates of a certs-only SignedData, each as a DER view into `der`. */
export function readPkcs7Certificates(der: Uint8Array, limits: Limits): Uint8Array[] {
  try {
    const r = new DerReader(der, 0, der.length, 0, limits.maxDepth);
    const ci = r.enter(TAG_SEQUENCE, 'ContentInfo');
    r.finish('ContentInfo');
    ci.expect(TAG_OID, 'ContentInfo.contentType');
    const type = ci.oid('ContentInfo.contentType');
    if (type !== OID_PKCS7_SIGNED_DATA) {
      throw new GraphMtlsError('ERR_PKCS7_UNSUPPORTED', `PKCS#7: expected signedData (${OID_PKCS7_SIGNED_DATA}), received content type ${type}`);
    }
    const explicit = ci.enter(contextConstructed(0), 'ContentInfo.content');
    ci.finish('ContentInfo');
    const sd = explicit.enter(TAG_SEQUENCE, 'SignedData');
    explicit.finish('ContentInfo.content');
    sd.expect(TAG_INTEGER, 'SignedData.version');
    sd.expect(TAG_SET, 'SignedData.digestAlgorithms');
    sd.expect(TAG_SEQUENCE, 'SignedData.encapContentInfo');
    const certs: Uint8Array[] = [];
    if (sd.optional(contextConstructed(0), 'SignedData.certificates')) {
      const set = sd.child('SignedData.certificates');
      while (!set.done) {
        if (certs.length >= limits.maxCertificates) {
          throw new GraphMtlsError('ERR_LIMIT_EXCEEDED', `PKCS#7: expected at most ${limits.maxCertificates} certificates, received more`);
        }
        set.next(`SignedData.certificates[${certs.length}]`);
        // CertificateChoices: only the plain Certificate (a SEQUENCE) is an X.509 certificate;
        // attribute certificates and "other" formats ([0]..[3]) are skipped.
        if (set.tag === TAG_SEQUENCE) certs.push(set.element());
      }
    }
    return certs;
  } catch (error) {
    if (error instanceof GraphMtlsError && error.code !== 'ERR_LIMIT_EXCEEDED' && error.code !== 'ERR_PKCS7_UNSUPPORTED') {
      const ber = error.code === 'ERR_DER_BER_ENCODING';
      throw new GraphMtlsError(
        'ERR_PKCS7_UNSUPPORTED',
        ber
          ? `PKCS#7: expected DER, received BER (${error.reason}); convert it with 'openssl pkcs7 -in FILE -print_certs'`
          : `PKCS#7: expected a certs-only SignedData, received ${error.reason}`,
        { offset: error.offset, cause: error },
      );
    }
    throw error;
  }
}
