// `graph-mtls verify` in fleet mode (packages/node/src/commands/verify.ts through the pipeline):
// a signed fleet (test/fixtures/fleet.ts) in a bundle, in a directory of files and on stdin,
// verified in this thread and on worker threads with the same report byte for byte, problems
// in place and never lost, --stats, the progress line on a TTY, and --expect-file.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, makeDeviceCert, makeRootCa, pkcs8Der, toPem } from '@graph-mtls/test/fixtures/certificates.ts';
import { makeFleetTemplates, writeFleetBundle } from '@graph-mtls/test/fixtures/fleet.ts';
import { parseCertificate, scanCertificates } from '@graph-mtls/core';
import { main } from '../src/main.ts';
import { Sink, TempDir, b64, emptyStdin, parseJson, runCli, type RunResult } from './cli-harness.ts';

const NOW = '2026-12-01T00:00:00Z';
/** More than a --jobs run needs for worker threads (256 KiB, 64 files), from the first batch. */
const FLEET = 600;
const FILES = 80;

interface VerifyJson {
  devices: { source: string; index: number; line: number | null; outcome: string; identity: { values: string[]; matched: string | null; listed: boolean } }[];
  problems: { code: string; message: string; source: string }[];
  summary: { devices: number; trusted: number; refused: number; problems: number; unlisted: number; byIssuer: { issuer: string; trusted: number }[] };
}

const dir = new TempDir();
let fleetPem: string;
let strangerPem: string;

beforeAll(async () => {
  const templates = await makeFleetTemplates(new Date(NOW));
  await writeFleetBundle(join(dir.path, 'fleet.pem'), FLEET, templates, { signed: true, cas: false });
  fleetPem = readFileSync(join(dir.path, 'fleet.pem'), 'latin1');
  const cas = templates.cas.map((c) => parseCertificate(c.der));
  dir.write('configuration.json', JSON.stringify({
    tlsClientAuthParameter: 'tls_client_auth_san_uri',
    certificateAuthorities: cas.map((c, i) => ({ certificate: b64(c.der), isRootAuthority: i === 0 })),
  }));
  const stranger = await makeRootCa({ key: await getKey('p256', 90), subject: 'CN=Stranger Root' });
  strangerPem = (await makeDeviceCert(stranger, { key: await getKey('p256', 91), notBefore: new Date(Date.UTC(2026, 0, 1)), notAfter: new Date(Date.UTC(2027, 6, 1)) })).pem;
  // The bundle with a refused device, a private key given by mistake and a broken block among the fleet.
  const blocks = fleetPem.split(/(?<=-----END CERTIFICATE-----\n)/);
  const key = toPem(pkcs8Der((await getKey('p256', 92)).privateKey), 'PRIVATE KEY');
  dir.write('mixed.pem', [...blocks.slice(0, 300), strangerPem, key, '-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n', ...blocks.slice(300)].join(''));
  for (let i = 0; i < FILES; i++) dir.write(`devices/${String(i).padStart(3, '0')}.pem`, blocks[i]!);
  dir.write('devices/zz-stranger.pem', strangerPem);
});
afterAll(() => dir.remove());

const verify = (args: readonly string[], stdin?: string): Promise<RunResult> => runCli(['verify', '--config', 'configuration.json', '--now', NOW, ...args], { cwd: dir.path, ...(stdin === undefined ? {} : { stdin }) });

