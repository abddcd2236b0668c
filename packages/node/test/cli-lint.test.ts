// End-to-end tests of `graph-mtls lint` (packages/node/src/commands/lint.ts): the built CLI is
// spawned with pipes in a temporary directory of generated certificates. Covers the inputs
// (files, recursive directories, globs, stdin; PEM, DER, base64, PKCS#7; payload JSON told
// apart by content), the options, and the exit codes 0 / 1 / 2.

import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getKey,
  makeCertificate,
  makeDeviceCert,
  makeIntermediateCa,
  makePkcs7,
  makeRootCa,
  pemBundle,
  pkcs8Der,
  toPem,
  type GeneratedCertificate,
} from '@graph-mtls/test/fixtures/certificates.ts';
import { TempDir, b64, parseJson, runCli, type RunResult } from './cli-harness.ts';

interface JsonFinding {
  code: string;
  severity: string;
  message: string;
  errorCode: string | null;
}
interface JsonCertificate {
  source: string;
  index: number;
  format: string;
  sha256: string;
  role: string;
  findings: JsonFinding[];
}
interface JsonReport {
  version: number;
  now: string;
  certificates: JsonCertificate[];
  inputs: { source: string; findings: JsonFinding[] }[];
  payloads: { source: string; kind: string; findings: JsonFinding[] }[];
  summary: { certificates: number; errors: number; warnings: number };
}

const DAY = 86_400_000;
const sha256 = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');
const dir = new TempDir();
let root: GeneratedCertificate;
let inter: GeneratedCertificate;
let device: GeneratedCertificate;
let deviceUriOnly: GeneratedCertificate;

beforeAll(async () => {
  const [k0, k1, k2, k3, k4, k5, k6] = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((n) => getKey('p256', n)));
  root = await makeRootCa({ key: k0!, subject: 'CN=Lint Root, O=graph-mtls tests, C=US' });
  inter = await makeIntermediateCa(root, { key: k1!, subject: 'CN=Lint Intermediate, O=graph-mtls tests, C=US' });
  device = await makeDeviceCert(inter, { key: k2!, subjectAltName: [{ uri: 'IntuneDeviceId://lint-device' }, { dns: 'cam-1.contoso.test' }] });
  deviceUriOnly = await makeDeviceCert(inter, { key: k3! });
  const expired = await makeRootCa({ key: k4!, subject: 'CN=Lint Expired Root', notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2021, 0, 1)) });
  const soon = await makeRootCa({ key: k5!, subject: 'CN=Lint Expiring Root', notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 10 * DAY) });
  const nonCa = await makeCertificate({ key: k6!, subject: 'CN=Lint Not A CA', issuer: root });

  // A directory read recursively: every certificate form, and files a walk must skip.
  dir.write('certs/root.pem', root.pem);
  dir.write('certs/nested/inter.der', inter.der);
  dir.write('certs/nested/deeper/root.b64', b64(root.der));
  dir.write('certs/bundle.p7b', makePkcs7([root.der, inter.der]).der);
  dir.write('certs/chain-pem.p7c', makePkcs7([inter.der]).pem);
  dir.write('certs/README.md', 'not a certificate at all: skipped by extension');
  dir.write('certs/.hidden.pem', 'garbage in a dot file: skipped');
  dir.write('certs/node_modules/x.pem', 'garbage under node_modules: skipped');

  dir.write('glob/a.pem', root.pem);
  dir.write('glob/sub/b.pem', inter.pem);
  dir.write('glob/sub/c.der', inter.der); // not matched by **/*.pem

  // Payloads are told apart by content, not by name.
  const create = {
    displayName: 'Door cameras',
    tlsClientAuthParameter: 'tls_client_auth_san_uri',
    certificateAuthorities: [
      { certificate: b64(root.der), isRootAuthority: true },
      { certificate: b64(inter.der), isRootAuthority: false },
    ],
  };
  dir.write('payloads/create.txt', JSON.stringify(create, null, 2));
  dir.write('payloads/update.json', JSON.stringify({ displayName: 'Renamed' }));
  dir.write('payloads/bad.json', JSON.stringify({ ...create, issuerSubjectkeyIdentifier: 'ABCD' }));
  dir.write('payloads/cert.json', root.pem);

  dir.write('mixed/garbage.txt', 'this is !!! not a certificate');
  dir.write('mixed/key.pem', toPem(pkcs8Der(root.key.privateKey), 'PRIVATE KEY'));
  dir.write('mixed/key.der', pkcs8Der(inter.key.privateKey));
  dir.write('mixed/inter.pem', inter.pem);

  dir.write('expired.pem', expired.pem);
  dir.write('soon.pem', soon.pem);
  dir.write('nonca.pem', nonCa.pem);
  dir.write('device.pem', device.pem);
  dir.write('device-uri-only.pem', deviceUriOnly.pem);
  dir.write('chain.pem', pemBundle([root, inter]));
  for (let i = 0; i < 30; i++) dir.write(`many/f${String(i).padStart(2, '0')}.pem`, root.pem);
  dir.write('skips/root.pem', root.pem);
  dir.write('skips/device.key', 'a key');
  dir.write('skips/store.pfx', 'an archive');
  dir.write('skips/notes.md', 'notes');
  dir.write('skips/.git/config', 'x');
});

