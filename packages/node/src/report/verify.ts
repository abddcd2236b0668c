// `graph-mtls verify`'s report in its four formats, rendered a run of devices at a time where
// they are verified (a worker thread, or the main thread) and placed in order by the main
// thread, like lint's. Text: a line per device and its findings on stdout, input problems on
// stderr as they come, the counts per issuing CA and a summary line at the end. JSON: the
// versioned contract in the README, written as it comes, byte for byte what
// JSON.stringify(report, null, 2) gives for the whole. SARIF and GitHub annotations: lint's
// renderers, each device's findings placed at its file and PEM line.

import { inputFinding, unreadableInput, type Finding, type LintItem } from '@graph-mtls/core';
import { escapeForDisplay as shown } from '@graph-mtls/core/encoding';
import type { VerifiedDevice, VerifyProblem, VerifyTally } from '../pipeline/verify-items.ts';
import { ByteSink, NO_BYTES } from './bytes.ts';
import { createDocument, createRenderer, type DocumentBody, type Rendered, type Renderer, type RenderOptions } from './format.ts';
import { JsonArray } from './json.ts';
import { Output, Spool } from './output.ts';
import { renderFindings } from './findings-text.ts';
import { plural } from './plural.ts';

/** The JSON contract's version (README, "verify JSON output"): fields are only ever added. */
export const VERIFY_JSON_VERSION = 1;

/** Renders verdicts and input problems; one per thread, reused. */
export interface VerifyRenderer {
  device(d: VerifiedDevice, source: string): void;
  problem(p: VerifyProblem, source: string): void;
  sizes(): readonly [number, number, number];
  take(): Rendered;
}

export function createVerifyRenderer(options: RenderOptions): VerifyRenderer {
  switch (options.format) {
    case 'text':
      return new TextVerifyRenderer(options.color);
    case 'json':
      return new JsonVerifyRenderer();
    case 'sarif':
    case 'github':
      return new AnnotatedVerifyRenderer(createRenderer(options));
  }
}

/** The main thread's side: places rendered runs and writes the document as it goes. */
export interface VerifyDocument extends DocumentBody {
  begin(): Promise<void>;
  end(tally: VerifyTally, inputs: number): Promise<void>;
  close(): Promise<void>;
}

export function createVerifyDocument(options: RenderOptions, out: Output, errors: Output, meta: { readonly now: Date; readonly version: string; readonly expiryWarningDays: number }): VerifyDocument {
  switch (options.format) {
    case 'text':
      return new TextVerifyDocument(out, errors, meta.expiryWarningDays);
    case 'json':
      return new JsonVerifyDocument(out, meta.now, meta.expiryWarningDays);
    case 'sarif':
    case 'github':
      return new AnnotatedVerifyDocument(createDocument(options, out, meta));
  }
}

const OUTCOME_TEXT = { trusted: 'trusted', 'not-verified': 'not verified (a signature could not be checked)', refused: 'refused' } as const;

class TextVerifyRenderer implements VerifyRenderer {
  readonly #color: boolean;
  readonly #main = new ByteSink();
  readonly #problems = new ByteSink();

  constructor(color: boolean) {
    this.#color = color;
  }

