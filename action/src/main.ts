// The graph-mtls GitHub Action (action.yml): runs `graph-mtls lint` in a workflow, in this
// process (the CLI's `main`, bundled into action/dist/index.js by scripts/build-action.mjs).
//
// Inputs come as the runner passes them to a JavaScript action: INPUT_<NAME>, the name upper-cased
// with spaces as underscores and hyphens kept (INPUT_MAX-WARNINGS). Lint runs in GITHUB_WORKSPACE
// with --jobs 1 (the bundle ships no worker file) and one --now for every pass, so the passes
// judge the same moment and agree:
//   1. --format json to a temporary file: the counts (outputs) and the job summary's table;
//   2. format github: --format github to stdout, the CLI's own annotations (workflow commands);
//      format sarif: --format sarif --output <sarif-file>, for code scanning, instead.
// The job summary (GITHUB_STEP_SUMMARY) lists every finding up to 200, because GitHub shows only
// about ten annotations of each type per step; outputs go to GITHUB_OUTPUT. The exit code is the
// CLI's: 0 no errors, 1 error findings (or past max-warnings), 2 a usage error, shown as ::error::.

import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { escapeForDisplay } from '@graph-mtls/core/encoding';
import { main } from '../../packages/node/src/main.ts';
import { escapeData } from '../../packages/node/src/report/github.ts';

const EXIT_OK = 0;
const EXIT_USAGE = 2;

/** Rows of the job summary's table at most; the rest are counted. */
const MAX_ROWS = 200;
/** A message in the table is cut to this many characters. */
const MAX_MESSAGE = 300;

type Env = Readonly<Record<string, string | undefined>>;

/** A mistake in the action's inputs: exit 2 with an ::error:: line, as the CLI's usage errors. */
class InputError extends Error {}

/** An input as the runner passes it (trimmed, as @actions/core's getInput does); empty is not given. */
function input(env: Env, name: string): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

interface Inputs {
  readonly paths: readonly string[];
  readonly format: 'github' | 'sarif';
  readonly config?: string;
  readonly param?: string;
  readonly maxWarnings?: string;
  readonly sarifFile: string;
}

function readInputs(env: Env): Inputs {
  const paths = (input(env, 'paths') ?? '').split(/\s+/).filter((p) => p !== '');
  if (paths.length === 0) throw new InputError("input 'paths' is required: files, directories or globs, relative to the workspace, separated by spaces or new lines");
  if (paths.includes('-')) throw new InputError("input 'paths': '-' (standard input) cannot be read in an action; name files, directories or globs");
  const format = input(env, 'format') ?? 'github';
  if (format !== 'github' && format !== 'sarif') throw new InputError(`input 'format': expected github or sarif, received '${format}'`);
  const config = input(env, 'config');
  const param = input(env, 'param');
  const maxWarnings = input(env, 'max-warnings');
  return {
    paths,
    format,
    ...(config === undefined ? {} : { config }),
    ...(param === undefined ? {} : { param }),
    ...(maxWarnings === undefined ? {} : { maxWarnings }),
    sarifFile: input(env, 'sarif-file') ?? 'graph-mtls.sarif',
  };
}

/** A stream that keeps what is written to it. */
class Capture extends Writable {
  readonly #chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.#chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    callback();
  }
  get text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

interface Run {
  readonly code: number;
  readonly stderr: string;
}

/** `graph-mtls lint` in this process, in the workspace; stdout to `stdout` (a capture if not given). */
async function lint(args: readonly string[], cwd: string, stdout: NodeJS.WritableStream = new Capture()): Promise<Run> {
  const stderr = new Capture();
  // No environment (colour is off whatever FORCE_COLOR says) and no standard input: lint needs neither.
  const code = await main(['lint', ...args], { stdout, stderr, stdin: Readable.from([]), env: {}, cwd, color: false });
  return { code, stderr: stderr.text };
}

