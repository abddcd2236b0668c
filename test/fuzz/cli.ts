// `pnpm fuzz` (scripts/fuzz.mjs bundles this file and calls main): runs the targets for as
// long as asked, in turns of a few seconds each, with the strict budget (100 ms per 100 KB),
// saves each new failing input to test/fuzz/corpus/ (which test/fuzz.test.ts replays) and
// prints what was tried and how it went.
//
//   pnpm fuzz -- --seconds 60 --seed 1 --target der
//   pnpm fuzz -- --minutes 5                  every target, 5 minutes in all
//   pnpm fuzz -- --iterations 2000 --seed 7   exactly 2000 inputs per target (reproducible)
//   pnpm fuzz -- --replay test/fuzz/corpus/der-0123456789abcdef.bin

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeCorpusFile, runOne, saveToCorpus, TargetRun, type FailureRecord, type FuzzFailure, type Input, type Target, type TargetStats } from './harness.ts';
import { KNOWN_ISSUES, LIMITS, TARGETS, findTarget } from './targets.ts';
import { concatBytes } from './tlv.ts';

interface Args {
  seconds: number;
  seed: number;
  targets: Target[];
  iterations: number | undefined;
  replay: string[];
  corpus: string;
  save: boolean;
  budgetScale: number;
  repeats: number;
  maxSize: number;
  shrink: boolean;
  known: boolean;
}

const USAGE = `usage: pnpm fuzz -- [options]
  --seconds N | --duration N[s|m|h] | --minutes N   how long in all (default 60 s), shared by the targets
  --iterations N        exactly N inputs per target (seeds included) instead of a duration
  --seed N              the run's seed (default: from the clock, printed so the run can be repeated)
  --target a,b          only these targets (${TARGETS.map((t) => t.name).join(', ')})
  --replay FILE...      run saved inputs (corpus files) and print what happens
  --corpus DIR          where failing inputs are saved (default test/fuzz/corpus)
  --no-save             do not save failing inputs
  --no-shrink           save failing inputs as found, not shrunk
  --no-known            report the known issues (targets.ts KNOWN_ISSUES) as failures, e.g. to check a fix
  --budget-scale X      multiply the time budget (default 1: 100 ms per 100 KB, at least 100 ms)
  --repeats N           extra runs of a call over budget before it fails (default 2)
  --max-size BYTES      largest generated input (default ${LIMITS.full.maxSize})
  --list                list the targets`;

function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) throw new Error(`fuzz: expected a duration like 60, 90s, 5m or 1h, received '${text}'`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : n;
}

function parseArgs(argv: readonly string[], corpus: string): Args | 'help' | 'list' {
  const args: Args = {
    seconds: 60,
    seed: (Date.now() ^ (process.pid << 16)) >>> 0,
    targets: [...TARGETS],
    iterations: undefined,
    replay: [],
    corpus,
    save: true,
    budgetScale: 1,
    repeats: 2,
    maxSize: LIMITS.full.maxSize,
    shrink: true,
    known: true,
  };
  const wanted: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`fuzz: ${flag} needs a value`);
      return v;
    };
    const number = (): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`fuzz: ${flag} expects a number, received '${v}'`);
      return n;
    };
    switch (flag) {
      case '--':
        break;
      case '--seconds':
      case '--duration':
      case '-d':
        args.seconds = parseDuration(value());
        break;
      case '--minutes':
        args.seconds = number() * 60;
        break;
      case '--iterations':
      case '-n':
        args.iterations = Math.floor(number());
        break;
      case '--seed':
      case '-s':
        args.seed = Math.floor(number()) >>> 0;
        break;
      case '--target':
      case '--targets':
      case '-t':
        wanted.push(...value().split(',').filter((x) => x.length > 0));
        break;
      case '--replay':
        while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) args.replay.push(argv[++i]!);
        if (inline !== undefined) args.replay.push(inline);
        break;
      case '--corpus':
        args.corpus = value();
        break;
      case '--no-save':
        args.save = false;
        break;
      case '--no-shrink':
        args.shrink = false;
        break;
      case '--no-known':
        args.known = false;
        break;
      case '--budget-scale':
        args.budgetScale = number();
        break;
      case '--repeats':
        args.repeats = Math.floor(number());
        break;
      case '--max-size':
        args.maxSize = Math.floor(number());
        break;
      case '--list':
        return 'list';
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`fuzz: unknown option '${a}'\n${USAGE}`);
    }
  }
  if (wanted.length > 0) args.targets = wanted.map((w) => findTarget(w));
  return args;
}

function showInput(input: Input): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 300 ? `${input.slice(0, 300)}…` : input) + ` (${input.length} chars)`;
  const hex = Buffer.from(input.subarray(0, 160)).toString('hex');
  return `${hex}${input.length > 160 ? '…' : ''} (${input.length} bytes)`;
}

