// verifyDevice (verify/verify-device.ts) on generated chains: a clean path is trusted (or
// "not verified" without a verifier), each RFC 5280 §6.1 check refuses the path with its own
// code and `path[i]` ref, path building handles presented intermediates, key rollover,
// cross-signing, loops and hostile pools within its bounds, and the identity is read and
// compared as RFC 8705 §2.1.2 says.

import { describe, expect, it } from 'vitest';
import { createWebCryptoVerifier } from '../../src/checks/verify-signature.ts';
import { parseCertificate, type Certificate } from '../../src/x509/certificate.ts';
import { readTrustConfiguration, type TrustConfiguration, type TrustedAuthority } from '../../src/verify/trust.ts';
import { verifyDevice, type DeviceVerification, type VerifyDeviceOptions } from '../../src/verify/verify-device.ts';
import { getKey, makeCertificate, makeDeviceCert, makeIntermediateCa, makeRootCa, type CertificateOptions, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';
import { errorOf, rejectionOf } from '@graph-mtls/test/helpers.ts';

const NOT_BEFORE = new Date(Date.UTC(2024, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2034, 0, 1));
const NOW = new Date(Date.UTC(2026, 11, 1));
const validity: CertificateOptions = { notBefore: NOT_BEFORE, notAfter: NOT_AFTER };
const verifier = createWebCryptoVerifier(globalThis.crypto.subtle);
const PARAM = 'tls_client_auth_san_uri';

let slot = 100;
const key = (): ReturnType<typeof getKey> => getKey('p256', slot++);
const root = async (opts: CertificateOptions = {}): Promise<GeneratedCertificate> => makeRootCa({ ...validity, key: await key(), ...opts });
const issuing = async (issuer: GeneratedCertificate, opts: CertificateOptions = {}): Promise<GeneratedCertificate> => makeIntermediateCa(issuer, { ...validity, key: await key(), ...opts });
const device = async (issuer: GeneratedCertificate, opts: CertificateOptions = {}): Promise<GeneratedCertificate> => makeDeviceCert(issuer, { ...validity, key: await key(), ...opts });
const parse = (g: GeneratedCertificate | Uint8Array): Certificate => parseCertificate(g instanceof Uint8Array ? g : g.der);

function trust(...cas: readonly (readonly [GeneratedCertificate, boolean])[]): TrustConfiguration {
  return {
    tlsClientAuthParameter: PARAM,
    authorities: cas.map(([g, isRootAuthority], index): TrustedAuthority => ({ certificate: parse(g), isRootAuthority, location: { source: 'config.json', index } })),
  };
}

function verify(dev: GeneratedCertificate | Uint8Array, configuration: TrustConfiguration, options: Partial<VerifyDeviceOptions> = {}): Promise<DeviceVerification> {
  return verifyDevice(parse(dev), configuration, { now: NOW, verifier, ...options });
}

const codes = (r: DeviceVerification): string[] => r.findings.map((f) => f.code);
const refs = (r: DeviceVerification, code: string): (string | undefined)[] => r.findings.filter((f) => f.code === code).map((f) => f.ref);
const subjectsOf = (r: DeviceVerification): string[] => (r.path ?? []).map((m) => m.certificate.subjectDn);

describe('a clean path', () => {
  it('root, issuing CA, device: trusted, with the path in order and the identity read', async () => {
    const r = await root();
    const ca = await issuing(r);
    const dev = await device(ca);
    const result = await verify(dev, trust([r, true], [ca, false]));
    expect(result.outcome).toBe('trusted');
    expect(result.findings).toEqual([]);
    expect(result.path!.map((m) => [m.role, m.origin])).toEqual([['device', 'device'], ['intermediate', 'configuration'], ['anchor', 'configuration']]);
    expect(result.identity.parameter).toBe(PARAM);
    expect(result.identity.values).toEqual(parse(dev).subjectAltName!.names.map((n) => (n as { value: string }).value));
    expect(result.attempts).toEqual([{ subjects: subjectsOf(result) }]);
  });

  it('without a verifier nothing is called trusted: not-verified, one warning per signature', async () => {
    const r = await root();
    const ca = await issuing(r);
    const result = await verify(await device(ca), trust([r, true], [ca, false]), { verifier: undefined });
    expect(result.outcome).toBe('not-verified');
    expect(refs(result, 'VERIFY_SIGNATURE_NOT_VERIFIED')).toEqual(['path[0].signatureValue', 'path[1].signatureValue']);
    expect(result.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(result.findings[0]!.message).toContain('signatures not verified (no verifier)');
  });

  it('an intermediate the device presents completes the path to a configured root', async () => {
    const r = await root();
    const ca = await issuing(r);
    const result = await verify(await device(ca), trust([r, true]), { intermediates: [parse(ca)] });
    expect(result.outcome).toBe('trusted');
    expect(result.path!.map((m) => m.origin)).toEqual(['device', 'presented', 'configuration']);
  });

  it('a device issued directly by a configured root', async () => {
    const r = await root();
    expect((await verify(await device(r), trust([r, true]))).outcome).toBe('trusted');
  });
});

describe('no path', () => {
  it('an issuer that is not configured: VERIFY_NO_PATH names the issuer and its AKI', async () => {
    const other = await root({ subject: 'CN=Other Issuing CA' });
    const configured = await root();
    const result = await verify(await device(other), trust([configured, true]));
    expect(result.outcome).toBe('refused');
    expect(codes(result)).toEqual(['VERIFY_NO_PATH']);
    expect(result.path).toBeUndefined();
    expect(result.attempts).toEqual([]);
    expect(result.findings[0]!.message).toMatch(/^no path from the device certificate to a root of the configuration \(1 root and 0 other CAs\): its issuer CN=Other Issuing CA \(authorityKeyIdentifier [0-9A-F]{40}\) is not among them$/);
  });

  it('an issuing CA that is configured but leads to no root says so', async () => {
    const r = await root();
    const ca = await issuing(r);
    const result = await verify(await device(ca), trust([ca, false]));
    expect(codes(result)).toEqual(['VERIFY_NO_PATH']);
    expect(result.findings[0]!.message).toMatch(/is there, but no root is reached from it$/);
  });

  it('two CAs that certify each other, with no root: the search ends, no path', async () => {
    const a = await root({ subject: 'CN=Loop A' });
    const b = await makeCertificate({ ...validity, key: await key(), subject: 'CN=Loop B', issuer: a, basicConstraints: { ca: true }, keyUsage: ['keyCertSign'] });
    const aByB = await makeCertificate({ ...validity, key: a.key, subject: 'CN=Loop A', issuer: b, basicConstraints: { ca: true }, keyUsage: ['keyCertSign'] });
    const result = await verify(await device(b), trust([b, false], [aByB, false], [a, false]));
    expect(codes(result)).toEqual(['VERIFY_NO_PATH']);
  });

  it('a hostile pool of same-named CAs stops at the bounds: VERIFY_PATH_LIMIT', async () => {
    const r = await root({ subject: 'CN=Hostile CA' });
    // Twelve CAs of one name, each a candidate issuer of every other: without bounds, 12! paths.
    const cas = [r];
    for (let i = 0; i < 11; i++) cas.push(await makeCertificate({ ...validity, key: await key(), subject: 'CN=Hostile CA', issuer: cas[i]!, basicConstraints: { ca: true }, keyUsage: ['keyCertSign'], authorityKeyIdentifier: 'omit' }));
    const dev = await device(cas[11]!, { authorityKeyIdentifier: 'omit' });
    const result = await verify(dev, trust(...cas.slice(1).map((c) => [c, false] as const)), { pathLimits: { maxSteps: 50 } });
    expect(codes(result)).toContain('VERIFY_PATH_LIMIT');
    expect(result.outcome).toBe('refused');
  });
});

describe('each check refuses the path with its code and ref', () => {
  it('an expired issuing CA: VERIFY_EXPIRED at path[1]', async () => {
    const r = await root();
    const ca = await issuing(r, { notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2025, 0, 1)) });
    const result = await verify(await device(ca), trust([r, true], [ca, false]));
    expect(result.outcome).toBe('refused');
    expect(refs(result, 'VERIFY_EXPIRED')).toEqual(['path[1].validity.notAfter']);
    expect(result.findings[0]!.message).toMatch(/^the intermediate [^:]*CN=Test Intermediate CA \d+[^:]*: notAfter was 2025-01-01T00:00:00.000Z, before 2026-12-01T00:00:00.000Z$/);
  });

  it('a device not valid yet: VERIFY_NOT_YET_VALID at path[0]', async () => {
    const r = await root();
    const result = await verify(await device(r, { notBefore: new Date(Date.UTC(2027, 0, 1)) }), trust([r, true]));
    expect(refs(result, 'VERIFY_NOT_YET_VALID')).toEqual(['path[0].validity.notBefore']);
  });

  it('an expired root refuses too', async () => {
    const r = await root({ notBefore: new Date(Date.UTC(2015, 0, 1)), notAfter: new Date(Date.UTC(2026, 0, 1)) });
    const result = await verify(await device(r), trust([r, true]));
    expect(refs(result, 'VERIFY_EXPIRED')).toEqual(['path[1].validity.notAfter']);
  });

  it('a device signature that does not verify: VERIFY_SIGNATURE_INVALID', async () => {
    const r = await root();
    const result = await verify(d.tamperSignature((await device(r)).der), trust([r, true]));
    expect(codes(result)).toEqual(['VERIFY_SIGNATURE_INVALID']);
    expect(refs(result, 'VERIFY_SIGNATURE_INVALID')).toEqual(['path[0].signatureValue']);
  });

  it('an issuer with cA FALSE, or without basicConstraints: VERIFY_ISSUER_NOT_CA', async () => {
    const r = await root();
    for (const basicConstraints of [{ ca: false }, null]) {
      const ca = await issuing(r, { basicConstraints });
      const result = await verify(await device(ca), trust([r, true], [ca, false]));
      expect(refs(result, 'VERIFY_ISSUER_NOT_CA')).toEqual(['path[1].extensions.basicConstraints.cA']);
    }
  });

  it('an issuer whose keyUsage lacks keyCertSign: VERIFY_ISSUER_NO_CERT_SIGN', async () => {
    const r = await root();
    const ca = await issuing(r, { keyUsage: ['cRLSign', 'digitalSignature'] });
    const result = await verify(await device(ca), trust([r, true], [ca, false]));
    expect(codes(result)).toEqual(['VERIFY_ISSUER_NO_CERT_SIGN']);
  });

  it('pathLenConstraint: a root with 0 allows no intermediate; an intermediate with 0 allows none below it', async () => {
    const r0 = await root({ basicConstraints: { ca: true, critical: true, pathLen: 0 } });
    const ca = await issuing(r0);
    expect(refs(await verify(await device(ca), trust([r0, true], [ca, false])), 'VERIFY_PATH_LEN_EXCEEDED')).toEqual(['path[2].extensions.basicConstraints.pathLenConstraint']);
    expect((await verify(await device(r0), trust([r0, true]))).outcome).toBe('trusted');

    const r = await root();
    const upper = await issuing(r); // pathLen 0
    const lower = await issuing(upper);
    const result = await verify(await device(lower), trust([r, true], [upper, false], [lower, false]));
    expect(refs(result, 'VERIFY_PATH_LEN_EXCEEDED')).toEqual(['path[2].extensions.basicConstraints.pathLenConstraint']);
    expect(result.findings[0]!.message).toContain('pathLenConstraint 0 allows 0 intermediates below it, the path has 1');
  });

  it('an unknown critical extension on the device: VERIFY_UNKNOWN_CRITICAL_EXTENSION', async () => {
    const r = await root();
    const result = await verify(await device(r, { extensions: [{ oid: '1.3.6.1.4.1.99999.7', critical: true, value: d.utf8('x') }] }), trust([r, true]));
    expect(refs(result, 'VERIFY_UNKNOWN_CRITICAL_EXTENSION')).toEqual(['path[0].extensions.1.3.6.1.4.1.99999.7']);
  });

  it('a device EKU without clientAuth: VERIFY_EKU_NO_CLIENT_AUTH; anyExtendedKeyUsage or no EKU pass', async () => {
    const r = await root();
    const serverOnly = await verify(await device(r, { extendedKeyUsage: ['serverAuth'] }), trust([r, true]));
    expect(codes(serverOnly)).toEqual(['VERIFY_EKU_NO_CLIENT_AUTH']);
    expect(serverOnly.findings[0]!.message).toMatch(/: extendedKeyUsage \(serverAuth\) has neither clientAuth nor anyExtendedKeyUsage$/);
    expect((await verify(await device(r, { extendedKeyUsage: ['anyExtendedKeyUsage'] }), trust([r, true]))).outcome).toBe('trusted');
    expect((await verify(await device(r, { extendedKeyUsage: null }), trust([r, true]))).outcome).toBe('trusted');
  });

  it('nameConstraints of a CA apply to the certificates below it: VERIFY_NAME_CONSTRAINTS at the one outside', async () => {
    const permitDns = (dns: string): d.ExtensionSpec => ({ oid: d.OIDS.nameConstraints, critical: true, value: d.seq(d.explicit(0, d.seq(d.context(2, d.utf8Bytes(dns))))) });
    const r = await root({ extensions: [permitDns('devices.example.test')] });
    const inside = await device(r, { subjectAltName: [{ dns: 'cam-1.devices.example.test' }, { uri: 'IntuneDeviceId://x' }] });
    expect((await verify(inside, trust([r, true]))).outcome).toBe('trusted');
    const outside = await device(r, { subjectAltName: [{ dns: 'cam-1.elsewhere.test' }, { uri: 'IntuneDeviceId://x' }] });
    const result = await verify(outside, trust([r, true]));
    expect(refs(result, 'VERIFY_NAME_CONSTRAINTS')).toEqual(['path[0]']);
    expect(result.findings[0]!.message).toMatch(/dns 'cam-1\.elsewhere\.test' is outside every permitted dns subtree \(dns 'devices\.example\.test'\), by the nameConstraints of /);
    // The intermediate between them is checked too.
    const ca = await issuing(r, { subjectAltName: [{ dns: 'ca.elsewhere.test' }] });
    expect(refs(await verify(await device(ca, { subjectAltName: [{ dns: 'x.devices.example.test' }] }), trust([r, true], [ca, false])), 'VERIFY_NAME_CONSTRAINTS')).toEqual(['path[1]']);
  });

  it('a nameConstraints that does not decode refuses the path at its CA', async () => {
    const r = await root({ extensions: [{ oid: d.OIDS.nameConstraints, critical: true, value: d.seq() }] });
    expect(refs(await verify(await device(r), trust([r, true])), 'VERIFY_FIELD_MALFORMED')).toEqual(['path[1].extensions.nameConstraints']);
  });
});

