// `graph-mtls lint` at scale, with the built CLI: one bundle of 200,000 certificates and one
// folder of 200,000 files each give a complete JSON report (no array spread into a call, no
// report held as one string); findings about unreadable blocks are bounded by one budget per
// input, with a summary finding; a block without an END line, a binary stream and an --output
// that cannot be written are refused early. Timeouts here are safety nets for a hung run on a
// busy machine, never a measure of speed (the benchmarks in bench/ measure speed).

import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKey, makeDeviceCert, makeIntermediateCa, makeRootCa, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { LintRunTally } from '../src/pipeline/lint-items.ts';
import { runPipeline } from '../src/pipeline/run.ts';
import { createDocument } from '../src/report/format.ts';
import { Output } from '../src/report/output.ts';
import { Sink, TempDir, runCli } from './cli-harness.ts';

const NOW = '2030-01-01T00:00:00Z';
const LONG = 600_000;
const dir = new TempDir();
let root: GeneratedCertificate;
let devices: GeneratedCertificate[];

beforeAll(async () => {
  root = await makeRootCa({ key: await getKey('ed25519', 70), subject: 'CN=Scale Root', notAfter: new Date(Date.UTC(2045, 0, 1)) });
  const inter = await makeIntermediateCa(root, { key: await getKey('ed25519', 71), subject: 'CN=Scale Issuing', notAfter: new Date(Date.UTC(2040, 0, 1)) });
  devices = await Promise.all([72, 73, 74, 75].map(async (slot) => makeDeviceCert(inter, { key: await getKey('ed25519', slot), notAfter: new Date(Date.UTC(2040, 0, 1)) })));
}, LONG);

// 200,000 files take a while to delete on a busy disk.
afterAll(() => dir.remove(), LONG);

/** How often `needle` occurs in the file, read in pieces (the report is too large to hold in a test). */
async function count(path: string, needle: string): Promise<number> {
  let n = 0;
  let carry = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    // An occurrence across two pieces starts in `carry`, which is too short to hold a whole one.
    const text = carry + (chunk as string);
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
    carry = text.slice(-(needle.length - 1));
  }
  return n;
}

function countIn(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
  return n;
}

/** The end of a JSON report: its summary. */
function summaryOf(path: string): Record<string, number> {
  const size = statSync(path).size;
  const buffer = Buffer.alloc(Math.min(size, 400));
  const fd = openSync(path, 'r');
  readSync(fd, buffer, 0, buffer.length, size - buffer.length);
  closeSync(fd);
  const text = buffer.toString('utf8');
  return JSON.parse(text.slice(text.lastIndexOf('"summary": ') + 11, text.lastIndexOf('}'))) as Record<string, number>;
}

describe('200,000 certificates', () => {
  it('in one bundle: a complete JSON report, every certificate in it', async () => {
    const blocks = 200_000;
    const pems = devices.map((d) => d.pem);
    const parts: string[] = [root.pem];
    for (let i = 1; i < blocks; i++) parts.push(pems[i % pems.length]!);
    const path = dir.write('fleet.pem', parts.join(''));
    const out = dir.file('fleet.json');
    const r = await runCli(['lint', '--param', 'tls_client_auth_san_uri', '--format', 'json', '--now', NOW, '--output', out, path], { cwd: dir.path });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(summaryOf(out)).toEqual({ certificates: blocks, errors: 0, warnings: 0, notices: 0 });
    expect(await count(out, '\n    {\n      "source": ')).toBe(blocks);
    const head = readFileSync(out, { encoding: 'utf8' }).slice(0, 200);
    expect(head.startsWith('{\n  "version": 1,\n  "now": "2030-01-01T00:00:00.000Z",\n  "certificates": [\n    {\n')).toBe(true);
  }, LONG);

  it('in 200,000 files of one folder: every file read and reported, the inputs array spooled', async () => {
    const files = 200_000;
    const folder = dir.file('many');
    const good = devices[0]!.pem;
    for (let i = 0; i < files; i++) dir.write(`many/f${String(i).padStart(6, '0')}.pem`, i % 1000 === 0 ? good : `not a certificate! ${i}`);
    const out = dir.file('many.json');
    const r = await runCli(['lint', '--param', 'tls_client_auth_san_uri', '--format', 'json', '--now', NOW, '--output', out, folder], { cwd: dir.path });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(summaryOf(out)).toEqual({ certificates: files / 1000, errors: files - files / 1000, warnings: 0, notices: 0 });
    expect(await count(out, '"code": "INPUT_NOT_A_CERTIFICATE"')).toBe(files - files / 1000);
    expect(await count(out, '"source": "many/f199999.pem"')).toBe(1);
  }, LONG);
});

