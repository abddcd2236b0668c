// End-to-end tests of `graph-mtls verify` (packages/node/src/commands/verify.ts): device
// certificates against a configuration (a GET response or a create payload), through the built
// CLI with node:crypto's verifier: text and JSON output, exit codes, problems that hide nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, makeDeviceCert, makeIntermediateCa, makeRootCa, pemBundle, toPem, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { buildCrl } from '@graph-mtls/test/fixtures/crl-builder.ts';
import { parseCertificate } from '@graph-mtls/core';
import { TempDir, b64, parseJson, runCli, type RunResult } from './cli-harness.ts';

interface VerifyJson {
  version: number;
  devices: { source: string; index: number; sha256: string; outcome: string; path: { role: string; origin: string; subject: string }[] | null; identity: { parameter: string; values: string[]; matched: string | null }; findings: { code: string; ref: string | null }[] }[];
  problems: { code: string; source: string }[];
  summary: { devices: number; trusted: number; 'not-verified': number; refused: number; problems: number; expiring: number };
}

const dir = new TempDir();
const validity = { notBefore: new Date(Date.UTC(2024, 0, 1)), notAfter: new Date(Date.UTC(2034, 0, 1)) };
let good: GeneratedCertificate;
let lostDevice: GeneratedCertificate;

beforeAll(async () => {
  const root = await makeRootCa({ ...validity, key: await getKey('p256', 80), subject: 'CN=Verify Root' });
  const issuing = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 81), subject: 'CN=Verify Issuing CA' });
  const stranger = await makeRootCa({ ...validity, key: await getKey('p256', 82), subject: 'CN=Stranger Root' });
  good = await makeDeviceCert(issuing, { ...validity, key: await getKey('p256', 83) });
  const lost = await makeDeviceCert(stranger, { ...validity, key: await getKey('p256', 84) });
  lostDevice = lost;
  dir.write('current.json', JSON.stringify({
    id: 'x',
    displayName: 'Door cameras',
    tlsClientAuthParameter: 'tls_client_auth_san_uri',
    certificateAuthorities: [
      { certificate: b64(root.der), isRootAuthority: true, issuer: 'CN=Verify Root', issuerSki: 'AA' },
      { certificate: b64(issuing.der), isRootAuthority: false },
    ],
  }));
  dir.write('roots-only.json', JSON.stringify({ tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: b64(root.der), isRootAuthority: true }] }));
  dir.write('issuing.pem', issuing.pem);
  dir.write('devices/good.pem', good.pem);
  dir.write('devices/lost.pem', lost.pem);
  dir.write('both.pem', pemBundle([good, lost]));
  dir.write('notes.txt', 'not a certificate\n');
  const revoking = buildCrl({ signingKey: issuing.key.privateKey, issuer: issuing.subjectDer, revoked: [{ serial: parseCertificate(good.der).serialNumber }] });
  dir.write('crls/issuing.crl', toPem(revoking, 'X509 CRL'));
  dir.write('crls/empty.crl', buildCrl({ signingKey: issuing.key.privateKey, issuer: issuing.subjectDer }));
  dir.write('with-crl-url.json', JSON.stringify({ tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [
    { certificate: b64(root.der), isRootAuthority: true },
    { certificate: b64(issuing.der), isRootAuthority: false, certificateRevocationListUrl: 'http://crl.example.test/issuing.crl' },
  ] }));
});
afterAll(() => dir.remove());

const verify = (args: readonly string[]): Promise<RunResult> => runCli(['verify', ...args], { cwd: dir.path });

