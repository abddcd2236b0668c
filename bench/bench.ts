// graph-mtls benchmarks: our core against what users would pick instead, in one process and
// one run. Throughput of (a) parse only, (b) the full inspection our lint does, (c) a PEM
// bundle to certificates (and, for ours, to findings), as certs/s and MB/s with the ratio to
// Node's X509Certificate on the same certificates; the memory it takes to hold a bundle's
// certificates (one child process per library, for clean peaks); our streaming path on 1x,
// 4x and 16x the corpus; and a check that every library reports the same subjects and SAN
// values as ours. Usage: node bench/dist/bench.mjs [--quick] [--count N] [--seed N]
// [--libs id,id] [--subset N] [--slow-sample N] [--agree-all] [--no-children] [--json FILE];
// see bench/README.md. Exit code 2 when Node's X509Certificate disagrees with ours.

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAgreement, type AgreementResult } from './agreement.ts';
import { childMain, runChild, MB, type MemoryReport } from './children.ts';
import { runCliBench, spread } from './cli.ts';
import { loadCorpus, runCorpusWorker } from './corpus.ts';
import { fmtInt, fmtMB, fmtRate, fmtRatio, table } from './format.ts';
import { interleave, ratios } from './interleave.ts';
import { library, type Library, type View } from './libraries.ts';
import { measure, passInspect, sampleOf, SCENARIO_LABEL, type Measurement, type Sample, type Scenario } from './measure.ts';
import { options } from './options.ts';
import { checksum, keep, type Reps } from './timing.ts';
import { parseCertificate } from '../packages/core/src/index.ts';

const ENTRY = new URL(import.meta.url);
const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const CACHE_DIR = join(BENCH_DIR, '.corpus');