describe('choosing among paths', () => {
  it('key rollover: an issuing CA under the new key reaches the old root through "new with old"', async () => {
    const subject = 'CN=Rollover Root, O=graph-mtls tests';
    const oldRoot = await root({ subject });
    const newRoot = await root({ subject });
    const newWithOld = await makeCertificate({ ...validity, subject, key: newRoot.key, issuer: oldRoot, basicConstraints: { ca: true, critical: true }, keyUsage: ['keyCertSign', 'cRLSign'] });
    const ca = await issuing(newRoot);
    const dev = await device(ca);
    const viaOld = await verify(dev, trust([oldRoot, true], [newWithOld, false], [ca, false]));
    expect(viaOld.outcome).toBe('trusted');
    expect(viaOld.path!.map((m) => m.role)).toEqual(['device', 'intermediate', 'intermediate', 'anchor']);
    expect(viaOld.path![3]!.certificate.sha256).toBe(parse(oldRoot).sha256);
    // With both roots configured, the AKI names the new key: the shorter path through the new root.
    const both = await verify(dev, trust([oldRoot, true], [newRoot, true], [newWithOld, false], [ca, false]));
    expect(both.path!.map((m) => m.certificate.sha256)).toEqual([dev, ca, newRoot].map((g) => parse(g).sha256));
  });

  it('cross-signing: with only the cross-signing root configured, the path goes through the presented cross certificate', async () => {
    const r1 = await root();
    const r2 = await root();
    const ca = await issuing(r1, { subject: 'CN=Cross Issuing CA' });
    const cross = await makeIntermediateCa(r2, { ...validity, key: ca.key, subject: 'CN=Cross Issuing CA' });
    const dev = await device(ca);
    const result = await verify(dev, trust([r2, true]), { intermediates: [parse(ca), parse(cross)] });
    expect(result.outcome).toBe('trusted');
    expect(result.path![1]!.certificate.sha256).toBe(parse(cross).sha256);
  });

  it('the first path that passes wins; a refused one before it is listed with its reason', async () => {
    const r = await root();
    const expiredCa = await issuing(r, { subject: 'CN=Twin CA', notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2025, 0, 1)) });
    const goodCa = await makeIntermediateCa(r, { ...validity, key: expiredCa.key, subject: 'CN=Twin CA' });
    const dev = await device(goodCa);
    const result = await verify(dev, trust([r, true], [expiredCa, false], [goodCa, false]));
    expect(result.outcome).toBe('trusted');
    // The valid twin ranks first (valid now), so one attempt; reversed validity makes two.
    expect(result.attempts).toHaveLength(1);
    const stale = await verify(dev, trust([r, true], [expiredCa, false]));
    expect(stale.attempts.map((a) => a.refusedBy)).toEqual(['VERIFY_EXPIRED']);
  });

  it('the order of the configuration does not change the result', async () => {
    const r1 = await root({ subject: 'CN=Same Root' });
    const r2 = await root({ subject: 'CN=Same Root' });
    const dev = await device(r1, { authorityKeyIdentifier: 'omit' });
    const a = await verify(dev, trust([r1, true], [r2, true]));
    const b = await verify(dev, trust([r2, true], [r1, true]));
    expect(a.attempts).toEqual(b.attempts);
    expect(a.outcome).toBe('trusted');
  });
});

