// The fuzz loop and its oracle. A target (targets.ts) turns one input into calls of the core's
// public entry points through a Probe, which checks each call:
// - anything thrown is a GraphMtlsError with a known code (and entries documented to report
//   findings instead of throwing throw nothing at all);
// - no call takes more than its time budget: 100 ms per 100 KB of input, at least 100 ms,
//   times a multiplier (1 for `pnpm fuzz`, generous in the test). A call over budget is run
//   again (up to `repeats` more times) and fails only if every run is over, so a GC pause or
//   a busy machine does not make a failure;
// - the target's own properties (round trips, agreement of two ways of reading) hold.
// The loop mutates seeds and inputs kept for giving a new outcome (a cheap stand-in for
// coverage: each distinct error reason or finding set is a distinct path), and stops at the
// first failure of each input. Failing inputs go to test/fuzz/corpus/, which the test replays.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphMtlsError } from '../../packages/core/src/index.ts';
import type { MutationLimits } from './mutators.ts';
import { Rng, hashLabel } from './rng.ts';

export type Input = Uint8Array | string;

/** Every ErrorCode of packages/core/src/errors.ts: a thrown code outside the list is a failure too. */
export const ERROR_CODES: ReadonlySet<string> = new Set([
  'ERR_INPUT_EMPTY', 'ERR_INPUT_TOO_LARGE', 'ERR_LIMIT_EXCEEDED', 'ERR_BASE64_INVALID', 'ERR_PEM_NO_BLOCKS', 'ERR_PEM_MALFORMED', 'ERR_PEM_UNSUPPORTED_LABEL',
  'ERR_DER_TRUNCATED', 'ERR_DER_TRAILING_DATA', 'ERR_DER_BER_ENCODING', 'ERR_DER_SIZE_CONSTRAINT', 'ERR_DER_UNEXPECTED_TAG', 'ERR_DER_INVALID_VALUE', 'ERR_DER_TOO_DEEP', 'ERR_NOT_A_CERTIFICATE', 'ERR_NOT_A_CRL',
  'ERR_PRIVATE_KEY', 'ERR_CSR', 'ERR_CRL', 'ERR_PUBLIC_KEY', 'ERR_TRUSTED_CERTIFICATE', 'ERR_PKCS7_UNSUPPORTED', 'ERR_INVALID_PARAMETER', 'ERR_INVALID_DN', 'ERR_INVALID_IP',
  'ERR_INVALID_ARGUMENT', 'ERR_IMMUTABLE_PROPERTY', 'ERR_GRAPH_RESPONSE', 'ERR_GRAPH_PREFLIGHT', 'ERR_GRAPH_TRANSPORT', 'ERR_GRAPH_CONFLICT', 'ERR_GRAPH_OUTCOME_UNKNOWN',
  'ERR_GRAPH_MALFORMED_RESPONSE', 'ERR_GRAPH_PAGE_LIMIT', 'ERR_GRAPH_UNCONFIRMED', 'ERR_GRAPH_UNTRUSTED_URL',
]);

export type FailureKind =
  /** Something other than a coded GraphMtlsError was thrown. */
  | 'uncoded-error'
  /** An entry documented to report findings instead of throwing threw. */
  | 'threw'
  /** Over the time budget on every run. */
  | 'slow'
  /** A round trip or an agreement between two readings does not hold. */
  | 'property';

export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
  constructor(
    readonly kind: FailureKind,
    readonly entry: string,
    readonly detail: string,
    readonly thrown?: unknown,
  ) {
    super(`[${kind}] ${entry}: ${detail}`);
  }
}

export interface ProbeOptions {
  /** Input size in bytes (the budget scales with it). */
  readonly size: number;
  /** Multiplies the budget (1: the strict 100 ms per 100 KB). */
  readonly budgetScale: number;
  /** Extra runs of a call over budget before it is a failure. */
  readonly repeats: number;
}

/** 100 ms per 100 KB, at least 100 ms. */
export function budgetMs(size: number, scale: number): number {
  return Math.max(100, (100 * size) / (100 * 1024)) * scale;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: GraphMtlsError };

function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return `${typeof error}: ${String(error)}`.slice(0, 500);
}

/** Runs one input's calls and checks each; the first failure is thrown as FuzzFailure. */
export class Probe {
  readonly #options: ProbeOptions;
  readonly #budget: number;
  /** What happened, as short strings: the input's outcome signature. */
  readonly notes: string[] = [];
  /** The outcome of the first call: the input was accepted or rejected by the target's main entry. */
  first: 'accepted' | 'rejected' | undefined;
  /** Calls made and the slowest one, for the report. */
  calls = 0;
  slowestMs = 0;
  slowestEntry = '';

