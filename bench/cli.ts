// What a user runs, timed end to end (process start included, JSON written to a file): the
// graph-mtls CLI against the Node script a user would write instead (node:crypto's
// X509Certificate reading the same fields and writing them as JSON), with the two passes
// interleaved so both see the same machine; then bulk runs of a million certificates and of
// 50 MB of bad PEM blocks in every output format, with the CLI's own --stats (certs/s, peak
// RSS of the process, worker threads included).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFleetTemplates, writeFleetBundle } from '../test/fixtures/fleet.ts';

const NOW = '2026-12-01T00:00:00Z';

/** The script a user would write instead: every PEM block through X509Certificate, the fields as JSON. */
const X509_SCRIPT = `import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
const text = readFileSync(process.argv[2], 'latin1');
const certificates = [];
for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)) {
  const x = new X509Certificate(m[0]);
  certificates.push({ subject: x.subject, issuer: x.issuer, serialNumber: x.serialNumber, notBefore: x.validFrom, notAfter: x.validTo,
    isCA: x.ca, keyUsage: x.keyUsage ?? null, san: x.subjectAltName ?? null, sha256: x.fingerprint256 });
}
writeFileSync(process.argv[3], JSON.stringify({ certificates }, null, 2));
`;

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface EndToEnd {
  readonly label: string;
  readonly certificates: number;
  readonly bytes: number;
  readonly command: string;
  readonly ours: Spread;
  readonly script: Spread;
  /** script / ours, of the medians and of each interleaved pair. */
  readonly ratio: Spread;
}

export interface BulkRun {
  readonly label: string;
  readonly format: string;
  readonly certificates: number;
  readonly seconds: number;
  readonly certsPerSecond: number;
  readonly peakRssMiB: number;
  readonly outputBytes: number;
  readonly jobs: string;
}

export interface CliBenchResult {
  readonly endToEnd: readonly EndToEnd[];
  readonly bulk: readonly BulkRun[];
}

