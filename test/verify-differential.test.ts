// verifyDevice against two other verifiers on generated chains: OpenSSL's (`openssl verify
// -x509_strict -attime T -CAfile <the configuration's roots> -untrusted <its other CAs and the
// presented intermediates> -purpose sslclient [-crl_check -CRLfile ...]`), and a node:crypto loop
// of the kind users write (X509Certificate.checkIssued and verify from the device up to a root,
// and the validity of each certificate; nothing else). Each scenario states what each must say;
// where they disagree, the scenario says which side is right and why.

import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWebCryptoVerifier, parseCertificate } from '@graph-mtls/core';
import { parseCrl, verifyDevice, type TrustConfiguration } from '@graph-mtls/core/verify';
import { getKey, makeCertificate, makeDeviceCert, makeIntermediateCa, makeRootCa, toPem, type CertificateOptions, type GeneratedCertificate } from './fixtures/certificates.ts';
import { buildCrl } from './fixtures/crl-builder.ts';
import * as d from './fixtures/der-builder.ts';

const NOW = new Date(Date.UTC(2026, 11, 1));
const validity: CertificateOptions = { notBefore: new Date(Date.UTC(2024, 0, 1)), notAfter: new Date(Date.UTC(2034, 0, 1)) };
const verifier = createWebCryptoVerifier(globalThis.crypto.subtle);
const dir = mkdtempSync(join(tmpdir(), 'graph-mtls-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let slot = 200;
const key = (kind: 'p256' | 'p384' | 'rsa2048' | 'ed25519' = 'p256'): ReturnType<typeof getKey> => getKey(kind, slot++);

interface Scenario {
  readonly roots: readonly GeneratedCertificate[];
  readonly intermediates?: readonly GeneratedCertificate[];
  /** Intermediates the device presents (not in the configuration). */
  readonly presented?: readonly GeneratedCertificate[];
  readonly device: GeneratedCertificate | Uint8Array;
  /** CRLs as DER. */
  readonly crls?: readonly Uint8Array[];
}

async function ours(s: Scenario): Promise<boolean> {
  const configuration: TrustConfiguration = {
    tlsClientAuthParameter: 'tls_client_auth_subject_dn',
    authorities: [...s.roots.map((g) => [g, true] as const), ...(s.intermediates ?? []).map((g) => [g, false] as const)].map(([g, isRootAuthority], index) => ({ certificate: parseCertificate(g.der), isRootAuthority, location: { index } })),
  };
  const device = parseCertificate(s.device instanceof Uint8Array ? s.device : s.device.der);
  const result = await verifyDevice(device, configuration, { now: NOW, verifier, intermediates: (s.presented ?? []).map((g) => parseCertificate(g.der)), crls: (s.crls ?? []).map((c) => parseCrl(c)) });
  return result.outcome === 'trusted';
}

let run = 0;
function openssl(s: Scenario): { ok: boolean; output: string } {
  const n = run++;
  const file = (name: string, text: string): string => {
    const path = join(dir, `${n}-${name}`);
    writeFileSync(path, text);
    return path;
  };
  const args = ['verify', '-x509_strict', '-attime', String(Math.floor(NOW.getTime() / 1000)), '-purpose', 'sslclient', '-CAfile', file('roots.pem', s.roots.map((g) => g.pem).join(''))];
  const untrusted = [...(s.intermediates ?? []), ...(s.presented ?? [])];
  if (untrusted.length > 0) args.push('-untrusted', file('untrusted.pem', untrusted.map((g) => g.pem).join('')));
  if (s.crls !== undefined && s.crls.length > 0) args.push('-crl_check', '-CRLfile', file('crls.pem', s.crls.map((c) => toPem(c, 'X509 CRL')).join('')));
  args.push(file('device.pem', s.device instanceof Uint8Array ? toPem(s.device) : s.device.pem));
  const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error !== undefined) throw r.error;
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/**
 * The node:crypto loop: from the device, an issuer among the CAs and presented certificates
 * that checkIssued() accepts and whose key verify()s the certificate, every candidate tried
 * (depth-first), until a configured root; every certificate valid at NOW.
 */
function nodeLoop(s: Scenario): boolean {
  const x = (g: GeneratedCertificate | Uint8Array): X509Certificate => new X509Certificate(g instanceof Uint8Array ? g : g.der);
  const roots = s.roots.map(x);
  const others = [...(s.intermediates ?? []), ...(s.presented ?? [])].map(x);
  const valid = (c: X509Certificate): boolean => Date.parse(c.validFrom) <= NOW.getTime() && NOW.getTime() <= Date.parse(c.validTo);
  const up = (cert: X509Certificate, seen: readonly X509Certificate[]): boolean => {
    if (!valid(cert)) return false;
    for (const issuer of [...roots, ...others]) {
      if (seen.includes(issuer) || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) continue;
      if (roots.includes(issuer) ? valid(issuer) : up(issuer, [...seen, issuer])) return true;
    }
    return false;
  };
  return up(x(s.device), []);
}

/** Both full verifiers on one scenario: [ours, OpenSSL's]; the node:crypto loop is asserted beside. */
async function both(s: Scenario): Promise<[boolean, boolean]> {
  return [await ours(s), openssl(s).ok];
}

async function crossSigned(): Promise<{ r2: GeneratedCertificate; ca: GeneratedCertificate; cross: GeneratedCertificate; dev: GeneratedCertificate }> {
  const r1 = await makeRootCa({ ...validity, key: await key() });
  const r2 = await makeRootCa({ ...validity, key: await key() });
  const ca = await makeIntermediateCa(r1, { ...validity, key: await key(), subject: 'CN=Differential Cross CA' });
  const cross = await makeIntermediateCa(r2, { ...validity, key: ca.key, subject: 'CN=Differential Cross CA' });
  return { r2, ca, cross, dev: await makeDeviceCert(ca, { ...validity, key: await key() }) };
}

// openssl is required (scripts/ensure-tools.sh installs it): without it these tests fail, never skip.
describe('verifyDevice and openssl verify agree', () => {
  it('clean chains: P-256 root, P-384 issuing CA, Ed25519 device; an RSA root with an RSA device', async () => {
    const root = await makeRootCa({ ...validity, key: await key('p256') });
    const ca = await makeIntermediateCa(root, { ...validity, key: await key('p384') });
    expect(await both({ roots: [root], intermediates: [ca], device: await makeDeviceCert(ca, { ...validity, key: await key('ed25519') }) })).toEqual([true, true]);
    const rsa = await makeRootCa({ ...validity, key: await key('rsa2048') });
    expect(await both({ roots: [rsa], device: await makeDeviceCert(rsa, { ...validity, key: await key('rsa2048') }) })).toEqual([true, true]);
  });

  it('an intermediate the device presents; an issuer that is not configured (the node:crypto loop agrees)', async () => {
    const root = await makeRootCa({ ...validity, key: await key() });
    const ca = await makeIntermediateCa(root, { ...validity, key: await key() });
    const dev = await makeDeviceCert(ca, { ...validity, key: await key() });
    expect(await both({ roots: [root], presented: [ca], device: dev })).toEqual([true, true]);
    expect(nodeLoop({ roots: [root], presented: [ca], device: dev })).toBe(true);
    expect(await both({ roots: [root], device: dev })).toEqual([false, false]);
    expect(nodeLoop({ roots: [root], device: dev })).toBe(false);
  });

  it('validity: an expired intermediate, a device not valid yet (the node:crypto loop agrees)', async () => {
    const root = await makeRootCa({ ...validity, key: await key() });
    const old = await makeIntermediateCa(root, { key: await key(), notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2025, 0, 1)) });
    const expired: Scenario = { roots: [root], intermediates: [old], device: await makeDeviceCert(old, { ...validity, key: await key() }) };
    const early: Scenario = { roots: [root], device: await makeDeviceCert(root, { key: await key(), notBefore: new Date(Date.UTC(2027, 0, 1)), notAfter: new Date(Date.UTC(2028, 0, 1)) }) };
    for (const s of [expired, early]) {
      expect(await both(s)).toEqual([false, false]);
      expect(nodeLoop(s)).toBe(false);
    }
  });

  it('pathLenConstraint 0 on the root with an intermediate below it', async () => {
    const root = await makeRootCa({ ...validity, key: await key(), basicConstraints: { ca: true, critical: true, pathLen: 0 } });
    const ca = await makeIntermediateCa(root, { ...validity, key: await key() });
    expect(await both({ roots: [root], intermediates: [ca], device: await makeDeviceCert(ca, { ...validity, key: await key() }) })).toEqual([false, false]);
  });

  it('key rollover: an issuing CA under the new key, the old root configured, "new with old" between them', async () => {
    const subject = 'CN=Differential Rollover Root';
    const oldRoot = await makeRootCa({ ...validity, subject, key: await key() });
    const newRoot = await makeRootCa({ ...validity, subject, key: await key() });
    const newWithOld = await makeCertificate({ ...validity, subject, key: newRoot.key, issuer: oldRoot, basicConstraints: { ca: true, critical: true }, keyUsage: ['keyCertSign', 'cRLSign'] });
    const ca = await makeIntermediateCa(newRoot, { ...validity, key: await key() });
    const s: Scenario = { roots: [oldRoot], intermediates: [newWithOld, ca], device: await makeDeviceCert(ca, { ...validity, key: await key() }) };
    expect(await both(s)).toEqual([true, true]);
    expect(nodeLoop(s)).toBe(true);
  });

  it('cross-signing: the issuing CA certified by an unconfigured root and by the configured one (cross certificate presented first)', async () => {
    const { r2, ca, cross, dev } = await crossSigned();
    expect(await both({ roots: [r2], presented: [cross, ca], device: dev })).toEqual([true, true]);
  });

  it('disagreement: the same cross-signed chain with the other certificate presented first. OpenSSL takes the first issuer it finds among the untrusted certificates and backtracks only toward its trust store, so it misses the path through the second; RFC 4158 path building tries every candidate (as Windows CryptoAPI and Go do), and the path through the cross certificate is valid: ours is right', async () => {
    const { r2, ca, cross, dev } = await crossSigned();
    expect(await both({ roots: [r2], presented: [ca, cross], device: dev })).toEqual([true, false]);
    // The node:crypto loop tries every candidate, as ours does.
    expect(nodeLoop({ roots: [r2], presented: [ca, cross], device: dev })).toBe(true);
  });

  it('nameConstraints permitting and excluding the device name', async () => {
    const nc = (tag: 0 | 1): d.ExtensionSpec => ({ oid: d.OIDS.nameConstraints, critical: true, value: d.seq(d.explicit(tag, d.seq(d.context(2, d.utf8Bytes('devices.example.test'))))) });
    for (const [tag, expected] of [[0, true], [1, false]] as const) {
      const root = await makeRootCa({ ...validity, key: await key(), extensions: [nc(tag)] });
      const dev = await makeDeviceCert(root, { ...validity, key: await key(), subjectAltName: [{ dns: 'cam-7.devices.example.test' }] });
      expect(await both({ roots: [root], device: dev }), `tag ${tag}`).toEqual([expected, expected]);
    }
  });

  it('a device extendedKeyUsage without clientAuth; an unknown critical extension; a signature that does not verify', async () => {
    const root = await makeRootCa({ ...validity, key: await key() });
    expect(await both({ roots: [root], device: await makeDeviceCert(root, { ...validity, key: await key(), extendedKeyUsage: ['serverAuth'] }) })).toEqual([false, false]);
    expect(await both({ roots: [root], device: await makeDeviceCert(root, { ...validity, key: await key(), extensions: [{ oid: '1.3.6.1.4.1.99999.9', critical: true, value: d.utf8('x') }] }) })).toEqual([false, false]);
    expect(await both({ roots: [root], device: d.tamperSignature((await makeDeviceCert(root, { ...validity, key: await key() })).der) })).toEqual([false, false]);
  });

  it('revocation: a device on its issuer\'s CRL is refused, one that is not is trusted', async () => {
    const root = await makeRootCa({ ...validity, key: await key() });
    const dev = await makeDeviceCert(root, { ...validity, key: await key() });
    const listing = buildCrl({ signingKey: root.key.privateKey, issuer: root.subjectDer, revoked: [{ serial: parseCertificate(dev.der).serialNumber }] });
    const empty = buildCrl({ signingKey: root.key.privateKey, issuer: root.subjectDer });
    expect(await both({ roots: [root], device: dev, crls: [listing] })).toEqual([false, false]);
    expect(await both({ roots: [root], device: dev, crls: [empty] })).toEqual([true, true]);
  });

  it('disagreement: a device whose authorityKeyIdentifier names another key, signed by the configured root. RFC 5280 §6.1 does not use the AKI (it is a path-building hint, §4.2.1.1), so the path is valid and ours says trusted; OpenSSL matches the AKI against the SKI and finds no issuer', async () => {
    const root = await makeRootCa({ ...validity, key: await key() });
    const dev = await makeDeviceCert(root, { ...validity, key: await key(), authorityKeyIdentifier: Uint8Array.of(1, 2, 3, 4) });
    expect(await both({ roots: [root], device: dev })).toEqual([true, false]);
    // node:crypto's checkIssued() is OpenSSL's X509_check_issued, which compares the AKI too.
    expect(nodeLoop({ roots: [root], device: dev })).toBe(false);
  });

  it('the node:crypto loop refuses a bad signature but checks no EKU and no critical extension (nor pathLenConstraint, nameConstraints or revocation): it calls trusted what both full verifiers refuse', async () => {
    const root = await makeRootCa({ ...validity, key: await key() });
    expect(nodeLoop({ roots: [root], device: d.tamperSignature((await makeDeviceCert(root, { ...validity, key: await key() })).der) })).toBe(false);
    const eku: Scenario = { roots: [root], device: await makeDeviceCert(root, { ...validity, key: await key(), extendedKeyUsage: ['serverAuth'] }) };
    const critical: Scenario = { roots: [root], device: await makeDeviceCert(root, { ...validity, key: await key(), extensions: [{ oid: '1.3.6.1.4.1.99999.9', critical: true, value: d.utf8('x') }] }) };
    for (const s of [eku, critical]) {
      expect(await both(s)).toEqual([false, false]);
      expect(nodeLoop(s)).toBe(true);
    }
  });
});
