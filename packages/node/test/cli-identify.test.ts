// End-to-end tests of `graph-mtls identify` (packages/node/src/commands/identify.ts): the value
// Entra sees in the field tlsClientAuthParameter selects, the JSON v1 shape, --expect matching
// as RFC 8705 §2.1.2 says, and the exit codes.

import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, makeDeviceCert, makeIntermediateCa, makeRootCa, pemBundle, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { TempDir, fingerprint, parseJson, runCli, type RunResult } from './cli-harness.ts';

interface Row {
  source: string;
  index: number;
  sha256: string;
  values: string[];
  match: boolean | null;
}
interface Output {
  version: number;
  parameter: string;
  certificates: Row[];
}

const dir = new TempDir();
let device: GeneratedCertificate;
let bare: GeneratedCertificate;
let second: GeneratedCertificate;

beforeAll(async () => {
  const keys = await Promise.all([40, 41, 42, 43, 44].map((n) => getKey('p256', n)));
  const root = await makeRootCa({ key: keys[0]!, subject: 'CN=Identify Root' });
  const inter = await makeIntermediateCa(root, { key: keys[1]!, subject: 'CN=Identify Issuing CA' });
  device = await makeDeviceCert(inter, {
    key: keys[2]!,
    subject: [['C', 'US'], ['O', 'Contoso Ltd'], ['CN', 'door-camera-0042']],
    subjectAltName: [
      { dns: 'cam-42.contoso.test' },
      { uri: 'IntuneDeviceId://0b2e4c6a-1111-4222-a333-444455556666' },
      { ip: '192.0.2.42' },
      { email: 'cam42@contoso.test' },
      { dns: 'cam-42.alt.test' },
      { ip: '2001:0db8:0000:0000:0000:0000:0000:0042' },
    ],
  });
  bare = await makeDeviceCert(inter, { key: keys[3]!, subject: 'CN=no-san-device', subjectAltName: null });
  second = await makeDeviceCert(inter, { key: keys[4]!, subjectAltName: [{ uri: 'urn:device:second' }] });
  dir.write('device.pem', device.pem);
  dir.write('bare.der', bare.der);
  dir.write('two.pem', pemBundle([device, second]));
});

afterAll(() => dir.remove());

const identify = (args: readonly string[]): Promise<RunResult> => runCli(['identify', ...args], { cwd: dir.path });
const sha = (g: GeneratedCertificate): string => fingerprint(new X509Certificate(g.der).fingerprint256);

describe.concurrent('identify --format json', () => {
  it('prints every value of the selected field, in certificate order, in the v1 shape', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_dns', '--format', 'json', 'device.pem']);
    expect(r.code).toBe(0);
    const out = parseJson<Output>(r);
    expect(out.version).toBe(1);
    expect(out.parameter).toBe('tls_client_auth_san_dns');
    expect(out.certificates).toEqual([{ source: 'device.pem', index: 0, sha256: sha(device), values: ['cam-42.contoso.test', 'cam-42.alt.test'], match: null }]);
  });

  it.each([
    ['tls_client_auth_subject_dn', ['CN=door-camera-0042,O=Contoso Ltd,C=US']],
    ['tls_client_auth_san_ip', ['192.0.2.42', '2001:db8::42']],
    ['tls_client_auth_san_email', ['cam42@contoso.test']],
  ] as const)('%s', async (parameter, values) => {
    const r = await identify(['--param', parameter, '--format', 'json', 'device.pem']);
    expect(r.code).toBe(0);
    const out = parseJson<Output>(r);
    expect(out.parameter).toBe(parameter);
    expect(out.certificates.map((c) => c.values)).toEqual([values]);
  });

  it('exits 1 when a certificate has no value (and still lists it with values [])', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_dns', '--format', 'json', 'device.pem', 'bare.der']);
    expect(r.code).toBe(1);
    const out = parseJson<Output>(r);
    expect(out.certificates.map((c) => [c.source, c.sha256, c.values])).toEqual([
      ['device.pem', sha(device), ['cam-42.contoso.test', 'cam-42.alt.test']],
      ['bare.der', sha(bare), []],
    ]);
  });

  it('lists each certificate of a bundle with its index', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_uri', '--format', 'json', 'two.pem']);
    expect(r.code).toBe(0);
    const out = parseJson<Output>(r);
    expect(out.certificates.map((c) => [c.source, c.index, c.sha256, c.values])).toEqual([
      ['two.pem', 0, sha(device), ['IntuneDeviceId://0b2e4c6a-1111-4222-a333-444455556666']],
      ['two.pem', 1, sha(second), ['urn:device:second']],
    ]);
  });
});

describe.concurrent('identify --expect', () => {
  it('match true (DN compared by distinguishedNameMatch: case and RDN spacing do not matter): exit 0', async () => {
    const r = await identify(['--param', 'tls_client_auth_subject_dn', '--format', 'json', '--expect', 'cn=DOOR-CAMERA-0042, o=contoso ltd, c=US', 'device.pem']);
    expect(r.code).toBe(0);
    expect(parseJson<Output>(r).certificates.map((c) => c.match)).toEqual([true]);
  });

  it('match false: exit 1', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_dns', '--format', 'json', '--expect', 'cam-43.contoso.test', 'device.pem']);
    expect(r.code).toBe(1);
    expect(parseJson<Output>(r).certificates.map((c) => c.match)).toEqual([false]);
  });

  it('DNS compared case-insensitively, in text: exit 0 and says it matches', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_dns', '--expect', 'CAM-42.ALT.TEST', 'device.pem']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('device.pem#1: cam-42.contoso.test, cam-42.alt.test');
    expect(r.stdout).toContain('(matches)');
  });

  it('IP compared by bytes: another spelling of the same IPv6 address matches', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_ip', '--format', 'json', '--expect', '2001:DB8:0::0:42', 'device.pem']);
    expect(r.code).toBe(0);
    expect(parseJson<Output>(r).certificates.map((c) => c.match)).toEqual([true]);
  });
});

describe.concurrent('identify usage errors exit 2', () => {
  it.each([
    ['no --param', ['device.pem'], '--param'],
    ['a bad --param', ['--param', 'tls_client_auth_san_x', 'device.pem'], 'tls_client_auth_san_x'],
    ['an --expect that is not an IP address', ['--param', 'tls_client_auth_san_ip', '--expect', 'nope', 'device.pem'], 'nope'],
    ['nothing readable', ['--param', 'tls_client_auth_san_dns', 'missing.pem'], 'missing.pem'],
  ] as const)('%s', async (_name, args, mention) => {
    const r = await identify(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(mention);
  });
});
