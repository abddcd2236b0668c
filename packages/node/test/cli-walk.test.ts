// Nothing is skipped in silence (issue 12, items 7 to 10), through the built CLI:
// - a symbolic link to a file in a folder is read (a link to an expired CA fails `lint dir/`
//   as `lint dir/*.pem` does), a link to a folder is walked, a link loop ends, and a broken
//   link or a named pipe with a certificate's extension is reported, never passed over;
// - an unreadable subfolder is reported and the files beside it are still checked;
// - a file whose name is not valid UTF-8 is read, and its name printed escaped;
// - bidirectional overrides and zero-width characters in a subject are escaped in the text,
//   github and SARIF outputs (and kept as they are in JSON).

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, makeRootCa } from '@graph-mtls/test/fixtures/certificates.ts';
import { TempDir, parseJson, runCli } from './cli-harness.ts';

const dir = new TempDir();
const NOW = '2026-06-01T00:00:00Z';
const RLO = '\u202e';
const ZWSP = '\u200b';

beforeAll(async () => {
  const [k1, k2, k3] = await Promise.all([90, 91, 92].map((n) => getKey('p256', n)));
  const good = await makeRootCa({ key: k1!, subject: 'CN=Walk Good Root', notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') });
  const expired = await makeRootCa({ key: k2!, subject: 'CN=Walk Expired Root', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
  const sneaky = await makeRootCa({ key: k3!, subject: `CN=Contoso ${RLO}gpj.exe${ZWSP} Root`, notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') });

  // links/: a good root, and a link to an expired CA kept elsewhere.
  dir.write('elsewhere/expired.pem', expired.pem);
  dir.write('links/good.pem', good.pem);
  symlinkSync(join(dir.path, 'elsewhere/expired.pem'), join(dir.path, 'links/expired-link.pem'));
  // A link to a folder, and a loop back to the top.
  dir.write('tree/real/inner.pem', good.pem);
  symlinkSync(join(dir.path, 'tree/real'), join(dir.path, 'tree/linked'));
  symlinkSync(join(dir.path, 'tree'), join(dir.path, 'tree/real/loop'));
  // A broken link and a named pipe, both with a certificate's extension.
  dir.write('odd/good.pem', good.pem);
  symlinkSync(join(dir.path, 'odd/nothing-here.pem'), join(dir.path, 'odd/broken.pem'));
  execFileSync('mkfifo', [join(dir.path, 'odd/pipe.pem')]);
  // An unreadable subfolder beside readable files.
  dir.write('perm/a.pem', good.pem);
  dir.write('perm/locked/hidden.pem', good.pem);
  dir.write('perm/z.pem', expired.pem);
  // A name that is not UTF-8 (byte 0xFF).
  mkdirSync(join(dir.path, 'bytes'));
  writeFileSync(Buffer.concat([Buffer.from(join(dir.path, 'bytes/caf')), Buffer.from([0xff]), Buffer.from('.pem')]), expired.pem);
  dir.write('sneaky/sneaky.pem', sneaky.pem);
  dir.write(`sneaky/${RLO}fdp.pem`, sneaky.pem);
  dir.write('sneaky/payload.json', JSON.stringify({ displayName: 'x', tlsClientAuthParameter: 'tls_client_auth_subject_dn', certificateAuthorities: [], [`ev${RLO}il`]: 1 }));
});
afterAll(() => {
  chmodSync(join(dir.path, 'perm/locked'), 0o755);
  dir.remove();
});

function lint(args: readonly string[], user?: { uid: number; gid: number }) {
  return runCli(['lint', '--now', NOW, ...args], { cwd: dir.path, ...(user === undefined ? {} : { user }) });
}

describe('symbolic links', () => {
  it('a link to an expired CA fails `lint dir/` as `lint dir/*.pem` does', async () => {
    const walked = await lint(['links/']);
    const globbed = await lint(['links/*.pem']);
    expect(globbed.code).toBe(1);
    expect(walked.code).toBe(1);
    expect(walked.stdout).toContain('links/expired-link.pem');
    expect(walked.stdout).toContain('CN=Walk Expired Root');
  });

  it('a link to a folder is walked, and a loop of links ends: each folder is walked once, by its first name', async () => {
    const r = await lint(['--format', 'json', 'tree/']);
    expect(r.code, r.stderr).toBe(0);
    const sources = parseJson<{ certificates: { source: string }[] }>(r).certificates.map((c) => c.source);
    expect(sources).toEqual(['tree/linked/inner.pem']);
  });

  it('a broken link and a named pipe with a certificate extension are reported, and the run fails', async () => {
    const r = await lint(['odd/']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('odd/broken.pem: a symbolic link to nothing');
    expect(r.stdout).toContain('odd/pipe.pem: expected a regular file, received a named pipe; not read');
    expect(r.stdout).toContain('CN=Walk Good Root');
  });
});

describe('an unreadable subfolder', () => {
  it('is reported as a finding, and the readable files beside it are checked', async () => {
    chmodSync(join(dir.path, 'perm/locked'), 0o000);
    // root reads any folder: the CLI then runs as nobody, for whom the lock holds.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir.path, 0o755);
    const r = await lint(['--format', 'json', 'perm'], asRoot ? { uid: 65534, gid: 65534 } : undefined);
    chmodSync(join(dir.path, 'perm/locked'), 0o755);
    expect(r.code, r.stderr).toBe(1);
    const report = parseJson<{ certificates: { source: string; subject: string }[]; inputs: { source: string; findings: { message: string }[] }[] }>(r);
    expect(report.certificates.map((c) => c.source)).toEqual(['perm/a.pem', 'perm/z.pem']);
    const locked = report.inputs.find((i) => i.source === 'perm/locked');
    expect(locked?.findings[0]?.message).toContain('permission denied');
  });
});

describe('a file name that is not UTF-8', () => {
  it('is read, and its name printed with the byte escaped', async () => {
    const r = await lint(['bytes/']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bytes/caf\\xff.pem');
    expect(r.stdout).toContain('CN=Walk Expired Root');
    expect(r.stdout).not.toContain('no such file');
  });

  it('given on the command line (where Node has already replaced the byte by U+FFFD), the error says to give its folder', async () => {
    const r = await lint(['bytes/caf\ufffd.pem']);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('the name holds bytes that are not UTF-8, which do not survive the command line: give its folder instead');
  });
});

describe('invisible and bidirectional characters from certificates, payloads and file names', () => {
  it('are escaped in text, github and SARIF output, and kept as they are in JSON', async () => {
    for (const format of ['text', 'github', 'sarif']) {
      const r = await lint(['--format', format, '--expiry-warning', '99999', 'sneaky/']);
      expect(r.stdout, format).not.toContain(RLO);
      expect(r.stdout, format).not.toContain(ZWSP);
      // The subject (text), the file name (text and github annotations), the payload's property name (all three).
      if (format === 'text') expect(r.stdout).toContain('CN=Contoso \\u{202E}gpj.exe\\u{200B} Root');
      if (format !== 'sarif') expect(r.stdout, format).toContain('sneaky/\\u{202E}fdp.pem');
      if (format !== 'sarif') expect(r.stdout, format).toContain("'ev\\u{202E}il' is not a property");
      else {
        const results = parseJson<{ runs: { results: { message: { text: string } }[] }[] }>(r).runs[0]!.results;
        expect(results.map((x) => x.message.text)).toContain("'ev\\u{202E}il' is not a property of microsoft.graph.mutualTlsOauthConfiguration [ev\\u{202E}il]");
        // The 400 body, data in SARIF's properties, is kept but written as a JSON escape.
        expect(r.stdout).toContain("'ev\\u202eil' does not exist");
      }
    }
    const json = await lint(['--format', 'json', 'sneaky/']);
    const report = parseJson<{ certificates: { subject: string; source: string }[] }>(json);
    expect(report.certificates.map((c) => c.subject).join()).toContain(`${RLO}gpj.exe${ZWSP}`);
    expect(report.certificates.map((c) => c.source)).toContain(`sneaky/${RLO}fdp.pem`);
  });
});