afterAll(() => dir.remove());

const lint = (args: readonly string[], stdin?: string | Uint8Array): Promise<RunResult> =>
  runCli(['lint', ...args], { cwd: dir.path, ...(stdin === undefined ? {} : { stdin }) });

const codes = (findings: readonly { code: string }[]): string[] => findings.map((f) => f.code);
const certOf = (r: JsonReport, source: string): JsonCertificate[] => r.certificates.filter((c) => c.source === source);

describe.concurrent('inputs', () => {
  it('reads a directory recursively: PEM, DER, base64, PKCS#7 DER and PEM; skips other names, dot files and node_modules', async () => {
    const r = await lint(['--format', 'json', 'certs']);
    expect(r.code).toBe(0);
    const report = parseJson<JsonReport>(r);
    expect(report.inputs).toEqual([]);
    const rootSha = sha256(root.der);
    const interSha = sha256(inter.der);
    expect(report.certificates.map((c) => [c.source, c.index, c.format, c.sha256])).toEqual([
      ['certs/bundle.p7b', 0, 'pkcs7-der', rootSha],
      ['certs/bundle.p7b', 1, 'pkcs7-der', interSha],
      ['certs/chain-pem.p7c', 0, 'pkcs7-pem', interSha],
      ['certs/nested/deeper/root.b64', 0, 'base64', rootSha],
      ['certs/nested/inter.der', 0, 'der', interSha],
      ['certs/root.pem', 0, 'pem', rootSha],
    ]);
    expect(report.summary).toMatchObject({ certificates: 6, errors: 0 });
  });

  it('reads absolute paths (files, directories and globs) whatever the working directory', async () => {
    const abs = (p: string): string => join(dir.path, p);
    const r = await lint(['--format', 'json', abs('certs/root.pem'), abs('glob'), abs('glob') + '/**/*.pem']);
    expect(r.code).toBe(0);
    const report = parseJson<JsonReport>(r);
    expect(report.inputs).toEqual([]);
    // The directory walk also reads glob/sub/c.der; the glob adds nothing new (each file once).
    expect(report.certificates.map((c) => c.source)).toEqual(['certs/root.pem', 'glob/a.pem', 'glob/sub/b.pem', 'glob/sub/c.der']);
  });

  it('expands a quoted glob itself (no shell), and a glob that matches nothing is an error finding', async () => {
    const r = await lint(['--format', 'json', 'glob/**/*.pem', 'nomatch/**/*.pem']);
    expect(r.code).toBe(1);
    const report = parseJson<JsonReport>(r);
    expect(report.certificates.map((c) => c.source)).toEqual(['glob/a.pem', 'glob/sub/b.pem']);
    expect(report.inputs).toHaveLength(1);
    expect(report.inputs[0]!.source).toBe('nomatch/**/*.pem');
    expect(report.inputs[0]!.findings[0]).toMatchObject({ severity: 'error', errorCode: 'NO_MATCH' });
    expect(report.summary).toMatchObject({ certificates: 2, errors: 1 });
  });

  it('reads `-` from stdin (PEM) next to files', async () => {
    const r = await lint(['--format', 'json', 'glob/a.pem', '-'], inter.pem);
    expect(r.code).toBe(0);
    const report = parseJson<JsonReport>(r);
    expect(report.certificates.map((c) => [c.source, c.format])).toEqual([
      ['glob/a.pem', 'pem'],
      ['stdin', 'pem'],
    ]);
    expect(report.certificates[1]!.sha256).toBe(sha256(inter.der));
  });

  it('reads DER from stdin', async () => {
    const r = await lint(['--format', 'json', '-'], inter.der);
    expect(r.code).toBe(0);
    const report = parseJson<JsonReport>(r);
    expect(report.certificates.map((c) => [c.source, c.format])).toEqual([['stdin', 'der']]);
  });

  it('tells payload JSON from certificates by content, whatever the file name', async () => {
    const r = await lint(['--format', 'json', 'payloads']);
    expect(r.code).toBe(1); // bad.json
    const report = parseJson<JsonReport>(r);
    const payloads = Object.fromEntries(report.payloads.map((p) => [p.source, p]));
    expect(Object.keys(payloads).sort()).toEqual(['payloads/bad.json', 'payloads/create.txt', 'payloads/update.json']);
    expect(payloads['payloads/create.txt']!.kind).toBe('create');
    expect(payloads['payloads/create.txt']!.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(payloads['payloads/update.json']!.kind).toBe('update');
    expect(payloads['payloads/update.json']!.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(codes(payloads['payloads/bad.json']!.findings)).toContain('PAYLOAD_UNKNOWN_PROPERTY');
    // A .json file holding PEM is a certificate.
    expect(report.certificates.map((c) => [c.source, c.format])).toEqual([['payloads/cert.json', 'pem']]);
  });
});

describe.concurrent('what a walk leaves out', () => {
  it('--verbose lists each file a directory walk does not read, and why; without it nothing is said', async () => {
    const [verbose, quiet] = await Promise.all([lint(['--verbose', 'skips']), lint(['skips'])]);
    expect(verbose.code).toBe(quiet.code);
    expect(verbose.stdout).toBe(quiet.stdout);
    expect(quiet.stderr).toBe('');
    expect(verbose.stderr.split('\n').filter(Boolean)).toEqual([
      'skipped: skips/.git (a dot file or folder)',
      'skipped: skips/device.key (.key is a private key: not read)',
      "skipped: skips/notes.md (not a certificate's extension (.pem .crt .cer .der .cert .ca-bundle .p7b .p7c .b64 .txt .json))",
      'skipped: skips/store.pfx (.pfx is a PKCS#12 archive (it holds a private key): not read)',
    ]);
  });
});

describe.concurrent('unreadable inputs', () => {
  const args = ['missing.pem', 'mixed/garbage.txt', 'mixed/key.pem', 'mixed/key.der', 'certs/root.pem', 'mixed/inter.pem'];

  it('reports each bad file as an error finding and still checks every other file (json)', async () => {
    const r = await lint(['--format', 'json', ...args]);
    expect(r.code).toBe(1);
    const report = parseJson<JsonReport>(r);
    expect(report.certificates.map((c) => c.source)).toEqual(['certs/root.pem', 'mixed/inter.pem']);
    for (const c of report.certificates) expect(c.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const bySource = Object.fromEntries(report.inputs.map((i) => [i.source, i.findings]));
    expect(Object.keys(bySource).sort()).toEqual(['missing.pem', 'mixed/garbage.txt', 'mixed/key.der', 'mixed/key.pem']);
    expect(bySource['missing.pem']).toMatchObject([{ code: 'INPUT_FILE_UNREADABLE', severity: 'error', errorCode: 'ENOENT' }]);
    expect(bySource['mixed/garbage.txt']).toMatchObject([{ code: 'INPUT_NOT_A_CERTIFICATE', severity: 'error' }]);
    expect(bySource['mixed/key.pem']).toMatchObject([{ code: 'INPUT_PRIVATE_KEY', severity: 'error' }]);
    expect(bySource['mixed/key.der']).toMatchObject([{ code: 'INPUT_PRIVATE_KEY', severity: 'error' }]);
    expect(report.summary).toMatchObject({ certificates: 2, errors: 4 });
    // The key's content is never echoed.
    const keyBase64 = b64(pkcs8Der(root.key.privateKey));
    expect(r.stdout).not.toContain(keyBase64.slice(20, 60));
  });

  it('reports each bad file and every good one in text too', async () => {
    const r = await lint(args);
    expect(r.code).toBe(1);
    for (const source of args) expect(r.stdout).toContain(source);
    expect(r.stdout).toContain('INPUT_FILE_UNREADABLE');
    expect(r.stdout).toContain('INPUT_PRIVATE_KEY');
    expect(r.stdout).toContain('INPUT_NOT_A_CERTIFICATE');
    expect(r.stdout).toContain('CN=Lint Root');
    expect(r.stdout).toContain('CN=Lint Intermediate');
  });

  it('exits 2 when nothing at all is readable (missing paths, a glob that matches nothing)', async () => {
    const [missing, nomatch] = await Promise.all([lint(['gone-1.pem', 'gone-2.pem']), lint(['nomatch/*.pem'])]);
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).toContain('gone-1.pem');
    expect(missing.stdout + missing.stderr).toContain('gone-2.pem');
    expect(nomatch.code).toBe(2);
  });
});

describe.concurrent('usage errors exit 2', () => {
  const cases: readonly (readonly [string, readonly string[], string])[] = [
    ['an unknown option', ['lint', '--bogus', 'certs/root.pem'], '--bogus'],
    ['a bad --format', ['lint', '--format', 'xml', 'certs/root.pem'], 'xml'],
    ['a bad --now', ['lint', '--now', 'yesterday', 'certs/root.pem'], 'yesterday'],
    ['a bad --param', ['lint', '--param', 'tls_client_auth_bogus', 'certs/root.pem'], 'tls_client_auth_bogus'],
    ['a bad --profile', ['lint', '--profile', 'nonsense', 'certs/root.pem'], 'nonsense'],
    ['a bad --expiry-warning', ['lint', '--expiry-warning', 'soon', 'certs/root.pem'], 'soon'],
    ['no paths', ['lint'], 'path'],
    ['an unknown command', ['frobnicate', 'certs/root.pem'], 'frobnicate'],
  ];
  let results: RunResult[];
  beforeAll(async () => {
    results = await Promise.all(cases.map(([, args]) => runCli(args, { cwd: dir.path })));
  });
  it.each(cases.map((c, i) => [c[0], i] as const))('%s', (_name, i) => {
    const r = results[i]!;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(cases[i]![2]);
  });
});

describe.concurrent('options', () => {
  it('--now judges validity at that time and is echoed in the JSON', async () => {
    const [past, future] = await Promise.all([
      lint(['--format', 'json', '--now', '2000-01-01T00:00:00Z', 'certs/root.pem']),
      lint(['--format', 'json', '--now', '2100-06-01T12:00:00Z', 'certs/root.pem']),
    ]);
    expect(past.code).toBe(1);
    const p = parseJson<JsonReport>(past);
    expect(p.now).toBe('2000-01-01T00:00:00.000Z');
    expect(codes(p.certificates[0]!.findings)).toContain('CERT_NOT_YET_VALID');
    expect(future.code).toBe(1);
    const f = parseJson<JsonReport>(future);
    expect(f.now).toBe('2100-06-01T12:00:00.000Z');
    expect(codes(f.certificates[0]!.findings)).toContain('CERT_EXPIRED');
  });

  it('--expiry-warning sets the window, --strict makes warnings fail', async () => {
    const [byDefault, strict, narrow] = await Promise.all([
      lint(['--format', 'json', 'soon.pem']),
      lint(['--strict', 'soon.pem']),
      lint(['--format', 'json', '--strict', '--expiry-warning', '5', 'soon.pem']),
    ]);
    // Expires in 10 days: a warning under the default 30 days, exit 0 unless --strict.
    expect(byDefault.code).toBe(0);
    const d = parseJson<JsonReport>(byDefault);
    expect(d.certificates[0]!.findings).toMatchObject([{ code: 'CERT_EXPIRING_SOON', severity: 'warning' }]);
    expect(d.summary).toMatchObject({ errors: 0, warnings: 1 });
    expect(strict.code).toBe(1);
    expect(narrow.code).toBe(0);
    expect(codes(parseJson<JsonReport>(narrow).certificates[0]!.findings)).not.toContain('CERT_EXPIRING_SOON');
  });

  it('--param checks non-CA certificates as devices that must carry the field; without it they are checked as CAs', async () => {
    const [withParam, ok, without] = await Promise.all([
      lint(['--format', 'json', '--param', 'tls_client_auth_san_dns', 'device.pem', 'device-uri-only.pem', 'certs/root.pem']),
      lint(['--format', 'json', '--param', 'tls_client_auth_san_uri', 'device.pem', 'device-uri-only.pem']),
      lint(['--format', 'json', 'device.pem']),
    ]);
    expect(withParam.code).toBe(1);
    const w = parseJson<JsonReport>(withParam);
    expect(certOf(w, 'device.pem')[0]).toMatchObject({ role: 'device' });
    expect(certOf(w, 'device.pem')[0]!.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(certOf(w, 'device-uri-only.pem')[0]).toMatchObject({ role: 'device' });
    expect(certOf(w, 'device-uri-only.pem')[0]!.findings).toMatchObject([{ code: 'DEVICE_IDENTITY_MISSING', severity: 'error' }]);
    expect(certOf(w, 'certs/root.pem')[0]).toMatchObject({ role: 'ca', findings: [] });
    expect(ok.code).toBe(0);
    expect(without.code).toBe(1);
    const n = parseJson<JsonReport>(without);
    expect(n.certificates[0]!.role).toBe('ca');
    expect(codes(n.certificates[0]!.findings)).toContain('CA_BASIC_CONSTRAINTS_MISSING');
  });

  it('--output writes the report to a file and nothing to stdout', async () => {
    const r = await lint(['--format', 'json', '--output', 'report.json', 'chain.pem']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(`${dir.path}/report.json`, 'utf8')) as JsonReport;
    expect(report.version).toBe(1);
    expect(report.certificates.map((c) => c.source)).toEqual(['chain.pem', 'chain.pem']);
  });

  it('--quiet shows errors only, and keeps the summary', async () => {
    const quiet = await lint(['--quiet', 'soon.pem', 'expired.pem', 'chain.pem']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toContain('expired.pem');
    expect(quiet.stdout).toContain('CERT_EXPIRED');
    expect(quiet.stdout).not.toContain('CERT_EXPIRING_SOON');
    expect(quiet.stdout).not.toMatch(/^\s+ok$/m);
    expect(quiet.stdout).toMatch(/4 certificates in 3 inputs: 1 error, 1 warning/);
  });
});

describe.concurrent('text output with pipes', () => {
  it('groups by file, ends with a summary line, has no ANSI colour, and writes nothing to stderr', async () => {
    const r = await lint(['chain.pem', 'expired.pem', 'nonca.pem']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/4 certificates in 3 inputs: \d+ errors?, \d+ warnings?, \d+ notices?$/);
    // Each file is a header line at column 0, followed by its (indented) certificates and findings.
    const headers = lines.filter((l) => l !== '' && !l.startsWith(' ')).slice(0, -1);
    expect(headers).toEqual(['chain.pem', 'expired.pem', 'nonca.pem']);
    const section = (name: string): string => {
      const start = lines.indexOf(name);
      const end = lines.findIndex((l, i) => i > start && l !== '' && !l.startsWith(' '));
      return lines.slice(start, end).join('\n');
    };
    expect(section('chain.pem')).toContain('CN=Lint Root');
    expect(section('chain.pem')).toContain('CN=Lint Intermediate');
    expect(section('chain.pem')).not.toContain('CERT_EXPIRED');
    expect(section('chain.pem')).toMatch(/^\s+ok$/m); // what --quiet leaves out
    expect(section('expired.pem')).toContain('CERT_EXPIRED');
    expect(section('nonca.pem')).toContain('CA_BASIC_CONSTRAINTS_MISSING');
    // Labels say what a certificate is: one without cA TRUE is never called an intermediate CA.
    expect(section('nonca.pem')).toMatch(/CN=Lint Not A CA\S* \(not a CA, line 1, sha256 /);
    expect(section('chain.pem')).toMatch(/CN=Lint Intermediate\S* \(intermediate CA, line \d+, sha256 /);
    expect(section('chain.pem')).toMatch(/CN=Lint Root\S* \(root CA, line 1, sha256 /);
    expect(section('nonca.pem')).not.toContain('CERT_EXPIRED');
  });

  it('prints no progress on stderr when stderr is not a TTY, even for 30 files', async () => {
    const r = await lint(['many']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/30 certificates in 30 inputs: 0 errors/);
  });

  it('counts in the singular where there is one (text and GitHub summaries)', async () => {
    const [text, github] = await Promise.all([lint(['nonca.pem']), lint(['--format', 'github', 'nonca.pem'])]);
    expect(text.stdout).toMatch(/1 certificate in 1 input: 1 error, \d+ warnings?, \d+ notices?\n$/);
    expect(github.stdout).toMatch(/^graph-mtls: 1 certificate, 1 error, \d+ warnings?, \d+ notices?$/m);
  });
});
