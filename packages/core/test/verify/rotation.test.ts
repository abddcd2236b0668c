// rotationImpact (verify/rotation.ts): a planned change of a configuration's CAs, judged per
// device before it is applied: who loses a path, who gains one, who keeps one only through a CA
// that expires soon.

import { describe, expect, it } from 'vitest';
import { createWebCryptoVerifier } from '../../src/checks/verify-signature.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { rotationImpact } from '../../src/verify/rotation.ts';
import type { TrustConfiguration } from '../../src/verify/trust.ts';
import { getKey, makeDeviceCert, makeIntermediateCa, makeRootCa, type CertificateOptions, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';

const validity: CertificateOptions = { notBefore: new Date(Date.UTC(2024, 0, 1)), notAfter: new Date(Date.UTC(2034, 0, 1)) };
const NOW = new Date(Date.UTC(2026, 11, 1));
const verifier = createWebCryptoVerifier(globalThis.crypto.subtle);

function trust(...cas: readonly (readonly [GeneratedCertificate, boolean])[]): TrustConfiguration {
  return { tlsClientAuthParameter: 'tls_client_auth_san_uri', authorities: cas.map(([g, isRootAuthority], index) => ({ certificate: parseCertificate(g.der), isRootAuthority, location: { index } })) };
}

describe('rotationImpact', () => {
  it('replacing an issuing CA: its devices lose their path, the new one\'s gain one, devices under the root directly keep it', async () => {
    const root = await makeRootCa({ ...validity, key: await getKey('p256', 70) });
    const oldCa = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 71) });
    const newCa = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 72) });
    const devices = [await makeDeviceCert(oldCa, validity), await makeDeviceCert(newCa, validity), await makeDeviceCert(root, validity)].map((g, i) => ({ certificate: parseCertificate(g.der), location: { source: `d${i}.pem` } }));
    const impact = await rotationImpact(devices, trust([root, true], [oldCa, false]), trust([root, true], [newCa, false]), { now: NOW, verifier });
    expect(impact.devices.map((d) => [d.location?.source, d.before, d.after, d.change])).toEqual([
      ['d0.pem', 'trusted', 'refused', 'loses'],
      ['d1.pem', 'refused', 'trusted', 'gains'],
      ['d2.pem', 'trusted', 'trusted', 'keeps'],
    ]);
    expect([impact.loses, impact.gains, impact.keeps, impact.never, impact.expiring]).toEqual([1, 1, 1, 0, 0]);
    expect(impact.devices[0]!.reasons.map((f) => f.code)).toEqual(['VERIFY_NO_PATH']);
    expect(impact.devices[2]!.reasons).toEqual([]);
  });

  it('a device that keeps its path only through a CA expiring within the window is counted, with the CA and the days left', async () => {
    const root = await makeRootCa({ ...validity, key: await getKey('p256', 73) });
    const soon = await makeIntermediateCa(root, { key: await getKey('p256', 74), subject: 'CN=Expiring CA', notBefore: validity.notBefore, notAfter: new Date(Date.UTC(2026, 11, 11)) });
    const dev = [{ certificate: parseCertificate((await makeDeviceCert(soon, { notBefore: validity.notBefore, notAfter: new Date(Date.UTC(2026, 11, 10)) })).der) }];
    const configuration = trust([root, true], [soon, false]);
    const impact = await rotationImpact(dev, configuration, configuration, { now: NOW, verifier, expiryWarningDays: 30 });
    expect(impact.devices[0]!.change).toBe('keeps');
    expect(impact.devices[0]!.expiring).toEqual({ subject: 'CN=Expiring CA', notAfter: new Date(Date.UTC(2026, 11, 11)), days: 10 });
    expect(impact.expiring).toBe(1);
    expect((await rotationImpact(dev, configuration, configuration, { now: NOW, verifier, expiryWarningDays: 5 })).expiring).toBe(0);
  });
});
