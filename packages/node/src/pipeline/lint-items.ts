// What `lint` does to each item a task reads: the core's Linter checks it (with this thread's
// node:crypto verifier and SHA-256), the run's renderer writes its report, and the counts go
// into the task's tally.

import { relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { LintTally, Linter, applyRuleSettings, readRuleConfig, rulesFor, unreadableInput, type InputReader, type LintItem, type PayloadKind, type ReadItem, type RuleCode, type RuleConfig, type RuleSetting, type TlsClientAuthParameter } from '@graph-mtls/core';
import { createVerifier, nodeSha256 } from '../crypto.ts';
import { createRenderer, type Rendered, type Renderer, type RenderOptions } from '../report/format.ts';
import type { ItemProcessor, RunTally, TallyData } from './tasks.ts';

/** What a lint run is judged and rendered with; plain data, so it crosses to worker threads. */
export interface LintJob {
  readonly kind: 'lint';
  /** Milliseconds since the epoch. */
  readonly now: number;
  readonly expiryWarningDays?: number;
  /** Device certificates (not cA) must carry this field; without it every certificate is checked as a CA. */
  readonly parameter?: TlsClientAuthParameter;
  readonly payloadKind: PayloadKind | 'auto';
  readonly render: RenderOptions;
  /** The rule configuration (graph-mtls.config.json, parsed), its folder (override patterns are relative to it) and the working directory sources are relative to. */
  readonly rules?: { readonly config: unknown; readonly source: string; readonly base: string; readonly cwd: string };
  /**
   * --baseline (`known`: the fingerprints of findings to leave out) and --write-baseline
   * (`record`: give back every finding's fingerprint). An input's path is fingerprinted
   * relative to `base` (the baseline file's folder), from `cwd`.
   */
  readonly baseline?: { readonly known?: readonly string[]; readonly record: boolean; readonly base: string; readonly cwd: string };
}

/** A lint task's counts. */
export interface LintTallyData {
  readonly kind: 'lint';
  readonly certificates: number;
  readonly errors: number;
  readonly warnings: number;
  readonly notices: number;
  readonly readable: boolean;
  /** Findings the baseline left out. */
  readonly baselined: number;
  /** With `fingerprints`: every finding's, in input order. */
  readonly fingerprints?: readonly string[];
}

export class LintProcessor implements ItemProcessor<LintTallyData> {
  readonly #linter: Linter;
  readonly #renderer: Renderer;
  readonly #rules: ConfiguredRules | undefined;
  readonly #baseline: Baseline | undefined;
  #tally = new LintTally();

  constructor(job: LintJob) {
    this.#rules = job.rules === undefined ? undefined : new ConfiguredRules(job.rules);
    this.#baseline = job.baseline === undefined ? undefined : new Baseline(job.baseline);
    this.#linter = new Linter({
      now: new Date(job.now),
      role: job.parameter === undefined ? 'ca' : 'auto',
      verifier: createVerifier(),
      sha256: nodeSha256,
      payloadKind: job.payloadKind,
      ...(job.parameter === undefined ? {} : { parameter: job.parameter }),
      ...(job.expiryWarningDays === undefined ? {} : { expiryWarningDays: job.expiryWarningDays }),
    });
    this.#renderer = createRenderer(job.render);
  }

  reader(source: string): InputReader {
    return this.#linter.reader({ source });
  }

  add(item: ReadItem, source: string): void | Promise<void> {
    const pending = this.#linter.lintItem(item);
    if (pending instanceof Promise) return pending.then((report) => this.#place(report, source));
    this.#place(pending, source);
  }

  unreadable(source: string, message: string, code: string): void {
    this.#place(unreadableInput(source, message, code), source);
  }

  sizes(): readonly [number, number, number] {
    return this.#renderer.sizes();
  }

  take(): Rendered {
    return this.#renderer.take();
  }

  takeTally(): LintTallyData {
    const t = this.#tally;
    this.#tally = new LintTally();
    const b = this.#baseline?.take();
    return { kind: 'lint', certificates: t.certificates, errors: t.errors, warnings: t.warnings, notices: t.notices, readable: t.readable, baselined: b?.left ?? 0, ...(b?.fingerprints === undefined ? {} : { fingerprints: b.fingerprints }) };
  }

  #place(item: LintItem, source: string): void {
    let report = this.#rules === undefined ? item : this.#rules.apply(item, source);
    if (this.#baseline !== undefined) report = this.#baseline.apply(report, source);
    this.#tally.add(report);
    this.#renderer.add(report, source);
  }
}