function failureKey(f: FuzzFailure): string {
  return `${f.kind} ${f.entry} ${f.detail.replace(/"[^"]*"|'[^']*'|\d+(\.\d+)?|[0-9a-f]{8,}/g, '_').slice(0, 160)}`;
}

/** A smaller input that fails the same way (same kind and entry); slow failures are kept as found. */
async function shrink(target: Target, input: Input, failure: FuzzFailure, args: Args): Promise<Input> {
  if (failure.kind === 'slow') return input;
  const same = async (candidate: Input): Promise<boolean> => {
    const r = await runOne(target, candidate, { budgetScale: args.budgetScale, repeats: args.repeats });
    return r.failure !== undefined && r.failure.kind === failure.kind && r.failure.entry === failure.entry;
  };
  let best = input;
  let attempts = 0;
  const deadline = performance.now() + 15_000;
  for (let chunk = Math.max(1, Math.floor(best.length / 2)); chunk >= 1 && attempts < 2000 && performance.now() < deadline; chunk = Math.floor(chunk / 2)) {
    let progress = true;
    while (progress && attempts < 2000 && performance.now() < deadline) {
      progress = false;
      for (let at = 0; at + chunk <= best.length && attempts < 2000; at += chunk) {
        const candidate: Input = typeof best === 'string' ? best.slice(0, at) + best.slice(at + chunk) : concatBytes([best.subarray(0, at), best.subarray(at + chunk)]);
        attempts++;
        if (await same(candidate)) {
          best = candidate;
          progress = true;
          at -= chunk;
        }
      }
    }
  }
  return best;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

function report(stats: readonly TargetStats[]): string {
  const rows: string[][] = [['target', 'inputs', 'accepted', 'rejected', 'outcomes', 'failures', 'known', 'inputs/s', 'MB/s', 'largest', 'slowest call', 'worst ms/100KB']];
  for (const s of stats) {
    const secs = s.elapsedMs / 1000;
    rows.push([
      s.target,
      String(s.inputs),
      String(s.accepted),
      String(s.rejected),
      String(s.outcomes),
      String(s.failures),
      String(Object.values(s.known).reduce((a, b) => a + b, 0)),
      secs > 0 ? (s.inputs / secs).toFixed(0) : '-',
      secs > 0 ? (s.bytes / secs / 1e6).toFixed(2) : '-',
      `${(s.maxInput / 1024).toFixed(0)} KB`,
      `${s.slowestMs.toFixed(1)} ms (${s.slowestEntry}, ${(s.slowestSize / 1024).toFixed(0)} KB)`,
      s.worstMsPer100KB.toFixed(1),
    ]);
  }
  const codes = stats.map((s) => `  ${s.target}: ${Object.entries(s.codes).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ') || '-'}`).join('\n');
  const worst = stats.filter((s) => s.worstEntry !== '').map((s) => `  ${s.target}: ${s.worstMsPer100KB.toFixed(1)} ms/100KB (${s.worstEntry})`).join('\n');
  const known = stats.flatMap((s) => Object.entries(s.known).map(([id, n]) => `  ${s.target}: ${id} x${n}`));
  return `${table(rows)}\n\nworst time per size (inputs of 10 KB or more; the budget is 100 ms/100KB):\n${worst || '  -'}\n\ncoded errors seen (calls, by code):\n${codes}${known.length > 0 ? `\n\nknown issues hit (not saved):\n${known.join('\n')}` : ''}`;
}

async function replay(args: Args): Promise<number> {
  let failed = 0;
  for (const file of args.replay) {
    const m = /^([a-z0-9]+)-[0-9a-f]+\.(bin|txt|json)$/.exec(basename(file));
    if (m === null) throw new Error(`fuzz: ${file} is not named <target>-<hash>.bin|.txt|.json`);
    const target = findTarget(m[1]!);
    const input = decodeCorpusFile(target, m[2]!, readFileSync(file));
    const r = await runOne(target, input, { budgetScale: args.budgetScale, repeats: args.repeats });
    if (r.failure === undefined) console.log(`ok    ${file} (${target.name}, ${r.notes.length} outcomes noted)`);
    else {
      failed++;
      console.log(`FAIL  ${file}\n      ${r.failure.message}\n      input: ${showInput(input)}`);
      if (r.failure.thrown instanceof Error && r.failure.thrown.stack !== undefined) console.log(r.failure.thrown.stack.split('\n').slice(0, 12).map((l) => `      ${l}`).join('\n'));
    }
  }
  return failed > 0 ? 1 : 0;
}

export async function main(argv: readonly string[], defaults: { readonly corpusDir: string }): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv, defaults.corpusDir);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (parsed === 'list') {
    for (const t of TARGETS) console.log(`${t.name.padEnd(8)} ${t.description}`);
    return 0;
  }
  const args = parsed;
  // The Ed448 WebCrypto warning would interleave with the report; other warnings still show.
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'ExperimentalWarning') console.warn(`${w.name}: ${w.message}`);
  });
  if (args.replay.length > 0) return replay(args);

  const limits = { ...LIMITS.full, maxSize: args.maxSize };
  const seenKeys = new Map<string, number>();
  const saved: string[] = [];
  const newFailures: FailureRecord[] = [];
  let stop = false;
  const onSignal = (): void => {
    if (stop) process.exit(130);
    stop = true;
    console.log('\nstopping after the current input (Ctrl-C again to quit now)…');
  };
  process.on('SIGINT', onSignal);

  const runs = args.targets.map(
    (t) =>
      new TargetRun(t, {
        seed: args.seed,
        limits,
        budgetScale: args.budgetScale,
        repeats: args.repeats,
        knownIssues: args.known ? KNOWN_ISSUES : [],
      }),
  );
  const what = args.iterations === undefined ? `${args.seconds} s` : `${args.iterations} inputs per target`;
  console.log(`fuzz: seed ${args.seed}, targets ${args.targets.map((t) => t.name).join(', ')}, ${what}, budget ${100 * args.budgetScale} ms per 100 KB (at least ${100 * args.budgetScale} ms), inputs up to ${(limits.maxSize / 1024).toFixed(0)} KB`);
  console.log(`      repeat with: pnpm fuzz -- --seed ${args.seed}${args.targets.length < TARGETS.length ? ` --target ${args.targets.map((t) => t.name).join(',')}` : ''}${args.iterations === undefined ? ` --seconds ${args.seconds}` : ` --iterations ${args.iterations}`}`);

  const handle = async (run: TargetRun, records: readonly FailureRecord[]): Promise<void> => {
    for (const rec of records) {
      const key = `${rec.target} ${failureKey(rec.failure)}`;
      const count = (seenKeys.get(key) ?? 0) + 1;
      seenKeys.set(key, count);
      if (count > 1) continue;
      newFailures.push(rec);
      console.log(`\nFAIL ${rec.target} input #${rec.iteration}: ${rec.failure.message}`);
      console.log(`     input: ${showInput(rec.input)}`);
      if (rec.failure.thrown instanceof Error && rec.failure.thrown.stack !== undefined) console.log(rec.failure.thrown.stack.split('\n').slice(1, 6).map((l) => `     ${l.trim()}`).join('\n'));
      if (args.save) {
        const small = args.shrink ? await shrink(run.target, rec.input, rec.failure, args) : rec.input;
        const file = saveToCorpus(args.corpus, run.target, small);
        saved.push(file);
        const smaller = small.length < rec.input.length ? `, shrunk from ${rec.input.length} to ${small.length}` : '';
        console.log(`     saved ${file}${smaller}`);
        console.log(`     reproduce: node scripts/fuzz.mjs --replay ${file}   (or: pnpm fuzz -- --seed ${args.seed} --target ${rec.target} --iterations ${rec.iteration + 1})`);
      } else console.log(`     reproduce: pnpm fuzz -- --seed ${args.seed} --target ${rec.target} --iterations ${rec.iteration + 1}`);
    }
  };

  const started = performance.now();
  if (args.iterations !== undefined) {
    for (const run of runs) {
      while (!stop && run.stats.inputs < args.iterations) {
        await handle(run, await run.runFor(Infinity, Math.min(200, args.iterations - run.stats.inputs)));
      }
    }
  } else {
    const end = started + args.seconds * 1000;
    const slice = Math.max(250, Math.min(3000, (args.seconds * 1000) / runs.length / 4));
    let lastProgress = started;
    while (!stop && performance.now() < end) {
      for (const run of runs) {
        if (stop || performance.now() >= end) break;
        await handle(run, await run.runFor(Math.min(end, performance.now() + slice)));
      }
      if (performance.now() - lastProgress > 15_000) {
        lastProgress = performance.now();
        const secs = ((lastProgress - started) / 1000).toFixed(0);
        console.log(`  ${secs} s: ${runs.map((r) => `${r.target.name} ${r.stats.inputs}`).join(', ')}; ${newFailures.length} failure${newFailures.length === 1 ? '' : 's'}`);
      }
    }
  }
  process.off('SIGINT', onSignal);
  const total = runs.reduce((n, r) => n + r.stats.inputs, 0);
  console.log(`\nfuzz: ${total} inputs in ${((performance.now() - started) / 1000).toFixed(1)} s, seed ${args.seed}\n`);
  console.log(report(runs.map((r) => r.stats)));
  if (newFailures.length === 0) {
    console.log('\nno failures');
    return 0;
  }
  console.log(`\n${newFailures.length} distinct failure${newFailures.length === 1 ? '' : 's'} (${[...seenKeys.values()].reduce((a, b) => a + b, 0)} failing inputs):`);
  for (const [key, n] of seenKeys) console.log(`  x${n}  ${key}`);
  if (saved.length > 0) console.log(`\nsaved to the corpus (replayed by npx vitest run --project node test/fuzz.test.ts):\n${saved.map((f) => `  ${f}`).join('\n')}`);
  return 1;
}