/** The part of the JSON report (README, "JSON output") the summary reads. */
interface JsonFinding {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'notice';
  readonly message: string;
  readonly ref: string | null;
  readonly line: number | null;
}
interface JsonReport {
  readonly certificates: readonly { readonly source: string | null; readonly line: number | null; readonly findings: readonly JsonFinding[] }[];
  readonly inputs: readonly { readonly source: string; readonly line: number | null; readonly findings: readonly JsonFinding[] }[];
  readonly payloads: readonly { readonly source: string; readonly findings: readonly JsonFinding[] }[];
  readonly summary: { readonly certificates: number; readonly errors: number; readonly warnings: number; readonly notices: number };
}

interface Row {
  readonly severity: JsonFinding['severity'];
  readonly code: string;
  readonly place: string;
  readonly message: string;
}

const RANK: Record<JsonFinding['severity'], number> = { error: 0, warning: 1, notice: 2 };

/** Every finding of the report, errors first, then warnings, then notices, each in report order. */
function rowsOf(report: JsonReport): Row[] {
  const rows: Row[] = [];
  const add = (source: string | null, line: number | null, findings: readonly JsonFinding[]): void => {
    for (const f of findings) {
      const at = f.line ?? line;
      rows.push({ severity: f.severity, code: f.code, place: `${source ?? '(unknown)'}${at === null ? '' : `:${at}`}`, message: f.ref === null ? f.message : `${f.message} [${f.ref}]` });
    }
  };
  for (const c of report.certificates) add(c.source, c.line, c.findings);
  for (const i of report.inputs) add(i.source, i.line, i.findings);
  for (const p of report.payloads) add(p.source, null, p.findings);
  return rows.map((row, i) => ({ row, i })).sort((a, b) => RANK[a.row.severity] - RANK[b.row.severity] || a.i - b.i).map(({ row }) => row);
}

