// Revocation in verifyDevice (verify/revocation.ts, RFC 5280 §6.3): CRLs given as files refuse a
// revoked device or intermediate; a CRL that cannot be used is reported and not trusted; a CRL
// URL the configuration names without a usable CRL given is reported, never skipped in silence.

import { describe, expect, it } from 'vitest';
import { createWebCryptoVerifier } from '../../src/checks/verify-signature.ts';
import { parseCertificate, type Certificate } from '../../src/x509/certificate.ts';
import { parseCrl, type CertificateList } from '../../src/x509/crl.ts';
import type { TrustConfiguration } from '../../src/verify/trust.ts';
import { verifyDevice, type DeviceVerification } from '../../src/verify/verify-device.ts';
import { getKey, makeDeviceCert, makeIntermediateCa, makeRootCa, type CertificateOptions, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { buildCrl, issuingDistributionPointValue, CRL_OIDS, type CrlSpec } from '@graph-mtls/test/fixtures/crl-builder.ts';

const validity: CertificateOptions = { notBefore: new Date(Date.UTC(2024, 0, 1)), notAfter: new Date(Date.UTC(2034, 0, 1)) };
const NOW = new Date(Date.UTC(2026, 11, 1));
const verifier = createWebCryptoVerifier(globalThis.crypto.subtle);

const root = await makeRootCa({ ...validity, key: await getKey('p256', 90), subject: 'CN=Revocation Root' });
const issuing = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 91), subject: 'CN=Revocation Issuing CA' });
const device = await makeDeviceCert(issuing, { ...validity, key: await getKey('p256', 92) });
const parse = (g: GeneratedCertificate): Certificate => parseCertificate(g.der);

/** A CRL issued by `issuer` (its key unless another is given) listing these certificates. */
function crlOf(issuer: GeneratedCertificate, revoked: readonly GeneratedCertificate[], spec: Partial<CrlSpec> = {}): CertificateList {
  return parseCrl(buildCrl({ signingKey: issuer.key.privateKey, issuer: issuer.subjectDer, revoked: revoked.map((g) => ({ serial: parse(g).serialNumber, reason: 1 })), ...spec }));
}

function trust(crlUrl?: string): TrustConfiguration {
  return {
    tlsClientAuthParameter: 'tls_client_auth_san_uri',
    authorities: [
      { certificate: parse(root), isRootAuthority: true, location: { index: 0 } },
      { certificate: parse(issuing), isRootAuthority: false, location: { index: 1 }, ...(crlUrl === undefined ? {} : { certificateRevocationListUrl: crlUrl }) },
    ],
  };
}

const run = (crls: readonly CertificateList[], configuration = trust()): Promise<DeviceVerification> => verifyDevice(parse(device), configuration, { now: NOW, verifier, crls });
const found = (r: DeviceVerification): [string, string | undefined][] => r.findings.map((f) => [f.code, f.ref]);

describe('revocation', () => {
  it('a device listed by its issuer\'s CRL is refused: VERIFY_REVOKED with the date and the reason', async () => {
    const r = await run([crlOf(issuing, [device])]);
    expect(r.outcome).toBe('refused');
    expect(found(r)).toEqual([['VERIFY_REVOKED', 'path[0].serialNumber']]);
    expect(r.findings[0]!.message).toMatch(/^the device certificate [^:]+: serial [0-9a-f]+ is revoked since 2024-01-01T00:00:00\.000Z \(keyCompromise\) by the CRL of CN=Revocation Issuing CA$/);
  });

  it('a CRL that does not list it leaves the device trusted; so do CRLs of other issuers', async () => {
    const other = await makeRootCa({ ...validity, key: await getKey('p256', 93), subject: 'CN=Unrelated CA' });
    expect((await run([crlOf(issuing, []), crlOf(other, [device])])).outcome).toBe('trusted');
  });

  it('an intermediate listed by the root\'s CRL is refused at path[1]', async () => {
    expect(found(await run([crlOf(root, [issuing]), crlOf(issuing, [])]))).toEqual([['VERIFY_REVOKED', 'path[1].serialNumber']]);
  });

  it('a CRL that cannot be used is reported, and its entries are not believed', async () => {
    const forged = crlOf(issuing, [device], { signingKey: (await getKey('p256', 94)).privateKey });
    const expired = crlOf(issuing, [device], { thisUpdate: new Date(Date.UTC(2025, 0, 1)), nextUpdate: new Date(Date.UTC(2025, 1, 1)) });
    const future = crlOf(issuing, [device], { thisUpdate: new Date(Date.UTC(2027, 0, 1)) });
    const caOnly = crlOf(issuing, [device], { extensions: [{ oid: CRL_OIDS.issuingDistributionPoint, critical: true, value: issuingDistributionPointValue({ onlyContainsCACerts: true }) }] });
    const messages: string[] = [];
    for (const crl of [forged, expired, future, caOnly]) {
      const r = await run([crl]);
      expect(r.outcome, r.findings.map((f) => f.message).join('\n')).toBe('trusted');
      expect(found(r)).toEqual([['VERIFY_CRL_UNUSABLE', 'path[0].revocation']]);
      messages.push(r.findings[0]!.message.replace(/^.*is not used: /, ''));
    }
    expect(messages).toEqual([
      'its signature does not verify with the key of CN=Revocation Issuing CA',
      'it expired: nextUpdate was 2025-02-01T00:00:00.000Z',
      'its thisUpdate is after 2026-12-01T00:00:00.000Z',
      'its issuingDistributionPoint scope excludes this certificate',
    ]);
  });

  it('a configured CRL URL without a usable CRL given is reported: revocation not checked', async () => {
    const url = 'http://crl.example.test/issuing.crl';
    const none = await run([], trust(url));
    expect([none.outcome, found(none)]).toEqual(['trusted', [['VERIFY_CRL_NOT_GIVEN', 'path[0].revocation']]]);
    expect(none.findings[0]!.message).toContain(`the configuration names the CRL ${url} for CN=Revocation Issuing CA, and no usable CRL of it was given`);
    expect(found(await run([crlOf(issuing, [])], trust(url)))).toEqual([]);
  });
});

describe('revocation across a fleet', () => {
  it('verifies a CRL\'s signature once per verifier, and believes a forged one for no device', async () => {
    const second = await makeDeviceCert(issuing, { ...validity, key: await getKey('p256', 95) });
    const crl = crlOf(issuing, [second]);
    const forged = crlOf(issuing, [device], { signingKey: (await getKey('p256', 96)).privateKey });
    const calls: unknown[] = [];
    const counting = { verify: (input: Parameters<typeof verifier.verify>[0]) => (calls.push(input), verifier.verify(input)) };
    const configuration = trust();
    const results = [];
    for (const g of [device, second, device]) results.push(await verifyDevice(parse(g), configuration, { now: NOW, verifier: counting, crls: [crl, forged] }));
    expect(results.map((r) => r.outcome)).toEqual(['trusted', 'refused', 'trusted']);
    expect(results.map((r) => r.findings.map((f) => f.code))).toEqual([['VERIFY_CRL_UNUSABLE'], ['VERIFY_REVOKED', 'VERIFY_CRL_UNUSABLE'], ['VERIFY_CRL_UNUSABLE']]);
    // Three device signatures; the issuing CA's by the root once; each CRL's once.
    expect(calls).toHaveLength(6);
  });
});