  constructor(options: ProbeOptions) {
    this.#options = options;
    this.#budget = budgetMs(options.size, options.budgetScale);
  }

  get budget(): number {
    return this.#budget;
  }

  #classify(entry: string, error: unknown, mustNotThrow: boolean): GraphMtlsError {
    if (error instanceof FuzzFailure) throw error;
    if (!(error instanceof GraphMtlsError) || typeof error.code !== 'string' || !ERROR_CODES.has(error.code) || typeof error.message !== 'string') {
      throw new FuzzFailure('uncoded-error', entry, describeThrown(error), error);
    }
    if (mustNotThrow) throw new FuzzFailure('threw', entry, `threw ${error.code}: ${error.message.slice(0, 300)}`, error);
    // Quoted input and numbers are left out, so the note names the path, not the input.
    this.notes.push(`${entry}!${error.code}:${error.reason.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '_').replace(/\d+/g, '#').slice(0, 100)}`);
    return error;
  }

  #timed(entry: string, ms: number): void {
    this.calls++;
    if (ms > this.slowestMs) {
      this.slowestMs = ms;
      this.slowestEntry = entry;
    }
  }

  /**
   * Calls `fn`; a coded error is an outcome, anything else (or slowness) a failure. A call over
   * the budget is run again, up to `repeats` times, and fails only when every run was.
   */
  call<T>(entry: string, fn: () => T, mustNotThrow = false): Outcome<T> {
    let best = Infinity;
    let result!: Outcome<T>;
    for (let attempt = 0; attempt <= this.#options.repeats && best > this.#budget; attempt++) {
      const start = performance.now();
      let thrown: { error: unknown } | undefined;
      try {
        result = { ok: true, value: fn() };
      } catch (error) {
        thrown = { error };
      }
      best = Math.min(best, performance.now() - start);
      if (thrown !== undefined) result = { ok: false, error: this.#classify(entry, thrown.error, mustNotThrow) };
    }
    return this.#settle(entry, best, result);
  }

  /** call() for a function that returns a promise (timed until it settles). */
  async callAsync<T>(entry: string, fn: () => Promise<T>, mustNotThrow = false): Promise<Outcome<T>> {
    let best = Infinity;
    let result!: Outcome<T>;
    for (let attempt = 0; attempt <= this.#options.repeats && best > this.#budget; attempt++) {
      const start = performance.now();
      let thrown: { error: unknown } | undefined;
      try {
        result = { ok: true, value: await fn() };
      } catch (error) {
        thrown = { error };
      }
      best = Math.min(best, performance.now() - start);
      if (thrown !== undefined) result = { ok: false, error: this.#classify(entry, thrown.error, mustNotThrow) };
    }
    return this.#settle(entry, best, result);
  }

  /** The best time is recorded; over the budget it is a failure, else the last outcome stands. */
  #settle<T>(entry: string, best: number, result: Outcome<T>): Outcome<T> {
    this.#timed(entry, best);
    if (best > this.#budget) throw new FuzzFailure('slow', entry, `took ${best.toFixed(1)} ms on every one of ${this.#options.repeats + 1} runs; the budget for ${this.#options.size} bytes is ${this.#budget.toFixed(0)} ms`);
    this.first ??= result.ok ? 'accepted' : 'rejected';
    return result;
  }

  /** A property of the target: fails the input when false. */
  check(entry: string, holds: boolean, detail: () => string): void {
    if (!holds) throw new FuzzFailure('property', entry, detail());
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Says whether the target's reading of the input succeeded (else the first call's outcome counts). */
  verdict(accepted: boolean): void {
    this.#verdict = accepted ? 'accepted' : 'rejected';
  }

  get outcome(): 'accepted' | 'rejected' | undefined {
    return this.#verdict ?? this.first;
  }

  #verdict: 'accepted' | 'rejected' | undefined;
}

export interface Target {
  readonly name: string;
  readonly description: string;
  /** How the input is held and saved: raw bytes (.bin) or text (.txt, or .json when not well-formed Unicode). */
  readonly kind: 'bytes' | 'text';
  /** The inputs the run starts from; the same on every run. */
  seeds(): readonly Input[];
  /** A new input made from `base` (a seed or a kept input). */
  mutate(rng: Rng, base: Input, limits: MutationLimits): Input;
  /** Calls the entry points with `input` through `probe`. */
  run(input: Input, probe: Probe): Promise<void>;
}

/** A failure that is already known and being fixed: counted, reported, not saved. */
export interface KnownIssue {
  readonly id: string;
  readonly description: string;
  matches(target: string, failure: FuzzFailure, input: Input): boolean | Promise<boolean>;
}

async function knownIssue(issues: readonly KnownIssue[] | undefined, target: string, failure: FuzzFailure, input: Input): Promise<KnownIssue | undefined> {
  for (const k of issues ?? []) if (await k.matches(target, failure, input)) return k;
  return undefined;
}

export function inputSize(input: Input): number {
  return typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
}

// ---------------------------------------------------------------------------------------------
// Corpus files
// ---------------------------------------------------------------------------------------------

function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** The file name and bytes an input is saved as: <target>-<sha256 prefix>.bin|.txt|.json. */
export function corpusEntry(target: Target, input: Input): { name: string; bytes: Uint8Array } {
  let bytes: Uint8Array;
  let ext: string;
  if (typeof input !== 'string') {
    bytes = input;
    ext = 'bin';
  } else if (isWellFormed(input)) {
    bytes = new TextEncoder().encode(input);
    ext = 'txt';
  } else {
    // A lone surrogate has no UTF-8 form; JSON keeps it as a \u escape.
    bytes = new TextEncoder().encode(JSON.stringify(input));
    ext = 'json';
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  return { name: `${target.name}-${hash}.${ext}`, bytes };
}

export interface CorpusFile {
  readonly file: string;
  readonly target: string;
  readonly input: Input;
}

/** Every input saved in `dir` (files named <target>-<hash>.bin|.txt|.json; others are ignored). */
export function readCorpus(dir: string, targets: readonly Target[]): CorpusFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: CorpusFile[] = [];
  for (const name of names) {
    const m = /^([a-z0-9]+)-[0-9a-f]+\.(bin|txt|json)$/.exec(name);
    if (m === null) continue;
    const target = targets.find((t) => t.name === m[1]);
    if (target === undefined) throw new Error(`fuzz corpus: ${name} names no target (known: ${targets.map((t) => t.name).join(', ')})`);
    out.push({ file: join(dir, name), target: target.name, input: decodeCorpusFile(target, m[2]!, readFileSync(join(dir, name))) });
  }
  return out;
}

export function decodeCorpusFile(target: Target, ext: string, raw: Uint8Array): Input {
  if (target.kind === 'bytes') return new Uint8Array(raw);
  const text = new TextDecoder().decode(raw);
  return ext === 'json' ? (JSON.parse(text) as string) : text;
}

export function saveToCorpus(dir: string, target: Target, input: Input): string {
  const { name, bytes } = corpusEntry(target, input);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

// ---------------------------------------------------------------------------------------------
// The loop
// ---------------------------------------------------------------------------------------------

export interface RunOptions {
  readonly seed: number;
  readonly limits: MutationLimits;
  readonly budgetScale: number;
  readonly repeats: number;
  readonly knownIssues?: readonly KnownIssue[];
  /** Called for each new failure (not a known issue); the loop goes on after it. */
  readonly onFailure?: (failure: FailureRecord) => void;
  /** Inputs kept for new outcomes, at most. */
  readonly poolSize?: number;
}

export interface FailureRecord {
  readonly target: string;
  /** 0-based: the seeds first, then one mutant per iteration. */
  readonly iteration: number;
  readonly failure: FuzzFailure;
  readonly input: Input;
}

export interface TargetStats {
  readonly target: string;
  inputs: number;
  seeds: number;
  bytes: number;
  maxInput: number;
  /** Inputs whose first call returned (accepted) or threw a coded error (rejected). */
  accepted: number;
  rejected: number;
  calls: number;
  failures: number;
  known: Record<string, number>;
  /** Distinct outcome signatures seen (a coverage proxy). */
  outcomes: number;
  /** The coded errors seen, by code. */
  codes: Record<string, number>;
  slowestMs: number;
  slowestEntry: string;
  slowestSize: number;
  /** The highest ms per 100 KB of any input of at least 10 KB (how close to the budget large inputs come). */
  worstMsPer100KB: number;
  worstEntry: string;
  elapsedMs: number;
}

function signature(notes: readonly string[]): string {
  return createHash('sha1').update(notes.join('\n')).digest('hex');
}

/** One target's state across time slices: its RNG stream, pool and tallies. */
export class TargetRun {
  readonly target: Target;
  readonly stats: TargetStats;
  readonly #options: RunOptions;
  readonly #rng: Rng;
  readonly #seeds: readonly Input[];
  readonly #pool: Input[] = [];
  readonly #seen = new Set<string>();
  readonly #digest = createHash('sha256');
  #next = 0;

  constructor(target: Target, options: RunOptions) {
    this.target = target;
    this.#options = options;
    this.#rng = new Rng(hashLabel(options.seed, target.name));
    this.#seeds = target.seeds();
    this.stats = {
      target: target.name, inputs: 0, seeds: this.#seeds.length, bytes: 0, maxInput: 0, accepted: 0, rejected: 0, calls: 0, failures: 0, known: {}, outcomes: 0, codes: {},
      slowestMs: 0, slowestEntry: '', slowestSize: 0, worstMsPer100KB: 0, worstEntry: '', elapsedMs: 0,
    };
  }

  /** The input of iteration `i` (seeds first), drawing from this run's RNG. */
  #input(): Input {
    const i = this.#next;
    if (i < this.#seeds.length) return this.#seeds[i]!;
    const rng = this.#rng;
    const base = this.#pool.length > 0 && rng.chance(0.4) ? rng.pick(this.#pool) : rng.pick(this.#seeds);
    return this.target.mutate(rng, base, this.#options.limits);
  }

  /** A hash of every input made so far: the same seed gives the same inputs. */
  inputsDigest(): string {
    return this.#digest.copy().digest('hex');
  }

  /** Runs one more input; returns its failure record, if it failed. */
  async step(): Promise<FailureRecord | undefined> {
    const iteration = this.#next;
    const input = this.#input();
    this.#next++;
    this.#digest.update(typeof input === 'string' ? `s${input.length}:${input}` : Buffer.concat([Buffer.from(`b${input.length}:`), input]));
    const record = await runOne(this.target, input, this.#options, this.stats);
    if (record.failure === undefined) {
      const sig = signature(record.notes);
      if (!this.#seen.has(sig)) {
        this.#seen.add(sig);
        this.stats.outcomes++;
        const cap = this.#options.poolSize ?? 512;
        if (this.#pool.length < cap) this.#pool.push(input);
        else this.#pool[this.#rng.int(cap)] = input;
      }
      return undefined;
    }
    const failure: FailureRecord = { target: this.target.name, iteration, failure: record.failure, input };
    const known = await knownIssue(this.#options.knownIssues, this.target.name, record.failure, input);
    if (known !== undefined) {
      this.stats.known[known.id] = (this.stats.known[known.id] ?? 0) + 1;
      return undefined;
    }
    this.stats.failures++;
    this.#options.onFailure?.(failure);
    return failure;
  }

  /** Runs inputs until `deadline` (performance.now() ms) or `count` more inputs, whichever first. */
  async runFor(deadline: number, count = Infinity): Promise<FailureRecord[]> {
    const failures: FailureRecord[] = [];
    const start = performance.now();
    let lastYield = start;
    for (let n = 0; n < count && performance.now() < deadline; n++) {
      const f = await this.step();
      if (f !== undefined) failures.push(f);
      // Let timers and signals run (the calls are mostly synchronous).
      if (performance.now() - lastYield > 50) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    this.stats.elapsedMs += performance.now() - start;
    return failures;
  }
}

/** One input through a target's calls, with the oracle; tallies into `stats` when given. */
export async function runOne(target: Target, input: Input, options: Pick<RunOptions, 'budgetScale' | 'repeats'>, stats?: TargetStats): Promise<{ failure?: FuzzFailure; notes: string[] }> {
  const size = inputSize(input);
  const probe = new Probe({ size, budgetScale: options.budgetScale, repeats: options.repeats });
  let failure: FuzzFailure | undefined;
  try {
    await target.run(input, probe);
  } catch (error) {
    failure = error instanceof FuzzFailure ? error : new FuzzFailure('uncoded-error', `${target.name} harness`, describeThrown(error), error);
  }
  if (stats !== undefined) {
    stats.inputs++;
    stats.bytes += size;
    stats.maxInput = Math.max(stats.maxInput, size);
    stats.calls += probe.calls;
    if (probe.outcome === 'rejected') stats.rejected++;
    else if (probe.outcome === 'accepted') stats.accepted++;
    for (const n of probe.notes) {
      const m = /!(ERR_[A-Z0-9_]+)/.exec(n);
      if (m !== null) stats.codes[m[1]!] = (stats.codes[m[1]!] ?? 0) + 1;
    }
    if (probe.slowestMs > stats.slowestMs) {
      stats.slowestMs = probe.slowestMs;
      stats.slowestEntry = probe.slowestEntry;
      stats.slowestSize = size;
    }
    const ratio = (probe.slowestMs * 100 * 1024) / size;
    if (size >= 10 * 1024 && ratio > stats.worstMsPer100KB) {
      stats.worstMsPer100KB = ratio;
      stats.worstEntry = `${probe.slowestEntry}, ${probe.slowestMs.toFixed(1)} ms for ${(size / 1024).toFixed(0)} KB`;
    }
  }
  return failure === undefined ? { notes: probe.notes } : { failure, notes: probe.notes };
}