function describeCorpus(ders: readonly Uint8Array[]): string[] {
  const keys = new Map<string, number>();
  let ca = 0;
  let v3 = 0;
  const san = new Map<string, number>();
  for (const der of ders) {
    const c = parseCertificate(der);
    const k = c.publicKey;
    const name = k.algorithm === 'ec' ? k.curve! : k.algorithm.startsWith('rsa') ? `RSA ${k.bits}` : k.algorithm === 'ed25519' ? 'Ed25519' : k.algorithm === 'ed448' ? 'Ed448' : k.algorithm;
    keys.set(name, (keys.get(name) ?? 0) + 1);
    if (c.basicConstraints?.ca) ca++;
    if (c.version === 3) v3++;
    for (const t of new Set((c.subjectAltName?.names ?? []).map((n) => n.type))) san.set(t, (san.get(t) ?? 0) + 1);
  }
  const list = (m: Map<string, number>): string => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${fmtInt(n)}`).join(', ');
  return [
    `keys: ${list(keys)}`,
    `CA (basicConstraints cA) ${fmtInt(ca)}, other ${fmtInt(ders.length - ca)}; v3 ${fmtInt(v3)}, v1/v2 ${fmtInt(ders.length - v3)}`,
    `certificates with SAN of type: ${list(san)}`,
  ];
}

async function main(): Promise<void> {
  const opts = options();
  const log = (s: string): void => console.log(s);
  const started = performance.now();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  log(`graph-mtls bench: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${availableParallelism()} cores (${cpu}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB`);

  const corpus = await loadCorpus({ count: opts.count, seed: opts.seed, cacheDir: CACHE_DIR, entry: ENTRY, log });
  log(
    `corpus: ${fmtInt(corpus.ders.length)} certificates, ${(corpus.derBytes / 1e6).toFixed(1)} MB DER, ${(corpus.pemBytes / 1e6).toFixed(1)} MB PEM` +
      (corpus.generatedSeconds > 0 ? `, generated in ${corpus.generatedSeconds.toFixed(1)} s` : `, from cache ${corpus.path}`),
  );
  for (const line of describeCorpus(corpus.ders)) log(`  ${line}`);

  // --- Agreement (untimed) ------------------------------------------------------------------
  // Every certificate for the libraries that keep up; the slow ones (maxSample) on a prefix.
  const ours = library('ours');
  const agreementStart = performance.now();
  // In a function, so our reference views are garbage before anything is timed.
  const agreements = ((): AgreementResult[] => {
    const reference: View[] = corpus.ders.map((d) => ours.view(d));
    const all = corpus.ders.map((_, i) => i);
    const results: AgreementResult[] = [];
    for (const lib of opts.libs) {
      if (lib.id === 'ours') continue;
      const indices = lib.maxSample === undefined || opts.agreeAll ? all : all.slice(0, opts.slowAgreement);
      results.push(checkAgreement(lib, reference, corpus.ders, indices));
    }
    return results;
  })();
  log(`agreement checked in ${((performance.now() - agreementStart) / 1000).toFixed(1)} s`);

  // --- Samples ------------------------------------------------------------------------------
  // Ours and Node on the whole corpus; every other library on the certificates it reads among
  // the first `subset` (slow ones: the first maxSample of those), and ours and Node again on
  // exactly those, for the ratios.
  const full = sampleOf('all', `all ${fmtInt(corpus.ders.length)}`, corpus.ders);
  const samples = new Map<string, Sample>();
  const sampleFor = (lib: Library): Sample => {
    if (lib.id === 'ours' || lib.id === 'node') return full;
    const agreement = agreements.find((a) => a.library === lib)!;
    const window = Math.min(opts.subset, corpus.ders.length);
    const read = agreement.parsed.filter((i) => i < window);
    const cap = lib.maxSample === undefined ? window : Math.min(window, opts.slowSample ?? lib.maxSample);
    const indices = read.slice(0, cap);
    const key = indices.join(',');
    let s = samples.get(key);
    if (!s) {
      const readAll = read.length === window;
      const description =
        indices.length === read.length
          ? readAll ? `first ${fmtInt(window)}` : `${fmtInt(read.length)} of first ${fmtInt(window)}`
          : `first ${fmtInt(indices.length)}${readAll ? '' : ' it reads'}`;
      s = sampleOf(`s${samples.size}`, description, indices.map((i) => corpus.ders[i]!));
      samples.set(key, s);
    }
    return s;
  };

  // --- Throughput ---------------------------------------------------------------------------
  const reps: Reps = opts.quick ? { warmMs: 30, minReps: 1, maxReps: 3, minSeconds: 0.02 } : { warmMs: 250, minReps: 3, maxReps: 60, minSeconds: 1.5 };
  const node = library('node');
  const rows: { m: Measurement; node: Measurement; ours: Measurement }[] = [];
  for (const lib of opts.libs) {
    const sample = sampleFor(lib);
    const t0 = performance.now();
    for (const scenario of ['parse', 'inspect', 'bundle', ...(lib.lintBundle ? ['lint' as const] : [])] as Scenario[]) {
      const m = await measure(lib, scenario, sample, reps);
      const nodeScenario = scenario === 'lint' ? 'bundle' : scenario;
      rows.push({ m, node: await measure(node, nodeScenario, sample, reps), ours: await measure(ours, scenario, sample, reps) });
    }
    log(`measured ${lib.name} on ${sample.description} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  // --- Memory (child processes) ---------------------------------------------------------------
  const holds = new Map<string, MemoryReport>();
  const streams: { times: number; r: MemoryReport & { findings: number } }[] = [];
  const wholes: { times: number; r: MemoryReport & { findings: number } }[] = [];
  if (opts.children) {
    mkdirSync(CACHE_DIR, { recursive: true });
    for (const lib of opts.libs) {
      const sample = sampleFor(lib);
      const path = join(CACHE_DIR, `sample-${lib.id}.pem`);
      writeFileSync(path, sample.bundle, 'latin1');
      holds.set(`${lib.id}/bundle`, await runChild<MemoryReport>(['hold', lib.id, 'bundle', path]));
      if (lib.lintBundle) holds.set(`${lib.id}/lint`, await runChild<MemoryReport>(['hold', lib.id, 'lint', path]));
    }
    for (const times of opts.quick ? [1, 4] : [1, 4, 16]) streams.push({ times, r: await runChild(['stream', corpus.path, String(times)]) });
    for (const times of opts.quick ? [1] : [1, 4]) wholes.push({ times, r: await runChild(['whole', corpus.path, String(times)]) });
    log('memory measured in child processes');
  }

  // --- Targets, interleaved -------------------------------------------------------------------
  // The target ratios from passes run in turn (bench/interleave.ts), medians and ranges.
  const rounds = opts.quick ? 2 : 9;
  const inspectTimes = await interleave(
    [
      { name: 'ours', warm: () => passInspect(ours, full.warm ?? full), run: () => passInspect(ours, full) },
      { name: 'node', warm: () => passInspect(node, full.warm ?? full), run: () => passInspect(node, full) },
    ],
    rounds,
    reps.warmMs,
    keep,
  );
  const lintTimes = await interleave([{ name: 'ours', warm: () => ours.lintBundle!((full.warm ?? full).bundle), run: () => ours.lintBundle!(full.bundle) }], rounds, reps.warmMs, keep);
  log(`target ratios measured in ${rounds} interleaved rounds`);
  const cli = opts.cli ? await runCliBench({ quick: opts.quick, corpusPath: corpus.path, corpusCount: corpus.ders.length, cli: join(BENCH_DIR, '..', 'packages', 'node', 'dist', 'cli.js'), log }) : undefined;

  // --- Report -------------------------------------------------------------------------------
  log('');
  log(`## Throughput (median of repeated passes after warm-up; x Node = this row's rate over Node's X509Certificate on the same certificates, ours / this = ours over this row on the same certificates)`);
  log('');
  const tRows = rows.map(({ m, node: n, ours: o }) => {
    const hold = m.scenario === 'bundle' || m.scenario === 'lint' ? holds.get(`${m.lib.id}/${m.scenario}`) : undefined;
    return [
      m.lib.name,
      SCENARIO_LABEL[m.scenario],
      m.sample.description,
      fmtRate(m.certsPerSecond),
      fmtRate(m.mbPerSecond),
      fmtRatio(m.certsPerSecond / n.certsPerSecond),
      m.lib.id === 'ours' ? '' : fmtRatio(o.certsPerSecond / m.certsPerSecond),
      hold ? `${fmtMB(hold.heapHeldMB)} heap (${((hold.heapHeldMB * 1024) / hold.certs).toFixed(1)} KB/cert), +${fmtMB(hold.rssPeakMB)} RSS` : '',
    ];
  });
  log(table(['library', 'scenario', 'certificates', 'certs/s', 'MB/s', 'x Node', 'ours / this', 'memory holding the result'], tRows, [false, false, false, true, true, true, true, false]));
  log('');
  log('MB/s counts DER bytes for (a) and (b), PEM text bytes for (c). Memory: a fresh child process per row parses the same bundle and holds the result; heap = V8 heap still used after GC, RSS = rise of the peak resident set (includes native memory, e.g. OpenSSL\'s).');
  for (const lib of opts.libs) if (lib.note) log(`- ${lib.name}: ${lib.note}`);

  if (streams.length > 0) {
    log('');
    log('## Memory as the input grows: the core\'s lintStream (the bundle\'s bytes in 256 KiB pieces, reports counted as they come) vs one lint() call on the whole text. Live heap: sampled after a full GC every 4 MiB (streaming) or holding the report (whole text)');
    log('');
    const sRows = [
      ...streams.map(({ times, r }) => ['streaming', `${times}x`, fmtInt(r.certs), fmtInt(r.findings), fmtRate(r.certs / r.seconds), fmtRate((corpus.pemBytes * times) / 1e6 / r.seconds), fmtMB(r.heapPeakMB), fmtMB(r.rssPeakMB)]),
      ...wholes.map(({ times, r }) => ['lint(whole text)', `${times}x`, fmtInt(r.certs), fmtInt(r.findings), fmtRate(r.certs / r.seconds), fmtRate((corpus.pemBytes * times) / 1e6 / r.seconds), fmtMB(r.heapPeakMB), fmtMB(r.rssPeakMB)]),
    ];
    log(table(['path', 'input', 'certificates', 'findings', 'certs/s', 'MB/s', 'peak live heap rise', 'peak RSS rise'], sRows, [false, true, true, true, true, true, true, true]));
  }

  log('');
  log('## Agreement with ours (per certificate: subject type=value in encoded order, SAN dns/email/uri/ip as sets, basicConstraints cA, notAfter)');
  log('');
  const aRows = agreements.map((a) => [
    a.library.name,
    fmtInt(a.checked),
    fmtInt(a.failed),
    fmtInt(a.certificatesDiffering),
    ['subject', 'dns', 'email', 'uri', 'ip', 'ca', 'notAfter'].map((f) => `${f} ${fmtInt(a.mismatches.get(f) ?? 0)}`).filter((s) => !s.endsWith(' 0')).join(', ') || 'none',
  ]);
  log(table(['library', 'checked', 'failed to read', 'differing', 'fields differing (certificates)'], aRows, [false, true, true, true, false]));
  for (const a of agreements) {
    if (a.failed === 0 && a.examples.length === 0) continue;
    log(`- ${a.library.name}:`);
    for (const [msg, n] of a.failures) log(`    failed x${fmtInt(n)}: ${msg}`);
    for (const e of a.examples) log(`    ${e}`);
  }

  // --- Targets -------------------------------------------------------------------------------
  log('');
  log('## Targets (medians of interleaved passes or runs; the range in brackets is over the rounds)');
  const verdict = (ok: boolean): string => (ok ? 'HOLDS' : 'MISSES');
  const x1 = (r: number): string => `${r.toFixed(1)}x`;
  const short = (value: number, target: number): string => (value >= target ? '' : ` (short by ${((1 - value / target) * 100).toFixed(1)}%)`);
  const targets: string[] = [];
  {
    const ratio = spread(ratios(inspectTimes.get('ours')!, inspectTimes.get('node')!));
    const oursRate = full.ders.length / spread(inspectTimes.get('ours')!).median;
    targets.push(`- in process, full inspection >= 20x Node's X509Certificate: ${x1(ratio.median)} [${x1(ratio.min)}-${x1(ratio.max)}], ours ${fmtInt(oursRate)} certs/s -> ${verdict(ratio.median >= 20)}${short(ratio.median, 20)}`);
    const mbs = lintTimes.get('ours')!.map((t) => corpus.pemBytes / 1e6 / t);
    const m = spread(mbs);
    targets.push(`- in process, PEM to findings (lintStream) >= 100 MB/s: ${fmtRate(m.median)} MB/s [${fmtRate(m.min)}-${fmtRate(m.max)}] -> ${verdict(m.median >= 100)}${short(m.median, 100)}`);
  }
  const pxInspect = rows.find((r) => r.m.lib.id === 'peculiar-x509' && r.m.scenario === 'inspect');
  if (pxInspect) {
    const r = pxInspect.ours.certsPerSecond / pxInspect.m.certsPerSecond;
    targets.push(`- in process, full inspection >= 100x @peculiar/x509 (both on its ${pxInspect.m.sample.description}): ${x1(r)} -> ${verdict(r >= 100)}${short(r, 100)}`);
  }
  if (streams.length >= 2) {
    const first = streams[0]!;
    const last = streams[streams.length - 1]!;
    const growth = last.r.heapPeakMB / Math.max(first.r.heapPeakMB, 1);
    targets.push(`- in process, memory flat as the input grows (lintStream): peak live heap rise ${fmtMB(first.r.heapPeakMB)} at ${first.times}x, ${fmtMB(last.r.heapPeakMB)} at ${last.times}x (${growth.toFixed(2)}x for ${last.times / first.times}x the input; flat = under 2x) -> ${verdict(growth < 2)}`);
  }
  if (cli) {
    for (const e of cli.endToEnd) {
      targets.push(`- CLI end to end, ${e.label} (${(e.bytes / 1e6).toFixed(1)} MB PEM, \`${e.command}\`, process start included) >= 8x a Node X509Certificate script writing the same fields as JSON: ${x1(e.ratio.median)} [${x1(e.ratio.min)}-${x1(e.ratio.max)}]; graph-mtls ${e.ours.median.toFixed(2)} s [${e.ours.min.toFixed(2)}-${e.ours.max.toFixed(2)}], script ${e.script.median.toFixed(2)} s [${e.script.min.toFixed(2)}-${e.script.max.toFixed(2)}] -> ${verdict(e.ratio.median >= 8)}${short(e.ratio.median, 8)}`);
    }
    const million = cli.bulk.filter((b) => b.label.startsWith('device fleet') && b.certificates >= 1_000_000);
    const json = million.find((b) => b.format === 'json');
    if (json) {
      targets.push(`- CLI, ${fmtInt(json.certificates)} certificates (--format json to a file): ${fmtInt(json.certsPerSecond)} certs/s (target 50,000 on ${availableParallelism()} cores) -> ${verdict(json.certsPerSecond >= 50_000)}${short(json.certsPerSecond, 50_000)}; peak RSS ${json.peakRssMiB.toFixed(0)} MiB (target under 300 MB = 286 MiB) -> ${verdict(json.peakRssMiB * 1.048576 < 300)}`);
      const worst = Math.max(...million.map((b) => b.peakRssMiB));
      targets.push(`- CLI, ${fmtInt(json.certificates)} certificates in every format: peak RSS at most ${worst.toFixed(0)} MiB -> ${verdict(worst * 1.048576 < 300)}`);
    }
    const bad = cli.bulk.filter((b) => b.label.startsWith('bad PEM'));
    if (bad.length > 0) {
      const worst = Math.max(...bad.map((b) => b.peakRssMiB));
      targets.push(`- CLI, ${bad[0]!.label} in every format: peak RSS at most ${worst.toFixed(0)} MiB, at most ${Math.max(...bad.map((b) => b.seconds)).toFixed(1)} s -> ${verdict(worst * 1.048576 < 300)}`);
    }
  }
  targets.push('- verify in fleet mode >= 80% of its in-process rate: measured by the device-verification bench (pnpm bench:verify, bench/verify.ts)');
  for (const t of targets) log(t);
  if (cli) {
    log('');
    log('## CLI runs with --stats (bench/cli.ts; rate and peak RSS as the CLI reports them, the process and its worker threads)');
    log('');
    log(
      table(
        ['input', 'format', 'certificates', 'seconds', 'certs/s', 'peak RSS', 'output', 'jobs'],
        cli.bulk.map((b) => [b.label, b.format, fmtInt(b.certificates), b.seconds.toFixed(2), fmtInt(b.certsPerSecond), `${b.peakRssMiB.toFixed(0)} MiB`, fmtMB(b.outputBytes / MB), b.jobs]),
        [false, false, true, true, true, true, true, false],
      ),
    );
  }
  const nodeAgreement = agreements.find((a) => a.library.id === 'node');
  if (nodeAgreement && (nodeAgreement.failed > 0 || nodeAgreement.certificatesDiffering > 0)) {
    log(`- Node's X509Certificate (OpenSSL, the reference) disagrees with ours on ${fmtInt(nodeAgreement.failed + nodeAgreement.certificatesDiffering)} certificates: exit code 2`);
    process.exitCode = 2;
  }
  if (opts.quick) log('(--quick: a small corpus and few passes, a smoke test of the harness; the numbers are not results)');
  log('');
  log(`total ${((performance.now() - started) / 1000).toFixed(0)} s (checksum ${checksum()})`);

  if (opts.json) {
    const out = {
      date: new Date().toISOString(),
      node: process.version,
      cores: availableParallelism(),
      cpu,
      corpus: { count: corpus.ders.length, derBytes: corpus.derBytes, pemBytes: corpus.pemBytes, seed: opts.seed },
      throughput: rows.map(({ m, node: n }) => ({
        library: m.lib.name,
        scenario: m.scenario,
        sample: m.sample.description,
        certificates: m.sample.ders.length,
        certsPerSecond: m.certsPerSecond,
        mbPerSecond: m.mbPerSecond,
        reps: m.timing.reps,
        vsNode: m.certsPerSecond / n.certsPerSecond,
      })),
      memory: Object.fromEntries(holds),
      streaming: streams,
      whole: wholes,
      agreement: agreements.map((a) => ({
        library: a.library.name,
        checked: a.checked,
        failed: a.failed,
        failures: Object.fromEntries(a.failures),
        differing: a.certificatesDiffering,
        mismatches: Object.fromEntries(a.mismatches),
        examples: a.examples,
      })),
      targets,
      cli,
    };
    writeFileSync(opts.json, `${JSON.stringify(out, null, 2)}\n`);
  }
}

// A corpus worker thread, a child process, or the main run.
if (!(await runCorpusWorker())) {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) await childMain(process.argv.slice(childAt + 1));
  else await main();
}