/**
 * A baseline: a finding is known by its rule, what it is about (a certificate by its SHA-256,
 * wherever it is; an input or a payload by its path from the baseline's folder) and its field.
 * Known findings are left out; with `record`, every finding's fingerprint is given back.
 */
class Baseline {
  readonly #known: ReadonlySet<string> | undefined;
  readonly #record: boolean;
  readonly #base: string;
  readonly #cwd: string;
  #left = 0;
  #fingerprints: string[] = [];

  constructor(options: NonNullable<LintJob['baseline']>) {
    this.#known = options.known === undefined ? undefined : new Set(options.known);
    this.#record = options.record;
    this.#base = options.base;
    this.#cwd = options.cwd;
  }

  apply(item: LintItem, source: string): LintItem {
    if (item.findings.length === 0) return item;
    const about = item.type === 'certificate' ? `sha256:${item.certificate.sha256}` : `path:${pathFrom(this.#base, this.#cwd, source)}`;
    const kept: typeof item.findings[number][] = [];
    for (const f of item.findings) {
      const print = fingerprint(f.code, about, f.ref ?? '');
      if (this.#record) this.#fingerprints.push(print);
      if (this.#known?.has(print) === true) this.#left++;
      else kept.push(f);
    }
    return kept.length === item.findings.length ? item : { ...item, findings: kept };
  }

  take(): { left: number; fingerprints?: string[] } {
    const out = { left: this.#left, ...(this.#record ? { fingerprints: this.#fingerprints } : {}) };
    this.#left = 0;
    this.#fingerprints = [];
    return out;
  }
}

/** An input's path (`source`, from `cwd`) relative to `base`, with forward slashes on every system. */
function pathFrom(base: string, cwd: string, source: string): string {
  return relative(base, resolve(cwd, source)).split(sep).join('/');
}

/** A finding's fingerprint in a baseline file. */
export function fingerprint(code: string, about: string, ref: string): string {
  return `${code} ${about} ${ref}`;
}

/** The configured rules, resolved per input (an input's items come together: the last one is kept). */
class ConfiguredRules {
  readonly #config: RuleConfig;
  readonly #base: string;
  readonly #cwd: string;
  readonly #matchers = new Map<string, (path: string) => boolean>();
  #source: string | undefined;
  #settings: ReadonlyMap<RuleCode, RuleSetting> = new Map();

  constructor(rules: NonNullable<LintJob['rules']>) {
    this.#config = readRuleConfig(rules.config, { source: rules.source });
    this.#base = rules.base;
    this.#cwd = rules.cwd;
  }

  apply(item: LintItem, source: string): LintItem {
    if (source !== this.#source) {
      this.#source = source;
      // Patterns are relative to the configuration's folder, as in .gitignore and ESLint.
      const path = pathFrom(this.#base, this.#cwd, source);
      this.#settings = rulesFor(this.#config, (pattern) => this.#matcher(pattern)(path));
    }
    const findings = applyRuleSettings(item.findings, this.#settings);
    return findings === item.findings ? item : { ...item, findings };
  }

  #matcher(pattern: string): (path: string) => boolean {
    let m = this.#matchers.get(pattern);
    if (m === undefined) this.#matchers.set(pattern, (m = picomatch(pattern, { dot: true })));
    return m;
  }
}

/** A lint run's totals on the main thread. */
export class LintRunTally implements RunTally {
  readonly totals: LintTally = new LintTally();
  /** Findings the baseline left out. */
  baselined = 0;
  /** With --write-baseline: every finding's fingerprint, in input order. */
  readonly fingerprints: string[] = [];

  merge(data: TallyData): void {
    if (data.kind !== 'lint') return;
    this.totals.merge(data);
    this.baselined += data.baselined;
    if (data.fingerprints !== undefined) for (const f of data.fingerprints) this.fingerprints.push(f);
  }

  get items(): number {
    return this.totals.certificates;
  }
}
