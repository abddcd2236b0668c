// `graph-mtls lint`: pre-flight lint of CA certificates and payload files for CI.

import { closeSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { assertTlsClientAuthParameter, isGraphMtlsError, readRuleConfig, type TlsClientAuthParameter } from '@graph-mtls/core';
import { escapeForDisplay } from '@graph-mtls/core/encoding';
import { expandInputs } from '../inputs.ts';
import { LintRunTally, type LintJob } from '../pipeline/lint-items.ts';
import { plural } from '../report/plural.ts';
import { parseJobs, progressLine, renderStats } from './runs.ts';
import { GIVEN_JOBS_TUNING, runPipeline, type PipelineResult } from '../pipeline/run.ts';
import { createDocument } from '../report/format.ts';
import { Output } from '../report/output.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, VERSION, oneOf, openOutput, parseDays, parseNow, useColor, type CliContext } from './context.ts';

export const LINT_HELP = `Usage: graph-mtls lint [options] <paths...>

Checks CA certificates (and device certificates, with --param) the way Microsoft Graph's
mutualTlsOauthConfiguration does, and payload JSON files as Graph would parse them, before
anything is sent. Paths are files, directories (read recursively), globs, or - for stdin.
Certificates may be PEM (bundles too), DER, bare base64 or PKCS#7 (.p7b); files whose
content starts with { or [ are payloads.

Options:
  --profile <name>          rule profile (default: graph)
  --now <ISO time>          judge validity at this time (default: now)
  --expiry-warning <days>   warn when a certificate expires within this many days (default: 30)
  --param <value>           tlsClientAuthParameter: certificates that are not CAs are checked as
                            device certificates and must carry this field (tls_client_auth_subject_dn,
                            tls_client_auth_san_dns, _san_uri, _san_ip, _san_email)
  --payload <kind>          judge JSON payloads as create, update or auto (default: auto, i.e.
                            create when the body has tlsClientAuthParameter)
  --strict                  warnings fail too (exit 1)
  --max-warnings <n>        more than n warnings fail (exit 1)
  --config <file>           rule configuration (default: graph-mtls.config.json in this folder or the
                            nearest one above): rules turned off or given another severity, for all
                            paths or per path pattern ("overrides")
  --no-config               use no configuration file
  --write-baseline <file>   record every finding of this run in <file> (commit it)
  --baseline <file>         leave out the findings <file> recorded: report only new ones
  -f, --format <format>     text (default), json, sarif or github
  -o, --output <file>       write the report to a file instead of stdout
  -q, --quiet               text format: show errors only
  --jobs <n>                worker threads at most; 1 lints in this thread. Default: every core, used
                            only for runs large enough to gain from them (over 30,000 files, or a
                            bundle or stdin over 40 MiB); with --jobs given, for over 64 files or
                            4 MiB. Large bundles and stdin are read in pieces either way. The
                            report is the same whatever the number
  --stats                   print files, certificates, bytes, wall time, certs/s, MB/s, jobs and
                            peak RSS on stderr after the run
  --verbose                 list on stderr the files a directory walk leaves out, and why
  -h, --help                show this help

Exit codes: 0 no errors (warnings allowed unless --strict or past --max-warnings); 1 error findings;
2 usage error, or nothing readable at all.

Examples:
  graph-mtls lint certs/
  graph-mtls lint --format sarif --output graph-mtls.sarif 'pki/**/*.pem' payload.json
  cat root.pem | graph-mtls lint -
  graph-mtls lint --param tls_client_auth_san_uri devices/
  graph-mtls lint --format json --stats --output report.json pki/
`;

export async function lintCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      profile: { type: 'string' },
      now: { type: 'string' },
      'expiry-warning': { type: 'string' },
      param: { type: 'string' },
      payload: { type: 'string' },
      strict: { type: 'boolean', default: false },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      quiet: { type: 'boolean', short: 'q', default: false },
      jobs: { type: 'string' },
      stats: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      config: { type: 'string' },
      'no-config': { type: 'boolean', default: false },
      'max-warnings': { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    ctx.stdout.write(LINT_HELP);
    return EXIT_OK;
  }
  oneOf(values.profile, ['graph'], '--profile', 'graph');
  const format = oneOf(values.format, ['text', 'json', 'sarif', 'github'] as const, '--format', 'text');
  const payloadKind = oneOf(values.payload, ['auto', 'create', 'update'] as const, '--payload', 'auto');
  const now = parseNow(values.now);
  const expiryWarningDays = parseDays(values['expiry-warning'], '--expiry-warning');
  let parameter: TlsClientAuthParameter | undefined;
  if (values.param !== undefined) {
    try {
      parameter = assertTlsClientAuthParameter(values.param);
    } catch (error) {
      throw new UsageError(`--param: ${isGraphMtlsError(error) ? error.reason : String(error)}`);
    }
  }
  const jobs = parseJobs(values.jobs);
  const verbose = values.verbose;
  const maxWarnings = values['max-warnings'] === undefined ? undefined : parseCount(values['max-warnings'], '--max-warnings');
  if (positionals.length === 0) throw new UsageError('expected at least one path (a file, a directory, a glob, or - for stdin)');
  if (values.config !== undefined && values['no-config']) throw new UsageError('expected --config <file> or --no-config, not both');
  const rules = values['no-config'] ? undefined : readLintConfig(values.config, ctx.cwd);
  if (values.baseline !== undefined && values['write-baseline'] !== undefined) throw new UsageError('expected --baseline <file> or --write-baseline <file>, not both');
  const baseline = values.baseline !== undefined ? readBaseline(resolve(ctx.cwd, values.baseline), values.baseline, ctx.cwd) : values['write-baseline'] !== undefined ? { record: true, base: dirname(resolve(ctx.cwd, values['write-baseline'])), cwd: ctx.cwd } : undefined;

  const started = performance.now();
  const { files, errors } = await expandInputs(positionals, ctx.cwd, verbose ? (source, why) => ctx.stderr.write(`skipped: ${escapeForDisplay(source)} (${why})\n`) : undefined);
  const target = values.output === undefined ? ctx.stdout : openOutput(resolve(ctx.cwd, values.output));
  const render = { format, color: values.output === undefined && useColor(ctx, ctx.stdout), quiet: values.quiet };
  const out = new Output(target);
  const doc = createDocument(render, out, { now, version: VERSION });
  const progress = format === 'text' && ctx.stderr.isTTY === true ? progressLine(ctx.stderr, started) : undefined;
  const tally = new LintRunTally();
  let run: PipelineResult;
  try {
    await doc.begin();
    run = await runPipeline(files, errors, doc, {
      tally,
      job: {
        kind: 'lint',
        now: now.getTime(),
        ...(rules === undefined ? {} : { rules }),
        ...(baseline === undefined ? {} : { baseline }),
        payloadKind,
        render,
        ...(parameter === undefined ? {} : { parameter }),
        ...(expiryWarningDays === undefined ? {} : { expiryWarningDays }),
      },
      jobs,
      ...(values.jobs === undefined ? {} : { tuning: GIVEN_JOBS_TUNING }),
      stdin: ctx.stdin,
      ...(progress === undefined ? {} : { onProgress: progress.update }),
    });
    progress?.end();
    await doc.end(tally.totals, run.inputs);
    await out.flush();
  } finally {
    await doc.close();
    if ('file' in target) closeSync(target.file);
  }
  if (values.stats) {
    ctx.stderr.write(renderStats({ files: files.length, certificates: tally.totals.certificates, bytes: run.bytes, seconds: (performance.now() - started) / 1000, threads: run.threads }));
  }

  if (values['write-baseline'] !== undefined) {
    const written = writeBaseline(resolve(ctx.cwd, values['write-baseline']), tally.fingerprints);
    ctx.stderr.write(`graph-mtls: baseline written to ${values['write-baseline']}: ${plural(written, 'finding')}\n`);
  }
  if (tally.baselined > 0) ctx.stderr.write(`graph-mtls: ${plural(tally.baselined, 'finding')} left out: in the baseline ${values.baseline}\n`);
  const totals = tally.totals;
  if (!totals.readable) return EXIT_USAGE;
  if (totals.errors > 0 || (values.strict && totals.warnings > 0)) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && totals.warnings > maxWarnings) {
    ctx.stderr.write(`graph-mtls: ${plural(totals.warnings, 'warning')}, more than --max-warnings ${maxWarnings}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/** The version of the baseline file's format. */
const BASELINE_VERSION = 1;

/** --baseline: the fingerprints a file recorded (written by --write-baseline). */
function readBaseline(path: string, shown: string, cwd: string): NonNullable<LintJob['baseline']> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--baseline ${shown}: ${error instanceof SyntaxError ? `not JSON (${error.message})` : (error as Error).message}`);
  }
  const { version, findings } = (data ?? {}) as { version?: unknown; findings?: unknown };
  if (version !== BASELINE_VERSION || !Array.isArray(findings) || !findings.every((f) => typeof f === 'string')) {
    throw new UsageError(`--baseline ${shown}: expected { "version": ${BASELINE_VERSION}, "findings": [strings] } as --write-baseline writes it`);
  }
  return { known: findings as string[], record: false, base: dirname(path), cwd };
}