  device(d: VerifiedDevice, source: string): void {
    const { outcome, path, identity, findings } = d.result;
    const chain = path === undefined ? '' : `  ${path.slice(1).map((m) => shown(m.certificate.subjectDn)).join(' <- ')}`;
    const values = identity.values.length === 0 ? '(no value)' : identity.values.map((v) => shown(v)).join(', ');
    const match = identity.matched !== undefined ? '  (matches)' : d.listed ? '' : '  (not in --expect-file)';
    let text = `${shown(source)}#${(d.location.index ?? 0) + 1}: ${OUTCOME_TEXT[outcome]}${chain}\n  ${identity.parameter}: ${values}${match}\n`;
    if (findings.length > 0) text += renderFindings(findings, this.#color).replace(/^(?=.)/gm, '  ');
    this.#main.add(text);
  }

  problem(p: VerifyProblem): void {
    this.#problems.add(`error: ${shown(p.message)}\n`);
  }

  sizes(): readonly [number, number, number] {
    return [this.#main.length, this.#problems.length, 0];
  }

  take(): Rendered {
    return { main: this.#main.take(), inputs: this.#problems.take(), payloads: NO_BYTES };
  }
}

class TextVerifyDocument implements VerifyDocument {
  readonly #out: Output;
  readonly #errors: Output;
  readonly #days: number;

  constructor(out: Output, errors: Output, expiryWarningDays: number) {
    this.#out = out;
    this.#errors = errors;
    this.#days = expiryWarningDays;
  }

  async begin(): Promise<void> {}
  startInput(): void {}

  async add(rendered: Rendered): Promise<void> {
    await this.#out.write(rendered.main);
    if (rendered.inputs.length > 0) {
      // Problems go to stderr as they come, after the devices rendered before them.
      await this.#out.flush();
      await this.#errors.write(rendered.inputs);
      await this.#errors.flush();
    }
  }

  async endInput(): Promise<void> {}

  async end(t: VerifyTally): Promise<void> {
    let text = '';
    for (const i of t.byIssuer) text += `  ${shown(i.issuer || '(no path)')}: ${i.trusted} trusted, ${i['not-verified']} not verified, ${i.refused} refused\n`;
    const expiring = t.expiring > 0 ? `; ${t.expiring} with a path that expires within ${plural(this.#days, 'day')}` : '';
    const unlisted = t.unlisted > 0 ? `; ${plural(t.unlisted, 'device')} not in --expect-file` : '';
    const problems = t.problems > 0 ? `; ${plural(t.problems, 'input problem')}` : '';
    text += `${plural(t.devices, 'device')}: ${t.trusted} trusted, ${t.notVerified} not verified, ${t.refused} refused${expiring}${unlisted}${problems}\n`;
    await this.#out.write(text);
  }

  async close(): Promise<void> {}
}

/** A JSON value at `indent`, as JSON.stringify(value, null, 2) lays it out there. */
function laidOut(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
}

function jsonFinding(f: Finding): Record<string, unknown> {
  return { code: f.code, severity: f.severity, message: f.message, citation: f.citation, evidence: f.evidence, ref: f.ref ?? null };
}

class JsonVerifyRenderer implements VerifyRenderer {
  readonly #main = new ByteSink();
  readonly #problems = new ByteSink();

  device(d: VerifiedDevice, source: string): void {
    const r = d.result;
    const element = {
      source,
      index: d.location.index ?? 0,
      line: d.location.line ?? null,
      sha256: d.sha256,
      outcome: r.outcome,
      path: r.path?.map((m) => ({ role: m.role, origin: m.origin, subject: m.certificate.subjectDn, sha256: m.certificate.sha256, notAfter: m.certificate.notAfter.toISOString() })) ?? null,
      identity: { parameter: r.identity.parameter, values: r.identity.values, matched: r.identity.matched ?? null, listed: d.listed },
      findings: r.findings.map(jsonFinding),
      attempts: r.attempts.map((a) => ({ subjects: a.subjects, refusedBy: a.refusedBy ?? null })),
    };
    this.#main.add(`,\n    ${laidOut(element, '    ')}`);
  }

  problem(p: VerifyProblem): void {
    this.#problems.add(`,\n    ${laidOut({ code: p.code, message: p.message, source: p.source }, '    ')}`);
  }

  sizes(): readonly [number, number, number] {
    return [this.#main.length, this.#problems.length, 0];
  }

  take(): Rendered {
    return { main: this.#main.take(), inputs: this.#problems.take(), payloads: NO_BYTES };
  }
}

class JsonVerifyDocument implements VerifyDocument {
  readonly #out: Output;
  readonly #now: Date;
  readonly #days: number;
  readonly #devices = new JsonArray();
  readonly #problems = new JsonArray();
  readonly #spool = new Spool();

  constructor(out: Output, now: Date, expiryWarningDays: number) {
    this.#out = out;
    this.#now = now;
    this.#days = expiryWarningDays;
  }

  async begin(): Promise<void> {
    await this.#out.write(`{\n  "version": ${VERIFY_JSON_VERSION},\n  "now": ${JSON.stringify(this.#now.toISOString())},\n  "devices": [`);
  }

  startInput(): void {}

  async add(rendered: Rendered): Promise<void> {
    await this.#devices.write(this.#out, rendered.main);
    void this.#problems.write(this.#spool, rendered.inputs);
  }

  async endInput(): Promise<void> {}

  async end(t: VerifyTally): Promise<void> {
    await this.#out.write(`${this.#devices.close},\n  "problems": [`);
    await this.#spool.drainTo(this.#out);
    const summary = {
      devices: t.devices,
      trusted: t.trusted,
      'not-verified': t.notVerified,
      refused: t.refused,
      problems: t.problems,
      byIssuer: t.byIssuer,
      expiring: t.expiring,
      expiryWarningDays: this.#days,
      unlisted: t.unlisted,
    };
    await this.#out.write(`${this.#problems.close},\n  "summary": ${laidOut(summary, '  ')}\n}\n`);
  }

  async close(): Promise<void> {
    this.#spool.close();
  }
}

/** SARIF and GitHub: each verdict as lint's report of an input, its findings at the device's file and line. */
class AnnotatedVerifyRenderer implements VerifyRenderer {
  readonly #renderer: Renderer;

  constructor(renderer: Renderer) {
    this.#renderer = renderer;
  }

  device(d: VerifiedDevice, source: string): void {
    const location = { ...d.location, source };
    const item: LintItem = { type: 'input', location, findings: d.result.findings.map((f) => ({ ...f, location })) };
    this.#renderer.add(item, source);
  }

  problem(p: VerifyProblem, source: string): void {
    // A problem read in the input is lint's finding for it (its rule, at its line); a system error is an unreadable input.
    const item: LintItem = p.read === undefined ? unreadableInput(p.source, p.message, p.code) : { type: 'input', location: p.read.location, findings: [inputFinding(p.read.error, p.read.location)] };
    this.#renderer.add(item, source);
  }

  sizes(): readonly [number, number, number] {
    return this.#renderer.sizes();
  }

  take(): Rendered {
    return this.#renderer.take();
  }
}

class AnnotatedVerifyDocument implements VerifyDocument {
  readonly #doc: ReturnType<typeof createDocument>;

  constructor(doc: ReturnType<typeof createDocument>) {
    this.#doc = doc;
  }

  begin(): Promise<void> {
    return this.#doc.begin();
  }

  startInput(source: string): void {
    this.#doc.startInput(source);
  }

  add(rendered: Rendered): Promise<void> {
    return this.#doc.add(rendered);
  }

  endInput(): Promise<void> {
    return this.#doc.endInput();
  }

  end(t: VerifyTally, inputs: number): Promise<void> {
    return this.#doc.end({ certificates: t.devices, errors: t.errors, warnings: t.warnings, notices: t.notices }, inputs);
  }

  close(): Promise<void> {
    return this.#doc.close();
  }
}