describe.concurrent('graph-mtls verify, fleet mode', () => {
  it('a bundle: the same JSON in this thread and on worker threads, every device, problems in place, nothing echoed', async () => {
    const [one, two] = await Promise.all([verify(['--format', 'json', '--jobs', '1', 'mixed.pem']), verify(['--format', 'json', '--jobs', '2', '--stats', 'mixed.pem'])]);
    expect([one.code, two.code]).toEqual([1, 1]);
    expect(two.stdout).toBe(one.stdout);
    const report = parseJson<VerifyJson>(one);
    expect(report.summary).toMatchObject({ devices: FLEET + 1, trusted: FLEET, refused: 1, problems: 2, unlisted: 0 });
    expect(report.summary.byIssuer.map((i) => [i.issuer, i.trusted])).toEqual([
      ['C=US,O=graph-mtls bench,CN=Fleet Issuing CA P-256', FLEET / 2],
      ['C=US,O=graph-mtls bench,CN=Fleet Issuing CA RSA', FLEET / 2],
      ['', 0],
    ]);
    // Devices in input order with their place: the stranger is the 301st block, the two problems the next two.
    expect(report.devices.map((d) => d.index)).toEqual([...Array(FLEET + 3).keys()].filter((i) => i !== 301 && i !== 302));
    expect(report.devices[300]).toMatchObject({ outcome: 'refused', index: 300 });
    expect(report.problems.map((p) => [p.code, p.source])).toEqual([['ERR_PRIVATE_KEY', 'mixed.pem'], ['ERR_BASE64_INVALID', 'mixed.pem']]);
    expect(report.problems[0]!.message).toMatch(/^mixed\.pem, line \d+: /);
    expect(one.stdout + one.stderr).not.toContain('PRIVATE KEY-----\nMI');
    // --stats on stderr: the run's measures, with the worker threads it used.
    expect(two.stderr).toMatch(/graph-mtls stats:\n {2}files +1\n {2}devices +601\n[\s\S]* {2}devices\/s +\d+\n[\s\S]* {2}jobs +2 \(worker threads\)\n/);
  });

  it('a directory of files and stdin: text and JSON the same whatever the jobs', async () => {
    const [one, two] = await Promise.all([verify(['--jobs', '1', 'devices']), verify(['--jobs', '2', 'devices'])]);
    expect([one.code, two.code]).toEqual([1, 1]);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout).toContain('devices/000.pem#1: trusted  C=US,O=graph-mtls bench,CN=Fleet Issuing CA P-256 <- C=US,O=graph-mtls bench,CN=Fleet Root CA\n');
    expect(one.stdout).toMatch(/\n81 devices: 80 trusted, 0 not verified, 1 refused\n$/);
    const [piped, file] = await Promise.all([verify(['--format', 'json', '--jobs', '2', '-'], fleetPem), verify(['--format', 'json', '--jobs', '1', 'fleet.pem'])]);
    expect(piped.code).toBe(0);
    expect(piped.stdout.replaceAll('"source": "stdin"', '"source": "fleet.pem"')).toBe(file.stdout);
  });

  it('--expect-file: each device against the value it is registered under, by path or fingerprint; the unlisted are counted', async () => {
    const entries = scanCertificates(fleetPem).certificates;
    const sha256 = (i: number): string => entries[i]!.certificate.sha256.toUpperCase().replace(/(..)(?!$)/g, '$1:');
    const sha1 = (i: number): string => createHash('sha1').update(entries[i]!.certificate.der).digest('hex');
    const uri = (i: number): string => entries[i]!.certificate.subjectAltName!.names.find((n) => n.type === 'uri')!.value as string;
    dir.write('registered.csv', [
      'device,expected',
      `"devices/000.pem",${uri(0)}`,
      `${sha256(1)},${uri(1)}`,
      `${sha1(2)},"IntuneDeviceId://someone-else"`,
      '',
    ].join('\r\n'));
    const r = await verify(['--format', 'json', '--expect-file', 'registered.csv', 'devices/000.pem', 'devices/001.pem', 'devices/002.pem', 'devices/003.pem']);
    expect(r.code).toBe(1);
    const report = parseJson<VerifyJson>(r);
    expect(report.devices.map((d) => [d.outcome, d.identity.matched, d.identity.listed])).toEqual([
      ['trusted', uri(0), true],
      ['trusted', uri(1), true],
      ['refused', null, true],
      ['trusted', null, false],
    ]);
    expect(report.summary.unlisted).toBe(1);
    const text = await verify(['--expect-file', 'registered.csv', 'devices/003.pem']);
    expect(text.stdout).toContain('  (not in --expect-file)\n');
    expect(text.stdout).toMatch(/; 1 device not in --expect-file\n$/);
  });

  it('--expect-file that is not two fields a row, or has an open quote, is a usage error naming the file and the line', async () => {
    dir.write('bad.csv', 'device,expected\ndevices/000.pem,a,b\n');
    dir.write('open.csv', 'devices/000.pem,"IntuneDeviceId://x\n');
    const [bad, open, both] = await Promise.all([
      verify(['--expect-file', 'bad.csv', 'devices/000.pem']),
      verify(['--expect-file', 'open.csv', 'devices/000.pem']),
      verify(['--expect-file', 'bad.csv', '--expect', 'x', 'devices/000.pem']),
    ]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--expect-file bad.csv, line 2: expected two fields (device,expected), received 3')]);
    expect([open.code, open.stderr]).toEqual([2, expect.stringContaining('--expect-file open.csv, line 1: a quoted field is not closed')]);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('expected --expect or --expect-file, not both')]);
  });

  it('shows progress on a TTY (files done, devices, devices/s) and clears it; the report is unchanged', async () => {
    const stdout = new Sink(false);
    const stderr = new Sink(true);
    const code = await main(['verify', '--config', 'configuration.json', '--now', NOW, '--format', 'json', '--jobs', '2', 'devices'], { stdout, stderr, stdin: emptyStdin(), env: {}, cwd: dir.path });
    expect(code).toBe(1);
    expect(stderr.text).toContain(`${FILES + 1}/${FILES + 1} files, ${FILES + 1} devices`);
    expect(stderr.text).toMatch(/\d+ devices\/s/);
    expect(stderr.text.endsWith('\r\x1b[K')).toBe(true);
    const piped = await verify(['--format', 'json', '--jobs', '2', 'devices']);
    expect(stdout.text).toBe(piped.stdout);
  });
});
