// PKCS#7 / CMS certs-only bundles (.p7b, .p7c; RFC 5652 §5.1, "degenerate" SignedData with
// no signers, RFC 8551 §3.2.2): the certificates field is returned as DER slices, in order.
// The structure is read as strict DER; BER-encoded bundles get ERR_PKCS7_UNSUPPORTED.

import { DerReader, TAG_INTEGER, TAG_OID, TAG_SEQUENCE, TAG_SET, contextConstructed } from '../encoding/der.ts';
import { InputError } from '../errors.ts';
import type { Limits } from '../limits.ts';
import { OID_PKCS7_SIGNED_DATA } from '../x509/oids.ts';

// 06 09 2A 86 48 86 F7 0D 01 07 02: the contentType OID 1.2.840.113549.1.7.2 (signedData).
const SIGNED_DATA_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/**
 * True when the bytes start like a ContentInfo of type signedData. Read from the bytes, not
 * with the DER reader, so a BER bundle (indefinite lengths) is recognised and gets its own error.
 */
export function isPkcs7(der: Uint8Array): boolean {
  if (der[0] !== TAG_SEQUENCE || der.length < 2) return false;
  const l = der[1]!;
  const start = l < 0x80 ? 2 : l === 0x80 ? 2 : 2 + (l & 0x7f);
  for (let i = 0; i < SIGNED_DATA_OID.length; i++) if (der[start + i] !== SIGNED_DATA_OID[i]) return false;
  return true;
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
      throw new InputError('ERR_PKCS7_UNSUPPORTED', `PKCS#7: expected signedData (${OID_PKCS7_SIGNED_DATA}), received content type ${type}`);
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
          throw new InputError('ERR_LIMIT_EXCEEDED', `PKCS#7: expected at most ${limits.maxCertificates} certificates, received more`);
        }
        set.next(`SignedData.certificates[${certs.length}]`);
        // CertificateChoices: only the plain Certificate (a SEQUENCE) is an X.509 certificate;
        // attribute certificates and "other" formats ([0]..[3]) are skipped.
        if (set.tag === TAG_SEQUENCE) certs.push(set.element());
      }
    }
    return certs;
  } catch (error) {
    if (error instanceof InputError && error.code !== 'ERR_LIMIT_EXCEEDED' && error.code !== 'ERR_PKCS7_UNSUPPORTED') {
      const ber = error.code === 'ERR_DER_BER_ENCODING';
      throw new InputError('ERR_PKCS7_UNSUPPORTED',
        ber
          ? `PKCS#7: expected DER, received BER (${error.reason}); convert it with 'openssl pkcs7 -in FILE -print_certs'`
          : `PKCS#7: expected a certs-only SignedData, received ${error.reason}`,
        { offset: error.offset, cause: error },
      );
    }
    throw error;
  }
}
