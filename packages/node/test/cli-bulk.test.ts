// End-to-end tests of bulk mode of `graph-mtls lint` (packages/node/src/pipeline/): a directory
// of 2,000 certificate files and a bundle of 20,000 PEM blocks, linted in-process (--jobs 1) and
// on worker threads (--jobs 2), must give byte-identical reports; a large bundle read in pieces
// of any size must report every certificate's index and BEGIN line (and every problem's
// message) exactly as reading it whole does; --stats and --jobs.

import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificate, makeDeviceCert, makeIntermediateCa, makePkcs7, makeRootCa, getKey, pemBundle, pkcs8Der, toPem, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import type { InputFile } from '../src/inputs.ts';
import { main } from '../src/main.ts';
import { LintRunTally } from '../src/pipeline/lint-items.ts';
import { runPipeline, type Tuning } from '../src/pipeline/run.ts';
import { createDocument, type Format } from '../src/report/format.ts';
import { Output } from '../src/report/output.ts';
import { Sink, TempDir, b64, emptyStdin, parseJson, runCli, type RunResult } from './cli-harness.ts';

interface JsonFinding {
  code: string;
  severity: string;
  message: string;
  line: number | null;
  errorCode: string | null;
}
interface JsonReport {
  certificates: { source: string; index: number; line: number | null; sha256: string; findings: JsonFinding[] }[];
  inputs: { source: string; index: number | null; line: number | null; findings: JsonFinding[] }[];
  payloads: { source: string }[];
  summary: { certificates: number; errors: number; warnings: number; notices: number };
}

const NOW = '2030-01-01T00:00:00Z';
const FILES = 2000;
const BLOCKS = 20_000;
const BAD = 10_000; // the bad block of the bundle, by index
const dir = new TempDir();
let root: GeneratedCertificate;
let inter: GeneratedCertificate;
let device: GeneratedCertificate;
let bundleText: string;
/** The 1-based BEGIN line of each block of the bundle. */
let bundleLines: number[];

beforeAll(async () => {
  const [k0, k1, k2, k3, k4] = await Promise.all([0, 1, 2, 3, 4].map((n) => getKey('p256', n)));
  root = await makeRootCa({ key: k0!, subject: 'CN=Bulk Root, O=graph-mtls tests, C=US', notAfter: new Date(Date.UTC(2045, 0, 1)) });
  inter = await makeIntermediateCa(root, { key: k1!, subject: 'CN=Bulk Intermediate, O=graph-mtls tests, C=US', notAfter: new Date(Date.UTC(2040, 0, 1)) });
  device = await makeDeviceCert(inter, { key: k2!, notAfter: new Date(Date.UTC(2040, 0, 1)) });
  const expired = await makeRootCa({ key: k3!, subject: 'CN=Bulk Expired Root', notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2021, 0, 1)) });
  const nonCa = await makeCertificate({ key: k4!, subject: 'CN=Bulk Not A CA', issuer: root, notAfter: new Date(Date.UTC(2040, 0, 1)) });

  // 2,000 files in ten folders: every form, good and bad, a payload among them.
  const payload = JSON.stringify({ displayName: 'Bulk', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: b64(root.der), isRootAuthority: true }] });
  const kinds: readonly [string, string | Uint8Array][] = [
    ['pem', root.pem],
    ['der', inter.der],
    ['pem', device.pem],
    ['pem', expired.pem],
    ['pem', pemBundle([root, inter])],
    ['b64', b64(nonCa.der)],
    ['txt', 'not a certificate'],
    ['json', payload],
  ];
  for (let i = 0; i < FILES; i++) {
    const [ext, content] = kinds[i % kinds.length]!;
    dir.write(`many/d${i % 10}/f${String(i).padStart(4, '0')}.${ext}`, content);
  }

  // 20,000 PEM blocks: a few certificates repeated (a root now and then, whose signature is
  // verified), some text between blocks, and one block with a bad body in the middle.
  const cycle = [inter, nonCa, device, inter];
  const parts: string[] = ['subject=CN=Bulk bundle\n'];
  for (let i = 0; i < BLOCKS; i++) {
    if (i === BAD) parts.push(`-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n${'B'.repeat(30)}!!\n-----END CERTIFICATE-----\n`);
    else parts.push(i % 1000 === 0 ? root.pem : cycle[i % cycle.length]!.pem);
    if (i % 97 === 0) parts.push(`# block ${i + 1}\n\n`);
  }
  bundleText = parts.join('');
  bundleLines = [];
  bundleText.split('\n').forEach((l, n) => {
    if (l.startsWith('-----BEGIN')) bundleLines.push(n + 1);
  });
  dir.write('bundle.pem', bundleText);
});

afterAll(() => dir.remove());