/** --write-baseline: the fingerprints, each once and sorted (a stable file to commit); returns how many. */
function writeBaseline(path: string, fingerprints: readonly string[]): number {
  const findings = [...new Set(fingerprints)].sort();
  try {
    writeFileSync(path, JSON.stringify({ version: BASELINE_VERSION, findings }, null, 2) + '\n');
  } catch (error) {
    throw new UsageError(`--write-baseline ${path}: ${(error as Error).message}`);
  }
  return findings.length;
}

/** A whole number, 0 or more. */
function parseCount(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`${option}: expected a whole number (0 or more), received '${value}'`);
  return n;
}

/** The rule configuration file: the one given with --config, else graph-mtls.config.json in the working directory or the nearest folder above it. */
export const CONFIG_FILE = 'graph-mtls.config.json';

function readLintConfig(given: string | undefined, cwd: string): NonNullable<LintJob['rules']> | undefined {
  let path: string | undefined;
  if (given !== undefined) path = resolve(cwd, given);
  else {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      if (existsSync(join(dir, CONFIG_FILE))) {
        path = join(dir, CONFIG_FILE);
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  if (path === undefined) return undefined;
  const shown = given ?? path;
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config ${shown}: ${error instanceof SyntaxError ? `not JSON (${error.message})` : (error as Error).message}`);
  }
  try {
    // Checked here, so a mistake is a usage error before anything is read; each thread reads it again.
    readRuleConfig(config, { source: shown });
  } catch (error) {
    if (isGraphMtlsError(error)) throw new UsageError(error.message);
    throw error;
  }
  return { config, source: shown, base: dirname(path), cwd };
}