describe('identity (RFC 8705 §2.1.2)', () => {
  it('matches the expected value, says which value matched', async () => {
    const r = await root();
    const dev = await device(r);
    const uri = (parse(dev).subjectAltName!.names[0] as { value: string }).value;
    const result = await verify(dev, trust([r, true]), { expected: uri.toUpperCase().replace('INTUNEDEVICEID', 'intunedeviceid') });
    expect(result.identity.matched).toBe(uri);
    expect(result.outcome).toBe('trusted');
  });

  it('a different expected value refuses the device and lists the values', async () => {
    const r = await root();
    const result = await verify(await device(r), trust([r, true]), { expected: 'IntuneDeviceId://someone-else' });
    expect(codes(result)).toEqual(['VERIFY_IDENTITY_MISMATCH']);
    expect(result.findings[0]!.message).toMatch(/^'IntuneDeviceId:\/\/someone-else' matches none of the 1 value of tls_client_auth_san_uri: 'IntuneDeviceId:\/\/[0-9a-f-]+'$/);
  });

  it('no value for the parameter, or a SAN that does not decode: VERIFY_IDENTITY_MISSING', async () => {
    const r = await root();
    expect(codes(await verify(await device(r), trust([r, true]), { parameter: 'tls_client_auth_san_dns' }))).toEqual(['VERIFY_IDENTITY_MISSING']);
    const bad = await device(r, { subjectAltName: null, extensions: [{ oid: d.OIDS.subjectAltName, value: d.utf8('x') }] });
    const result = await verify(bad, trust([r, true]));
    expect(codes(result)).toEqual(['VERIFY_IDENTITY_MISSING']);
    expect(result.findings[0]!.message).toMatch(/^no value of tls_client_auth_san_uri can be read: /);
  });

  it('the parameter comes from the options, else the configuration; none at all is an ArgumentError', async () => {
    const r = await root();
    const dev = parse(await device(r));
    const { tlsClientAuthParameter: _gone, ...bare } = trust([r, true]);
    expect((await verifyDevice(dev, bare, { now: NOW, verifier, parameter: 'tls_client_auth_subject_dn' })).identity.values).toEqual([dev.subjectDn]);
    expect((await rejectionOf(verifyDevice(dev, bare, { now: NOW }))).code).toBe('ERR_INVALID_PARAMETER');
    expect((await rejectionOf(verifyDevice(dev, bare, { now: new Date(NaN), parameter: PARAM }))).code).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('readTrustConfiguration', () => {
  it('reads a GET response: roots and intermediates, the parameter, and a bad entry as a finding that hides nothing', async () => {
    const r = await root();
    const ca = await issuing(r);
    const get = {
      id: 'x',
      tlsClientAuthParameter: 'tls_client_auth_san_dns',
      certificateAuthorities: [
        { certificate: Buffer.from(r.der).toString('base64'), isRootAuthority: true, certificateRevocationListUrl: null, issuer: 'CN=x', issuerSki: 'AA' },
        { certificate: 'not base64!', isRootAuthority: false },
        { certificate: Buffer.from(ca.der).toString('base64').replace(/.{64}/g, '$&\n'), isRootAuthority: false, certificateRevocationListUrl: 'http://crl.example.test/ca.crl' },
      ],
    };
    const { configuration, problems } = readTrustConfiguration(JSON.stringify(get), { source: 'current.json' });
    expect(configuration.tlsClientAuthParameter).toBe('tls_client_auth_san_dns');
    expect(configuration.authorities.map((a) => [a.isRootAuthority, a.location, a.certificateRevocationListUrl])).toEqual([
      [true, { source: 'current.json', index: 0 }, null],
      [false, { source: 'current.json', index: 2 }, 'http://crl.example.test/ca.crl'],
    ]);
    expect(problems.map((p) => [p.code, p.location])).toEqual([['INPUT_UNREADABLE', { source: 'current.json', index: 1 }]]);
    expect(problems[0]!.message).toMatch(/^certificateAuthorities\[1\]\.certificate: /);
  });

  it('refuses what is not a configuration', () => {
    for (const bad of ['[]', '{"displayName":"x"}', 'not json', 5]) expect(errorOf(() => readTrustConfiguration(bad)).code).toBe('ERR_INVALID_ARGUMENT');
  });
});


describe('a fleet against one configuration', () => {
  it('verifies each CA signature once per verifier, each device signature every time', async () => {
    const r = await root();
    const ca = await issuing(r);
    const devices = await Promise.all([device(ca), device(ca), device(ca)]);
    const configuration = trust([r, true], [ca, false]);
    const signed: unknown[] = [];
    const counting = { verify: (input: Parameters<typeof verifier.verify>[0]) => (signed.push(input), verifier.verify(input)) };
    const results = [];
    for (const dev of devices) results.push(await verify(dev, configuration, { verifier: counting }));
    expect(results.map((x) => x.outcome)).toEqual(['trusted', 'trusted', 'trusted']);
    // Three device signatures and the issuing CA's signature by the root, once.
    expect(signed).toHaveLength(4);
    // Another verifier verifies the CA again: nothing is shared between verifiers.
    const again: unknown[] = [];
    await verify(devices[0]!, configuration, { verifier: { verify: (input) => (again.push(input), verifier.verify(input)) } });
    expect(again).toHaveLength(2);
  });

  it('a CA signature that does not verify refuses every device under it, each time', async () => {
    const r = await root();
    const ca = await issuing(r);
    const tampered = d.tamperSignature(ca.der);
    const configuration: TrustConfiguration = { tlsClientAuthParameter: PARAM, authorities: [
      { certificate: parse(r), isRootAuthority: true, location: { source: 'config.json', index: 0 } },
      { certificate: parse(tampered), isRootAuthority: false, location: { source: 'config.json', index: 1 } },
    ] };
    for (const dev of [await device(ca), await device(ca)]) {
      const result = await verify(dev, configuration);
      expect([result.outcome, refs(result, 'VERIFY_SIGNATURE_INVALID')]).toEqual(['refused', ['path[1].signatureValue']]);
    }
  });

  it('the same intermediates array is one pool; a new array with other intermediates is another', async () => {
    const r = await root();
    const ca = await issuing(r);
    const dev = await device(ca);
    const configuration = trust([r, true]);
    const none: Certificate[] = [];
    expect((await verify(dev, configuration, { intermediates: none })).outcome).toBe('refused');
    expect((await verify(dev, configuration, { intermediates: [parse(ca)] })).outcome).toBe('trusted');
    expect((await verify(dev, configuration, { intermediates: none })).outcome).toBe('refused');
  });
});
