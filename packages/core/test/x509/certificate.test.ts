// The certificate view (x509/certificate.ts, RFC 5280 §4.1): the TBSCertificate fields read at
// once, extensions decoded when first read (a malformed one throws then, naming it, and not
// before), the DER of each part, and the limits a certificate must meet.

import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { makeRootCa, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';
import { inputErrorOf } from '@graph-mtls/test/helpers.ts';
import { NOW } from '@graph-mtls/test/clock.ts';

const DAY = 86_400_000;
let root: GeneratedCertificate;

beforeAll(async () => {
  root = await makeRootCa({
    key: 'p256',
    subject: 'CN=View Root CA, O=graph-mtls tests, C=US',
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 3650 * DAY),
    subjectAltName: [{ dns: 'ca.example' }],
    crlDistributionPoints: ['http://crl.example/root.crl'],
  });
});

describe('Certificate', () => {
  it('reads the TBSCertificate fields, each the same as its DER says', async () => {
    const c = parseCertificate(root.der);
    expect(c.version).toBe(3);
    expect(c.subjectDn).toBe('C=US,O=graph-mtls tests,CN=View Root CA');
    expect(c.issuerDn).toBe(c.subjectDn);
    expect(c.notBefore.getTime()).toBe(c.notBeforeTime);
    expect(c.notAfterTime - c.notBeforeTime).toBe(3651 * DAY);
    expect([c.notBeforeEncoding, c.notAfterEncoding]).toEqual(['utcTime', 'utcTime']);
    expect(c.signatureAlgorithm).toBe(c.tbsSignatureAlgorithm);
    expect(c.signatureAlgorithm.name).toBe('ecdsaWithSHA256');
    expect(c.publicKey).toMatchObject({ algorithm: 'ec', curve: 'P-256', bits: 256 });
    expect(c.serialNumberHex).toBe(Buffer.from(c.serialNumber).toString('hex'));
    expect(c.hasUniqueIdentifiers).toBe(false);
    expect(c.sha256).toBe((await import('node:crypto')).createHash('sha256').update(root.der).digest('hex'));
    // The parts are views of the DER, in order.
    expect(Buffer.from(root.der).indexOf(Buffer.from(c.tbs))).toBe(4);
    expect(Buffer.from(root.der).lastIndexOf(Buffer.from(c.signature))).toBeGreaterThan(c.tbs.length);
  });

  it('decodes an extension when it is first read, and finds any by OID', () => {
    const c = parseCertificate(root.der);
    expect(c.extension('2.5.29.17')?.critical).toBe(false);
    expect(c.extension('1.2.3.4')).toBeUndefined();
    expect(c.subjectAltName?.names).toEqual([{ type: 'dns', value: 'ca.example' }]);
    expect(c.crlDistributionPoints?.urls).toEqual(['http://crl.example/root.crl']);
    expect(c.basicConstraints).toMatchObject({ ca: true, critical: true });
    expect(c.keyUsage?.usages).toEqual(['keyCertSign', 'cRLSign']);
    expect(c.subjectKeyIdentifier).toEqual(root.subjectKeyId);
  });

  it('a malformed extension is no error until it is read, and then names the field', async () => {
    const bad = await makeRootCa({ key: 'p256', subjectAltName: null, extensions: [{ oid: d.OIDS.subjectAltName, value: d.int(7) }] });
    const c = parseCertificate(bad.der);
    expect(c.subjectDn).toMatch(/CN=/);
    const e = inputErrorOf(() => c.subjectAltName);
    expect(e).toBeInstanceOf(InputError);
    expect(e.code).toBe('ERR_DER_UNEXPECTED_TAG');
    expect(e.offset).toBeUndefined();
  });

  it('a certificate over maxCertificateBytes, or with more extensions than maxExtensions, is refused', () => {
    expect(inputErrorOf(() => parseCertificate(root.der, { limits: { maxCertificateBytes: root.der.length - 1 } })).code).toBe('ERR_LIMIT_EXCEEDED');
    const c = parseCertificate(root.der);
    expect(inputErrorOf(() => parseCertificate(root.der, { limits: { maxExtensions: c.extensions.length - 1 } })).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(parseCertificate(root.der, { limits: { maxExtensions: c.extensions.length } }).extensions).toHaveLength(c.extensions.length);
  });

  it('what is not a certificate is refused by its first byte', () => {
    const e = inputErrorOf(() => parseCertificate(Uint8Array.of(0x02, 0x01, 0x00)));
    expect(e.code).toBe('ERR_NOT_A_CERTIFICATE');
  });
});