export interface CliBenchOptions {
  readonly quick: boolean;
  /** The mixed corpus bundle of the in-process rows. */
  readonly corpusPath: string;
  readonly corpusCount: number;
  /** The built CLI, packages/node/dist/cli.js. */
  readonly cli: string;
  readonly log: (line: string) => void;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Wall seconds of one command, and what it printed on stderr; exit 2 only where nothing is readable. */
function timed(args: readonly string[], allowNothingReadable = false): { seconds: number; stderr: string } {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - start) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1 && !(allowNothingReadable && r.status === 2)) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(0, 2000)}`);
  return { seconds, stderr: r.stderr };
}

export async function runCliBench(options: CliBenchOptions): Promise<CliBenchResult> {
  const { log, cli: CLI } = options;
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx -y pnpm@10 build' first (pnpm bench does)`);
  const work = mkdtempSync(join(tmpdir(), 'graph-mtls-bench-'));
  try {
    const script = join(work, 'x509-fields.mjs');
    writeFileSync(script, X509_SCRIPT);
    const templates = await makeFleetTemplates(new Date(NOW));
    const rounds = options.quick ? 1 : 5;

    // --- 10,000 certificates, end to end, interleaved --------------------------------------
    const fleetCount = options.quick ? 500 : 10_000;
    const fleet = join(work, 'fleet-10k.pem');
    await writeFleetBundle(fleet, fleetCount - 3, templates);
    const cases = [
      { label: `mixed corpus, ${options.corpusCount.toLocaleString('en-US')} certificates`, path: options.corpusPath, certificates: options.corpusCount, extra: [] as string[] },
      { label: `device fleet, ${fleetCount.toLocaleString('en-US')} certificates`, path: fleet, certificates: fleetCount, extra: ['--param', 'tls_client_auth_san_uri'] },
    ];
    const endToEnd: EndToEnd[] = [];
    for (const c of cases) {
      const ours: number[] = [];
      const theirs: number[] = [];
      const pairs: number[] = [];
      const oursArgs = [CLI, 'lint', ...c.extra, '--format', 'json', '--now', NOW, '--output', join(work, 'ours.json'), c.path];
      const theirArgs = [script, c.path, join(work, 'theirs.json')];
      for (let r = 0; r < rounds; r++) {
        // Alternate who goes first, so neither always runs on a warmer cache.
        let a: number;
        let b: number;
        if (r % 2 === 0) {
          a = timed(oursArgs).seconds;
          b = timed(theirArgs).seconds;
        } else {
          b = timed(theirArgs).seconds;
          a = timed(oursArgs).seconds;
        }
        ours.push(a);
        theirs.push(b);
        pairs.push(b / a);
      }
      const o = spread(ours);
      const t = spread(theirs);
      const p = spread(pairs);
      endToEnd.push({ label: c.label, certificates: c.certificates, bytes: statSync(c.path).size, command: `graph-mtls lint ${c.extra.join(' ')} --format json --output FILE`.replace(/ +/g, ' '), ours: o, script: t, ratio: { median: t.median / o.median, min: p.min, max: p.max } });
      log(`end to end, ${c.label}: graph-mtls ${o.median.toFixed(2)} s, X509Certificate script ${t.median.toFixed(2)} s (${rounds} interleaved rounds)`);
    }

    // --- Bulk: a million certificates and 50 MB of bad blocks, every format -----------------
    const bulk: BulkRun[] = [];
    const million = options.quick ? 20_000 : 1_000_000;
    const sizes = options.quick ? [million] : [100_000, million];
    const formats = ['json', 'text', 'sarif', 'github'] as const;
    for (const count of sizes) {
      const path = join(work, `fleet-${count}.pem`);
      const t0 = performance.now();
      const bytes = await writeFleetBundle(path, count - 3, templates);
      log(`fleet of ${count.toLocaleString('en-US')} written (${(bytes / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      for (const format of count === million ? formats : (['json'] as const)) {
        bulk.push(bulkRun(CLI, `device fleet, ${count.toLocaleString('en-US')} certificates`, format, path, ['--param', 'tls_client_auth_san_uri'], work));
        log(`  ${format}: ${bulk.at(-1)!.certsPerSecond.toFixed(0)} certs/s, peak RSS ${bulk.at(-1)!.peakRssMiB.toFixed(0)} MiB`);
      }
      rmSync(path);
    }
    const bad = join(work, 'bad-blocks.pem');
    writeBadBlocks(bad, options.quick ? 2_000_000 : 50_000_000);
    for (const format of formats) {
      bulk.push(bulkRun(CLI, `bad PEM blocks, ${(statSync(bad).size / 1e6).toFixed(0)} MB`, format, bad, [], work));
      log(`  bad blocks, ${format}: ${bulk.at(-1)!.seconds.toFixed(2)} s, peak RSS ${bulk.at(-1)!.peakRssMiB.toFixed(0)} MiB`);
    }
    return { endToEnd, bulk };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One CLI run with --stats: its rate and peak RSS as the CLI reports them. */
function bulkRun(cli: string, label: string, format: string, path: string, extra: readonly string[], work: string): BulkRun {
  const output = join(work, `out.${format}`);
  const r = timed([cli, 'lint', ...extra, '--format', format, '--now', NOW, '--stats', '--output', output, path], true);
  const stat = (name: string): string => {
    const line = r.stderr.split('\n').find((l) => l.trim().startsWith(`${name} `));
    if (line === undefined) throw new Error(`graph-mtls --stats printed no '${name}' line:\n${r.stderr.slice(0, 2000)}`);
    return line.trim().slice(name.length).trim();
  };
  const certificates = Number(stat('certificates'));
  const outputBytes = statSync(output).size;
  rmSync(output);
  return { label, format, certificates, seconds: r.seconds, certsPerSecond: certificates / r.seconds, peakRssMiB: Number.parseFloat(stat('peak RSS')), outputBytes, jobs: stat('jobs') };
}

/** `bytes` of tiny PEM blocks whose bodies are not base64: every block is an unreadable part. */
function writeBadBlocks(path: string, bytes: number): void {
  const block = (i: number): string => `-----BEGIN CERTIFICATE-----\nAAA${i % 10}!\n-----END CERTIFICATE-----\n`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const b = block(i);
    parts.push(b);
    size += b.length;
  }
  writeFileSync(path, parts.join(''));
}