describe.concurrent('graph-mtls verify', () => {
  it('a device that authenticates: exit 0, the path and the identity in text', async () => {
    const r = await verify(['--config', 'current.json', 'devices/good.pem']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^devices\/good\.pem#1: trusted {2}CN=Verify Issuing CA <- CN=Verify Root\n {2}tls_client_auth_san_uri: IntuneDeviceId:\/\/[0-9a-f-]+\n {2}CN=Verify Issuing CA: 1 trusted, 0 not verified, 0 refused\n1 device: 1 trusted, 0 not verified, 0 refused\n$/);
    expect(r.stderr).toBe('');
  });

  it('one device that would not authenticate makes exit 1, and the reason is printed under it', async () => {
    const r = await verify(['--config', 'current.json', 'devices/']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('devices/lost.pem#1: refused\n');
    expect(r.stdout).toMatch(/VERIFY_NO_PATH.*its issuer CN=Stranger Root/);
    expect(r.stdout).toMatch(/\n2 devices: 1 trusted, 0 not verified, 1 refused\n$/);
  });

  it('--format json: the versioned contract, one entry per device, with the path and the findings', async () => {
    const r = await verify(['--config', 'current.json', '--format', 'json', 'both.pem']);
    expect(r.code).toBe(1);
    const out = parseJson<VerifyJson>(r);
    expect(out.version).toBe(1);
    expect(out.devices.map((d) => [d.index, d.outcome])).toEqual([[0, 'trusted'], [1, 'refused']]);
    expect(out.devices[0]!.path!.map((m) => [m.role, m.origin])).toEqual([['device', 'device'], ['intermediate', 'configuration'], ['anchor', 'configuration']]);
    expect(out.devices[1]!.findings.map((f) => f.code)).toEqual(['VERIFY_NO_PATH']);
    // A device without a path still names its certificate.
    expect(out.devices.map((d) => d.sha256)).toEqual([good, lostDevice].map((g) => parseCertificate(g.der).sha256));
    expect(out.summary).toEqual({
      devices: 2, trusted: 1, 'not-verified': 0, refused: 1, problems: 0,
      byIssuer: [{ issuer: 'CN=Verify Issuing CA', trusted: 1, 'not-verified': 0, refused: 0 }, { issuer: '', trusted: 0, 'not-verified': 0, refused: 1 }],
      expiring: 0, expiryWarningDays: 30, unlisted: 0,
    });
  });

  it('--expiry-warning counts the devices whose path expires within the window', async () => {
    // Every certificate here expires on 2034-01-01: within 20 years of --now, not within 30 days.
    const wide = await verify(['--config', 'current.json', '--now', '2026-06-01T00:00:00Z', '--expiry-warning', '7300', 'devices/good.pem']);
    expect(wide.stdout).toContain('1 device: 1 trusted, 0 not verified, 0 refused; 1 with a path that expires within 7300 days\n');
    const narrow = await verify(['--config', 'current.json', '--now', '2026-06-01T00:00:00Z', '--format', 'json', 'devices/good.pem']);
    expect(parseJson<VerifyJson>(narrow).summary.expiring).toBe(0);
    expect((await verify(['--config', 'current.json', '--expiry-warning', 'soon', 'devices/good.pem'])).code).toBe(2);
  });

  it('--intermediates completes the path when the configuration holds only the root', async () => {
    expect((await verify(['--config', 'roots-only.json', 'devices/good.pem'])).code).toBe(1);
    const r = await verify(['--config', 'roots-only.json', '--intermediates', 'issuing.pem', '--format', 'json', 'devices/good.pem']);
    expect(r.code).toBe(0);
    expect(parseJson<VerifyJson>(r).devices[0]!.path!.map((m) => m.origin)).toEqual(['device', 'presented', 'configuration']);
  });

  it('--expect compares the identity; another value refuses the device', async () => {
    const uri = (await verify(['--config', 'current.json', '--format', 'json', 'devices/good.pem'])).stdout.match(/IntuneDeviceId:\/\/[0-9a-f-]+/)![0];
    const ok = await verify(['--config', 'current.json', '--expect', uri, 'devices/good.pem']);
    expect([ok.code, ok.stdout.includes('(matches)')]).toEqual([0, true]);
    const other = await verify(['--config', 'current.json', '--expect', 'IntuneDeviceId://nobody', '--format', 'json', 'devices/good.pem']);
    expect(other.code).toBe(1);
    expect(parseJson<VerifyJson>(other).devices[0]!.findings.map((f) => f.code)).toEqual(['VERIFY_IDENTITY_MISMATCH']);
  });

  it('an input that is not a certificate is a problem that hides nothing: exit 1, the others verified', async () => {
    const r = await verify(['--config', 'current.json', '--format', 'json', 'notes.txt', 'missing.pem', 'devices/good.pem']);
    expect(r.code).toBe(1);
    const out = parseJson<VerifyJson>(r);
    expect(out.devices.map((d) => d.outcome)).toEqual(['trusted']);
    expect(out.problems.map((p) => p.source).sort()).toEqual(['missing.pem', 'notes.txt']);
  });

  it('--crl: a revoked device is refused; a configured CRL URL without a CRL given is a warning, not a failure', async () => {
    const revoked = await verify(['--config', 'current.json', '--crl', 'crls/issuing.crl', '--format', 'json', 'devices/good.pem']);
    expect(revoked.code).toBe(1);
    expect(parseJson<VerifyJson>(revoked).devices[0]!.findings.map((f) => f.code)).toEqual(['VERIFY_REVOKED']);
    const unchecked = await verify(['--config', 'with-crl-url.json', '--format', 'json', 'devices/good.pem']);
    expect(unchecked.code).toBe(0);
    expect(parseJson<VerifyJson>(unchecked).devices[0]!.findings.map((f) => f.code)).toEqual(['VERIFY_CRL_NOT_GIVEN']);
    const checked = await verify(['--config', 'with-crl-url.json', '--crl', 'crls/empty.crl', 'devices/good.pem']);
    expect([checked.code, checked.stdout.includes('VERIFY_')]).toEqual([0, false]);
    const missing = await verify(['--config', 'current.json', '--crl', 'crls/nope.crl', '--format', 'json', 'devices/good.pem']);
    expect([missing.code, parseJson<VerifyJson>(missing).problems.map((p) => p.source)]).toEqual([1, ['crls/nope.crl']]);
  });

  it('--format sarif and github: the findings at the device file and PEM line, and the input problems', async () => {
    const sarif = await verify(['--config', 'current.json', '--format', 'sarif', 'both.pem', 'notes.txt']);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toContain('VERIFY_NO_PATH');
    expect(log.runs[0]!.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region?.startLine ?? null])).toEqual([
      // In input order: both.pem's device, then notes.txt, which holds no certificate.
      ['VERIFY_NO_PATH', 'error', 'both.pem', good.pem.split('\n').length],
      ['INPUT_UNREADABLE', 'error', 'notes.txt', null],
    ]);
    const github = await verify(['--config', 'current.json', '--format', 'github', 'both.pem']);
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(/^::error file=both\.pem,line=\d+,title=VERIFY_NO_PATH::/m);
  });

  it('usage errors exit 2: no --config, an unreadable --config, no devices, a bad --param', async () => {
    for (const args of [['devices/good.pem'], ['--config', 'nope.json', 'devices/good.pem'], ['--config', 'current.json'], ['--config', 'current.json', '--param', 'bogus', 'devices/good.pem']]) {
      const r = await verify(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});