describe('budgets over one input', () => {
  it('5 MB of bad blocks: 1,000 findings one by one, then one summary; every format', async () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 5_000_000; i++) {
      const block = `-----BEGIN CERTIFICATE-----\nAA${i % 10}!\n-----END CERTIFICATE-----\n`;
      parts.push(block);
      size += block.length;
    }
    const path = dir.write('bad.pem', parts.join(''));
    const json = await runCli(['lint', '--format', 'json', '--now', NOW, path], { cwd: dir.path });
    expect(json.code).toBe(2); // nothing readable
    const report = JSON.parse(json.stdout) as { inputs: { index: number; line: number; findings: { code: string; errorCode: string; message: string }[] }[]; summary: { errors: number } };
    expect(report.inputs).toHaveLength(1001);
    expect(report.summary.errors).toBe(1001);
    const last = report.inputs[1000]!;
    expect(last).toMatchObject({ index: 1000, line: 3001, findings: [{ code: 'INPUT_UNREADABLE', errorCode: 'ERR_LIMIT_EXCEEDED' }] });
    expect(last.findings[0]!.message).toContain(`received ${parts.length}`);
    for (const format of ['text', 'sarif', 'github']) {
      const r = await runCli(['lint', '--format', format, '--now', NOW, path], { cwd: dir.path });
      expect(r.code, format).toBe(2);
      expect(r.stdout, format).toContain('were skipped without a finding each');
      expect(countIn(r.stdout, format === 'text' ? 'INPUT_UNREADABLE' : format === 'sarif' ? '"ruleId": "INPUT_UNREADABLE"' : 'title=INPUT_UNREADABLE'), format).toBe(1001);
    }
  }, LONG);

  it('a BEGIN line whose END never comes, in a 70 MB file: one finding, and the blocks after it are read', async () => {
    const body = `${'QUFB'.repeat(16)}\n`.repeat(1_100_000); // 71.5 MB of base64, past the 64 MiB a block may hold
    const path = dir.write('endless.pem', `-----BEGIN CERTIFICATE-----\n${body}-----BEGIN CERTIFICATE-----\n${root.pem.split('\n').slice(1).join('\n')}`);
    const r = await runCli(['lint', '--format', 'json', '--stats', '--now', NOW, path], { cwd: dir.path });
    expect(r.code).toBe(1); // the unreadable block is an error finding
    const report = JSON.parse(r.stdout) as { certificates: { line: number }[]; inputs: { line: number; findings: { errorCode: string; message: string }[] }[] };
    expect(report.inputs).toMatchObject([{ line: 1, findings: [{ errorCode: 'ERR_LIMIT_EXCEEDED' }] }]);
    expect(report.inputs[0]!.findings[0]!.message).toContain('within 67108864 bytes of its BEGIN line');
    expect(report.certificates).toMatchObject([{ line: 1_100_002 }]);
    // Held at most one block's worth: far less than the file.
    const rss = Number(/peak RSS +([\d.]+) MiB/.exec(r.stderr)![1]);
    expect(rss).toBeLessThan(400);
  }, LONG);

  it('a binary stream on stdin is refused at its first piece; the rest is never read', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(65536, 1));
      },
    });
    const sink = new Sink(false);
    const render = { format: 'json' as const, color: false, quiet: false };
    const out = new Output(sink);
    const doc = createDocument(render, out, { now: new Date(NOW), version: '0.0.0' });
    await doc.begin();
    const tally = new LintRunTally();
    const run = await runPipeline([{ source: 'stdin' }], [], doc, { tally, job: { kind: 'lint', now: Date.parse(NOW), payloadKind: 'auto', render }, jobs: 1, stdin: endless });
    await doc.end(tally.totals, run.inputs);
    await out.flush();
    expect(pulled).toBeLessThan(5);
    expect(JSON.parse(sink.text)).toMatchObject({ inputs: [{ source: 'stdin', findings: [{ errorCode: 'ERR_NOT_A_CERTIFICATE' }] }] });
  });

  it('an --output that cannot be written is a usage error before any input is read', async () => {
    const path = dir.write('one.pem', root.pem);
    const r = await runCli(['lint', '--output', dir.file('no/such/folder/out.json'), path], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--output');
  });
});