const lint = (args: readonly string[], stdin?: string): Promise<RunResult> => runCli(['lint', '--now', NOW, ...args], { cwd: dir.path, ...(stdin === undefined ? {} : { stdin }) });

describe('a directory of 2,000 files', () => {
  let one: RunResult;
  let two: RunResult;
  beforeAll(async () => {
    one = await lint(['--format', 'json', '--jobs', '1', 'many']);
    two = await lint(['--format', 'json', '--jobs', '2', 'many']);
  });

  it('gives the same JSON in-process and on 2 worker threads, in input order', () => {
    expect(one.code).toBe(1); // the expired roots and the text files are errors
    expect(two.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe('');
    // Certificates, inputs and payloads, each written as it came, lay out as JSON.stringify would.
    expect(one.stdout).toBe(`${JSON.stringify(JSON.parse(one.stdout), null, 2)}\n`);
    const report = parseJson<JsonReport>(two);
    // 8 kinds: root, inter, device, expired, a 2-block bundle, base64, text, payload.
    expect(report.summary.certificates).toBe((FILES / 8) * 7);
    expect(report.payloads).toHaveLength(FILES / 8);
    expect(report.inputs).toHaveLength(FILES / 8);
    const sources = [...new Set(report.certificates.map((c) => c.source))];
    expect(sources).toEqual([...sources].sort());
    expect(sources[0]).toBe('many/d0/f0000.pem');
  });

  it('gives the same text, and the same with --format sarif and github', async () => {
    const [t1, t2, s1, s2, g1, g2] = await Promise.all([
      lint(['--jobs', '1', 'many']),
      lint(['--jobs', '2', 'many']),
      lint(['--format', 'sarif', '--jobs', '1', 'many']),
      lint(['--format', 'sarif', '--jobs', '2', 'many']),
      lint(['--format', 'github', '--jobs', '1', 'many']),
      lint(['--format', 'github', '--jobs', '2', 'many']),
    ]);
    expect(t1.stdout).toMatch(new RegExp(`${(FILES / 8) * 7} certificates in ${FILES} inputs`));
    expect(t2.stdout).toBe(t1.stdout);
    expect(t1.code).toBe(t2.code);
    expect(s2.stdout).toBe(s1.stdout);
    expect(g2.stdout).toBe(g1.stdout);
    expect(t2.stderr + s2.stderr + g2.stderr).toBe('');
  });

  it('--stats prints the stats lines on stderr and nothing more on stdout', async () => {
    const [stats, statsOne] = await Promise.all([lint(['--format', 'json', '--jobs', '2', '--stats', 'many']), lint(['--format', 'json', '--jobs', '1', '--stats', 'many'])]);
    expect(stats.code).toBe(1);
    expect(stats.stdout).toBe(two.stdout);
    const lines = stats.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('graph-mtls stats:');
    expect(lines.slice(1).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['files', 'certificates', 'bytes', 'wall time', 'certs/s', 'MB/s', 'jobs', 'peak RSS']);
    expect(stats.stderr).toMatch(new RegExp(`files +${FILES}\\n`));
    expect(stats.stderr).toMatch(new RegExp(`certificates +${(FILES / 8) * 7}\\n`));
    expect(stats.stderr).toMatch(/bytes +[1-9]\d+\n/);
    expect(stats.stderr).toMatch(/wall time +\d+\.\d{3} s\n/);
    expect(stats.stderr).toMatch(/certs\/s +[1-9]\d*\n/);
    expect(stats.stderr).toMatch(/MB\/s +\d+\.\d\d\n/);
    expect(stats.stderr).toMatch(/jobs +2 \(worker threads\)\n/);
    expect(stats.stderr).toMatch(/peak RSS +[1-9]\d*\.\d MiB\n/);
    expect(statsOne.stdout).toBe(one.stdout);
    expect(statsOne.stderr).toMatch(/jobs +1 \(in-process\)\n/);
    const size = (s: string): number => Number(/bytes +(\d+)/.exec(s)![1]);
    expect(size(statsOne.stderr)).toBe(size(stats.stderr));
  });

  it('shows progress with worker threads when stderr is a TTY (files done of all, certs/s), and the same report', async () => {
    const stdout = new Sink(false);
    const stderr = new Sink(true);
    const code = await main(['lint', '--now', NOW, '--jobs', '2', 'many'], { stdout, stderr, stdin: emptyStdin(), env: {}, cwd: dir.path });
    expect(code).toBe(1);
    expect(stderr.text).toContain(`${FILES}/${FILES} files`);
    expect(stderr.text).toMatch(/\d+ certs\/s/);
    expect(stderr.text.endsWith('\r\x1b[K')).toBe(true);
    const piped = await lint(['--jobs', '2', 'many']);
    expect(stdout.text).toBe(piped.stdout);
  });
});

describe('one bundle of 20,000 PEM blocks, read in chunks', () => {
  let one: RunResult;
  let two: RunResult;
  beforeAll(async () => {
    one = await lint(['--format', 'json', '--jobs', '1', 'bundle.pem']);
    two = await lint(['--format', 'json', '--jobs', '2', 'bundle.pem']);
  });

  it('reports every certificate with its index and BEGIN line, and the bad block where it is, in both modes', () => {
    for (const r of [one, two]) {
      expect(r.code).toBe(1);
      const report = parseJson<JsonReport>(r);
      expect(report.summary.certificates).toBe(BLOCKS - 1);
      const expected = bundleLines.flatMap((line, index) => (index === BAD ? [] : [[index, line]]));
      expect(report.certificates.map((c) => [c.index, c.line])).toEqual(expected);
      for (const c of report.certificates) expect(c.findings.every((f) => f.line === c.line)).toBe(true);
      expect(report.inputs).toHaveLength(1);
      const bad = report.inputs[0]!;
      expect([bad.index, bad.line]).toEqual([BAD, bundleLines[BAD]]);
      expect(bad.findings).toMatchObject([{ errorCode: 'ERR_BASE64_INVALID', line: bundleLines[BAD] }]);
      // The message names the lines of the whole file, not of its chunk.
      expect(bad.findings[0]!.message).toContain(`BEGIN at line ${bundleLines[BAD]}`);
      expect(bad.findings[0]!.message).toContain(`on line ${bundleLines[BAD]! + 2}`);
    }
    expect(two.stdout).toBe(one.stdout);
  });

  it('is byte for byte what reading the whole text in one piece gives', async () => {
    const whole = await pipelineOutput([{ source: 'bundle.pem', path: dir.file('bundle.pem') }], 'json', { streamAbove: Infinity });
    expect(one.stdout).toBe(whole);
  });

  it('gives the same text, stats and a progress line on a TTY', async () => {
    const [t1, t2] = await Promise.all([lint(['--jobs', '1', 'bundle.pem']), lint(['--jobs', '2', '--stats', 'bundle.pem'])]);
    expect(t2.stdout).toBe(t1.stdout);
    expect(t1.stdout).toMatch(new RegExp(`${BLOCKS - 1} certificates in 1 input: \\d+ errors`));
    expect(t2.stderr).toMatch(/files +1\n/);
    expect(t2.stderr).toMatch(new RegExp(`certificates +${BLOCKS - 1}\\n`));
    expect(t2.stderr).toMatch(new RegExp(`bytes +${Buffer.byteLength(bundleText)}\\n`));
    expect(t2.stderr).toMatch(/jobs +2 \(worker threads\)\n/);
    const stdout = new Sink(false);
    const stderr = new Sink(true);
    await main(['lint', '--now', NOW, '--jobs', '2', 'bundle.pem'], { stdout, stderr, stdin: emptyStdin(), env: {}, cwd: dir.path });
    expect(stderr.text).toContain('0/1 files');
    expect(stderr.text).toContain('1/1 files');
    expect(stdout.text).toBe(t1.stdout);
  });

  it('streams stdin the same way', async () => {
    const r = await lint(['--format', 'json', '--jobs', '2', '-'], bundleText);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(one.stdout.replaceAll('"source": "bundle.pem"', '"source": "stdin"'));
  });
});

describe('reading in pieces of any size gives what reading whole gives', () => {
  // Every kind of PEM oddity next to a cut: text between blocks, CRLF, a byte order mark,
  // stray and mismatched END lines, an unterminated block, RFC 1421 headers, a private key,
  // a CSR label, a malformed BEGIN line, PKCS#7 (one block, several indices), indentation.
  const odd = (): string =>
    [
      '\uFEFFsubject=CN=preamble\n',
      root.pem,
      'text between blocks\r\n',
      toPem(inter.der, 'CERTIFICATE', { eol: '\r\n' }),
      '-----END CERTIFICATE-----\n',
      `-----BEGIN CERTIFICATE-----\nMIIB${'A'.repeat(60)}\n!!!!\n-----END CERTIFICATE-----\n`,
      `-----BEGIN CERTIFICATE-----\n${b64(root.der).slice(0, 64)}\n`,
      device.pem,
      `-----BEGIN CERTIFICATE-----\n${b64(root.der).slice(0, 64)}\n-----END X509 CRL-----\n`,
      '-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END CERTIFICATE-----\n',
      toPem(pkcs8Der(root.key.privateKey), 'PRIVATE KEY'),
      toPem(root.der, 'CERTIFICATE REQUEST'),
      makePkcs7([root.der, inter.der, device.der]).pem,
      '-----BEGIN malformed\n',
      root.pem.split('\n').map((l) => `  ${l}\t`).join('\n'),
      '\n\n',
      inter.pem,
      `-----BEGIN CERTIFICATE-----\n${b64(inter.der).slice(0, 40)}`,
    ].join('');

  it.each([[1], [2], [200], [100_000]])('pieces of %i bytes: file and stdin, JSON and text', async (readBytes) => {
    const text = odd();
    const bytes = new Uint8Array(Buffer.from(text));
    const path = dir.write('odd.pem', bytes);
    for (const format of ['json', 'text'] as const) {
      const whole = await pipelineOutput([{ source: 'odd.pem', path }], format, { streamAbove: Infinity });
      expect(whole).toContain(format === 'json' ? 'ERR_BASE64_INVALID' : 'INPUT_UNREADABLE');
      expect(whole).toContain(format === 'json' ? 'ERR_PRIVATE_KEY' : 'INPUT_PRIVATE_KEY');
      expect(await pipelineOutput([{ source: 'odd.pem', path }], format, { streamAbove: 0, readBytes })).toBe(whole);
      expect(await pipelineOutput([{ source: 'odd.pem' }], format, { streamAbove: 0, readBytes }, Readable.from(pieces(bytes, readBytes)))).toBe(whole);
    }
  });

  it('JSON, DER, binary and text without a block read the same streamed and whole', async () => {
    const cases: [string, Uint8Array][] = [
      ['noblock.pem', new Uint8Array(Buffer.from('text -----BEGIN CERTIFICATE----- inside a line\n-----END CERTIFICATE-----\nmore\n'))],
      ['payload.json', new Uint8Array(Buffer.from(JSON.stringify({ displayName: 'x' })))],
      ['root.der', root.der],
      ['binary.pem', new Uint8Array([1, 2, 3, ...Buffer.from(root.pem)])],
    ];
    for (const [source, bytes] of cases) {
      const path = dir.write(source, bytes);
      const whole = await pipelineOutput([{ source, path }], 'json', { streamAbove: Infinity });
      expect(await pipelineOutput([{ source, path }], 'json', { streamAbove: 0, readBytes: 1 }), source).toBe(whole);
    }
  });

  it('a file that cannot be read is one INPUT_FILE_UNREADABLE finding', async () => {
    for (const streamAbove of [0, Infinity]) {
      const report = JSON.parse(await pipelineOutput([{ source: 'gone.pem', path: `${dir.path}/gone.pem` }], 'json', { streamAbove })) as JsonReport;
      expect(report.inputs).toMatchObject([{ source: 'gone.pem', findings: [{ code: 'INPUT_FILE_UNREADABLE', errorCode: 'ENOENT' }] }]);
    }
  });
});

/** The bytes in pieces of `size`. */
function pieces(bytes: Uint8Array, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(Buffer.from(bytes.subarray(i, i + size)));
  return out;
}

/** The report runPipeline writes for `files` in `format` with the given tuning, in this thread. */
async function pipelineOutput(files: readonly InputFile[], format: Format, tuning: Partial<Tuning>, stdin: NodeJS.ReadableStream = emptyStdin()): Promise<string> {
  const sink = new Sink(false);
  const out = new Output(sink);
  const render = { format, color: false, quiet: false };
  const doc = createDocument(render, out, { now: new Date(NOW), version: '0.0.0' });
  await doc.begin();
  const tally = new LintRunTally();
  const run = await runPipeline(files, [], doc, { tally, job: { kind: 'lint', now: Date.parse(NOW), payloadKind: 'auto', render }, jobs: 1, stdin, tuning });
  await doc.end(tally.totals, run.inputs);
  await out.flush();
  await doc.close();
  return sink.text;
}

describe.concurrent('--jobs', () => {
  it.each([['0'], ['x'], ['1.5'], ['']])("--jobs '%s' is a usage error (exit 2)", async (value) => {
    const r = await lint(['--jobs', value, 'many/d0/f0000.pem']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--jobs');
  });

  it('a few files lint in-process whatever --jobs says; more than 64 go to that many worker threads', async () => {
    const few = ['many/d0/f0000.pem', 'many/d1/f0001.der', 'many/d2/f0002.pem'];
    const [a, b, c, d] = await Promise.all([
      lint(['--format', 'json', '--stats', '--jobs', '3', ...few]),
      lint(['--format', 'json', '--jobs', '1', ...few]),
      lint(['--format', 'json', '--stats', '--jobs', '3', 'many/d1']),
      lint(['--format', 'json', '--jobs', '1', 'many/d1']),
    ]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toMatch(/jobs +1 \(in-process\)\n/);
    expect(c.stdout).toBe(d.stdout);
    expect(c.stderr).toMatch(/jobs +3 \(worker threads\)\n/);
  });
});
