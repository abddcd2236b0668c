// End-to-end tests of `graph-mtls identify` (packages/node/src/commands/identify.ts): the value
// Entra sees in the field tlsClientAuthParameter selects, the JSON v2 shape (problems as objects
// with a code), --expect matching as RFC 8705 §2.1.2 says, a malformed subjectAltName refused
// whole and said so, and the exit codes.

import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, makeDeviceCert, makeIntermediateCa, makeRootCa, pemBundle, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { context } from '@graph-mtls/test/fixtures/der-builder.ts';
import { TempDir, fingerprint, parseJson, runCli, type RunResult } from './cli-harness.ts';

interface Row {
  source: string;
  index: number;
  sha256: string;
  values: string[];
  match: boolean | null;
}
interface Problem {
  code: string;
  message: string;
  source: string;
  index: number | null;
}
interface Output {
  version: number;
  parameter: string;
  certificates: Row[];
  problems: Problem[];
}

const dir = new TempDir();
let device: GeneratedCertificate;
let bare: GeneratedCertificate;
let second: GeneratedCertificate;
let badSan: GeneratedCertificate;
let named: GeneratedCertificate;

beforeAll(async () => {
  const keys = await Promise.all([40, 41, 42, 43, 44, 45, 46].map((n) => getKey('p256', n)));
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
  // Entry 1 is a dNSName holding a byte that is not ASCII; entries 0 and 2 are valid.
  badSan = await makeDeviceCert(inter, {
    key: keys[5]!,
    subject: 'CN=bad-san-device',
    subjectAltName: [{ dns: 'good.contoso.test' }, { raw: context(2, Uint8Array.of(0x63, 0x61, 0x6d, 0xc3, 0xa9)) }, { uri: 'urn:device:bad-san' }],
  });
  // serialNumber has a registered name (RFC 4519); organizationIdentifier has none.
  named = await makeDeviceCert(inter, {
    key: keys[6]!,
    subject: [['O', 'Contoso'], ['2.5.4.97', 'VATBE-0123456789'], ['serialNumber', 'SN-0042'], ['CN', 'meter-42']],
  });
  dir.write('device.pem', device.pem);
  dir.write('bad-san.pem', pemBundle([device, badSan]));
  dir.write('named.pem', named.pem);
  dir.write('garbage.pem', '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n');
  dir.write('bare.der', bare.der);
  dir.write('two.pem', pemBundle([device, second]));
});

afterAll(() => dir.remove());

const identify = (args: readonly string[]): Promise<RunResult> => runCli(['identify', ...args], { cwd: dir.path });
const sha = (g: GeneratedCertificate): string => fingerprint(new X509Certificate(g.der).fingerprint256);

describe.concurrent('identify --format json', () => {
  it('prints every value of the selected field, in certificate order, in the v2 shape', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_dns', '--format', 'json', 'device.pem']);
    expect(r.code).toBe(0);
    const out = parseJson<Output>(r);
    expect(out.version).toBe(2);
    expect(out.problems).toEqual([]);
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

describe.concurrent('identify problems (JSON v2: objects with a code)', () => {
  it('a missing file, a glob that matches nothing and an unreadable PEM block each have a code, a message and a source', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_dns', '--format', 'json', 'device.pem', 'missing.pem', 'nothing-*.pem', 'garbage.pem']);
    expect(r.code).toBe(1);
    const out = parseJson<Output>(r);
    expect(out.certificates.map((c) => c.source)).toEqual(['device.pem']);
    expect(out.problems.map((p) => [p.code, p.source, p.index])).toEqual([
      ['ENOENT', 'missing.pem', null],
      ['NO_MATCH', 'nothing-*.pem', null],
      ['ERR_BASE64_INVALID', 'garbage.pem', 0],
    ]);
    expect(out.problems[0]!.message).toBe('missing.pem: no such file or directory');
    expect(out.problems[2]!.message).toMatch(/^garbage\.pem/);
  });

  it('an input the reader refuses whole (larger than maxInputBytes) is a problem of its own, the other inputs still read', async () => {
    dir.write('huge.pem', new Uint8Array(64 * 1024 * 1024 + 1));
    const r = await identify(['--param', 'tls_client_auth_san_dns', '--format', 'json', 'huge.pem', 'device.pem']);
    expect(r.code).toBe(1);
    const out = parseJson<Output>(r);
    expect(out.certificates.map((c) => c.source)).toEqual(['device.pem']);
    expect(out.problems.map((p) => [p.code, p.source, p.index])).toEqual([['ERR_INPUT_TOO_LARGE', 'huge.pem', null]]);
  });

  it('text output prints the same messages on stderr', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_dns', 'device.pem', 'missing.pem']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: missing.pem: no such file or directory\n');
  });
});