/** Text for a Markdown table cell: invisible characters shown as \u{…}, one line, cut to `max` characters, no Markdown or HTML of its own. */
function cell(text: string, max = Infinity): string {
  const chars = Array.from(escapeForDisplay(text).replace(/\s+/g, ' '));
  const cut = chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
  return cut.replace(/[\\`*_[\]<>|~&]/g, '\\$&');
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The job summary: a heading, the counts, the findings (at most MAX_ROWS). */
function summaryOf(report: JsonReport, code: number, note: string | undefined): string {
  const s = report.summary;
  const verdict = code === EXIT_OK ? 'passed' : 'failed';
  const lines = [
    `## graph-mtls lint ${verdict}`,
    '',
    `${plural(s.certificates, 'certificate')} checked: **${plural(s.errors, 'error')}**, ${plural(s.warnings, 'warning')}, ${plural(s.notices, 'notice')}.`,
  ];
  if (note !== undefined) lines.push('', cell(note));
  const rows = rowsOf(report);
  if (rows.length === 0) lines.push('', 'No findings.');
  else {
    lines.push('', '| Severity | Rule | Where | Message |', '| --- | --- | --- | --- |');
    for (const r of rows.slice(0, MAX_ROWS)) lines.push(`| ${r.severity} | ${cell(r.code)} | ${cell(r.place)} | ${cell(r.message, MAX_MESSAGE)} |`);
    if (rows.length > MAX_ROWS) lines.push('', `… and ${plural(rows.length - MAX_ROWS, 'more finding')} not listed here (${rows.length} in all).`);
  }
  return `${lines.join('\n')}\n\n`;
}

function usageSummary(message: string): string {
  return `## graph-mtls lint could not run\n\n${cell(message)}\n\n`;
}

/** Appends to the file the runner names in `variable` (GITHUB_STEP_SUMMARY, GITHUB_OUTPUT); nothing outside a runner. */
function appendTo(env: Env, variable: string, text: string): void {
  const file = env[variable];
  if (file !== undefined && file !== '') appendFileSync(file, text);
}

/** An output as `name=value`, or in the runner's delimited form for a value of several lines. */
function outputLine(name: string, value: string): string {
  if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
  const delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/**
 * The message of a CLI usage error: its first line on stderr, which names the problem; with
 * nothing on stderr, nothing could be read, and the report says why (the first few reasons).
 */
function usageMessage(stderr: string, report: JsonReport | undefined): string {
  const first = stderr.split('\n').find((line) => line.trim() !== '');
  if (first !== undefined) return first;
  const why = report === undefined ? [] : rowsOf(report).map((r) => r.message);
  return `graph-mtls lint: nothing readable in the given paths${why.length === 0 ? '' : ` (${why.slice(0, 3).join('; ')}${why.length > 3 ? '; …' : ''})`}`;
}

function usageError(env: Env, message: string): number {
  process.stdout.write(`::error::${escapeData(escapeForDisplay(message))}\n`);
  appendTo(env, 'GITHUB_STEP_SUMMARY', usageSummary(message));
  return EXIT_USAGE;
}

async function run(env: Env): Promise<number> {
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  let inputs: Inputs;
  try {
    inputs = readInputs(env);
  } catch (error) {
    if (error instanceof InputError) return usageError(env, `graph-mtls action: ${error.message}`);
    throw error;
  }
  const options = [
    '--now', new Date().toISOString(),
    '--jobs', '1',
    // --name=value: a value that starts with - is still the value.
    ...(inputs.config === undefined ? [] : [`--config=${inputs.config}`]),
    ...(inputs.param === undefined ? [] : [`--param=${inputs.param}`]),
    ...(inputs.maxWarnings === undefined ? [] : [`--max-warnings=${inputs.maxWarnings}`]),
  ];
  const paths = ['--', ...inputs.paths];

  const temp = mkdtempSync(join(env['RUNNER_TEMP'] || tmpdir(), 'graph-mtls-action-'));
  let report: JsonReport;
  let first: Run;
  try {
    const json = join(temp, 'report.json');
    first = await lint([...options, '--format', 'json', `--output=${json}`, ...paths], workspace);
    if (first.code === EXIT_USAGE) {
      let partial: JsonReport | undefined;
      try {
        partial = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
      } catch {
        // A usage error before the report was begun.
      }
      return usageError(env, usageMessage(first.stderr, partial));
    }
    report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }

  // The same run again, for the annotations or the SARIF file: the same inputs, configuration and time.
  const sarifFile = resolve(workspace, inputs.sarifFile);
  if (inputs.format === 'sarif') {
    try {
      mkdirSync(dirname(sarifFile), { recursive: true });
    } catch (error) {
      return usageError(env, `graph-mtls action: input 'sarif-file': ${(error as Error).message}`);
    }
  }
  const second = inputs.format === 'github'
    ? await lint([...options, '--format', 'github', ...paths], workspace, process.stdout)
    : await lint([...options, '--format', 'sarif', `--output=${sarifFile}`, ...paths], workspace);
  if (second.code === EXIT_USAGE) return usageError(env, usageMessage(second.stderr, undefined));
  if (second.code !== first.code) process.stdout.write(`::warning::${escapeData(`the ${inputs.format} pass ended with exit code ${second.code}, the JSON pass with ${first.code}; the action uses ${first.code}`)}\n`);

  // What the CLI said on stderr (past --max-warnings): an annotation when it failed the run, else the log.
  const note = first.stderr.trim() === '' ? undefined : first.stderr.trim();
  if (note !== undefined) {
    if (first.code !== EXIT_OK) process.stdout.write(`::error::${escapeData(escapeForDisplay(note))}\n`);
    else process.stderr.write(`${note}\n`);
  }

  appendTo(env, 'GITHUB_STEP_SUMMARY', summaryOf(report, first.code, note));
  const s = report.summary;
  appendTo(
    env,
    'GITHUB_OUTPUT',
    outputLine('errors', String(s.errors)) +
      outputLine('warnings', String(s.warnings)) +
      outputLine('certificates', String(s.certificates)) +
      outputLine('sarif-file', inputs.format === 'sarif' ? sarifFile : ''),
  );
  return first.code;
}

try {
  process.exitCode = await run(process.env);
} catch (error) {
  // Not a finding and not a usage error: the action itself failed. Shown, then the trace in the log.
  process.stdout.write(`::error::${escapeData(`graph-mtls action failed: ${(error as Error).message}`)}\n`);
  throw error;
}