describe.concurrent('identify with a malformed subjectAltName entry', () => {
  const REASON = 'subjectAltName[1] (dNSName [2]): expected an IA5String (ASCII), received byte 0xc3';

  it('JSON: no SAN value for that certificate, and a problem naming the entry, its type and why', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_uri', '--format', 'json', 'bad-san.pem']);
    expect(r.code).toBe(1);
    const out = parseJson<Output>(r);
    expect(out.certificates.map((c) => [c.index, c.sha256, c.values])).toEqual([
      [0, sha(device), ['IntuneDeviceId://0b2e4c6a-1111-4222-a333-444455556666']],
      [1, sha(badSan), []],
    ]);
    expect(out.problems).toHaveLength(1);
    const p = out.problems[0]!;
    expect([p.code, p.source, p.index]).toEqual(['ERR_DER_INVALID_VALUE', 'bad-san.pem', 1]);
    expect(p.message).toContain(`bad-san.pem#2: ${REASON}`);
    expect(p.message).toContain('its valid entries included');
  });

  it('text: the row says why it has no value, stderr names the entry', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_dns', 'bad-san.pem']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('bad-san.pem#1: cam-42.contoso.test, cam-42.alt.test\nbad-san.pem#2: (no value: the subjectAltName does not decode)\n');
    expect(r.stderr).toContain(`error: bad-san.pem#2: ${REASON}; no value of this subjectAltName is reported`);
  });

  it('--expect: the certificate does not match (exit 1), it is not a usage error', async () => {
    const r = await identify(['--param', 'tls_client_auth_san_uri', '--format', 'json', '--expect', 'urn:device:bad-san', 'bad-san.pem']);
    expect(r.code).toBe(1);
    const out = parseJson<Output>(r);
    expect(out.certificates.map((c) => c.match)).toEqual([false, false]);
    expect(out.problems.map((p) => [p.code, p.index])).toEqual([['ERR_DER_INVALID_VALUE', 1]]);
  });

  it('the subject DN does not read the SAN, so it is still reported', async () => {
    const r = await identify(['--param', 'tls_client_auth_subject_dn', '--format', 'json', 'bad-san.pem']);
    expect(r.code).toBe(0);
    expect(parseJson<Output>(r).certificates.map((c) => c.values)).toEqual([['CN=door-camera-0042,O=Contoso Ltd,C=US'], ['CN=bad-san-device']]);
  });
});

describe.concurrent('identify: attribute type names in the subject DN', () => {
  const DN = 'CN=meter-42,serialNumber=SN-0042,2.5.4.97=#0c1056415442452d30313233343536373839,O=Contoso';

  it('JSON: registered names (serialNumber), a dotted OID with #hex otherwise, and the DN matches the certificate', async () => {
    const r = await identify(['--param', 'tls_client_auth_subject_dn', '--format', 'json', '--expect', DN, 'named.pem']);
    expect(r.code).toBe(0);
    expect(parseJson<Output>(r).certificates.map((c) => [c.values, c.match])).toEqual([[[DN], true]]);
  });

  it("text: OpenSSL's name beside a dotted OID", async () => {
    const r = await identify(['--param', 'tls_client_auth_subject_dn', 'named.pem']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`named.pem#1: ${DN}  (2.5.4.97 is organizationIdentifier)\n`);
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
