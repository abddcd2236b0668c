// `graph-mtls verify`: will these devices authenticate against a configuration? Each device
// certificate is verified by the core's verifyDevice, with node:crypto's verifier, through the
// same pipeline as lint: files and bundles of any size are read as a stream, verified in
// batches in this thread or on worker threads, and the report is written as it comes.

import { closeSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { assertTlsClientAuthParameter, buildCreate, InputError, isGraphMtlsError, verifyAuthorities, type Finding, type TlsClientAuthParameter } from '@graph-mtls/core';
import { escapeForDisplay } from '@graph-mtls/core/encoding';
import { readCrls, readTrustConfiguration, type TrustConfiguration } from '@graph-mtls/core/verify';
import { createVerifier } from '../crypto.ts';
import { expandInputs, readCertificateFiles, readInput, systemError, type FileError, type InputProblem } from '../inputs.ts';
import { runPipeline, type PipelineResult, type Tuning } from '../pipeline/run.ts';
import { VerifyTally } from '../pipeline/verify-items.ts';
import { Output } from '../report/output.ts';
import { createVerifyDocument } from '../report/verify.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, VERSION, oneOf, openOutput, parseDays, parseNow, useColor, usage, type CliContext } from './context.ts';
import { parseJobs, progressLine, renderStats, type Unit } from './runs.ts';
import { CONNECTION, CONNECTION_HELP, connect, guard, readDesired } from './tenant.ts';

/**
 * When verification goes to worker threads. A worker costs about 90 ms to start and warms up
 * its own compiled code; measured on a 2-core VM (signed fleet devices, JSON to a file,
 * --jobs 1 and 2): a bundle of 10,000 devices (11 MB) takes as long either way (1.11 s), 20,000
 * take 1.75 s in this thread and 1.53 s on two workers, 40,000 3.33 s and 2.53 s; 12,000 files
 * of one device take 1.73 s and 1.76 s.
 */
const VERIFY_TUNING: Partial<Tuning> & Pick<Tuning, 'poolAboveFiles' | 'poolAboveBytes'> = { poolAboveFiles: 12_000, poolAboveBytes: 12 * 1024 * 1024, batchItems: 256 };

export const VERIFY_HELP: string = `Usage: graph-mtls verify --config <configuration.json> [options] <device certificate paths...>
       graph-mtls verify --tenant <id> [connection options] [options] <device certificate paths...>

Says, for each device certificate, whether it would authenticate against the configuration:
a path to one of its roots that passes every check (signatures by node:crypto, validity, CA
constraints, pathLenConstraint, keyUsage, nameConstraints, unknown critical extensions,
extendedKeyUsage clientAuth, revocation by the CRLs given), and the identity its
tlsClientAuthParameter selects. Paths are files, directories (read recursively), globs, or -
for stdin; PEM bundles, DER and PKCS#7 of any size are read as a stream. Nothing is sent
anywhere or fetched: a CRL URL of the configuration whose CRL is not given with --crl is
reported, not downloaded.

Options:
  --config <file>          the configuration: a create payload, a GET response, or a desired-state
                           file (CA paths, as plan and apply take it)
  --tenant <id>            the configuration in the tenant, by id (read with GET, as get does)
  --param <value>          tlsClientAuthParameter (default: the configuration's)
  --expect <value>         the value every device is registered under (RFC 8705 §2.1.2 matching)
  --expect-file <file>     CSV of device,expected: the value each device is registered under, the
                           device named by its path as given, or its SHA-256 or SHA-1 fingerprint
                           (hex); an optional header row starts with "device"
  --intermediates <file>   intermediates the devices present (PEM, DER, PKCS#7; repeatable)
  --crl <file>             CRLs of the CAs (DER, PEM, base64; repeatable)
  --now <ISO time>         judge validity at this time (default: now)
  --expiry-warning <days>  count the devices whose path expires within this many days (default 30)
  -f, --format <format>    text (default), json, sarif (GitHub code scanning) or github (annotations)
  -o, --output <file>      write the report to a file instead of stdout
  --jobs <n>               worker threads at most; 1 verifies in this thread. Default: every core,
                           used for runs large enough to gain from them (over ${VERIFY_TUNING.poolAboveFiles.toLocaleString('en-US')} files, or a
                           bundle or stdin over ${VERIFY_TUNING.poolAboveBytes / 1024 / 1024} MiB). The report is the same whatever the number
  --stats                  print files, devices, bytes, wall time, devices/s, MB/s, jobs and peak
                           RSS on stderr after the run
  --verbose                list on stderr the files a directory walk leaves out, and why

Exit codes: 0 every device would authenticate; 1 one would not (refused, or a signature could
not be verified) or an input could not be read; 2 usage error, or no device certificate at all.

Connection options (with --tenant):
${CONNECTION_HELP}

Examples:
  graph-mtls verify --config current.json devices/
  graph-mtls verify --config payload.json --expect IntuneDeviceId://5b0e3c1a-... door-camera-0042.pem
  graph-mtls verify --config payload.json --expect-file registered.csv --stats --format json --output verdicts.json fleet.pem
`;

const DEVICES: Unit = { noun: 'devices', rate: 'devices/s' };

export async function verifyCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      ...CONNECTION,
      config: { type: 'string' },
      tenant: { type: 'string' },
      param: { type: 'string' },
      expect: { type: 'string' },
      'expect-file': { type: 'string' },
      intermediates: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      now: { type: 'string' },
      'expiry-warning': { type: 'string' },
      output: { type: 'string', short: 'o' },
      jobs: { type: 'string' },
      stats: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    ctx.stdout.write(VERIFY_HELP);
    return EXIT_OK;
  }
  const format = oneOf(values.format, ['text', 'json', 'sarif', 'github'] as const, '--format', 'text');
  const now = parseNow(values.now);
  const expiryWarningDays = parseDays(values['expiry-warning'], '--expiry-warning') ?? 30;
  const jobs = parseJobs(values.jobs);
  if ((values.config === undefined) === (values.tenant === undefined)) throw new UsageError('expected either --config <configuration.json> (a create payload, a GET response or a desired-state file) or --tenant <id>');
  if (values.expect !== undefined && values['expect-file'] !== undefined) throw new UsageError('expected --expect or --expect-file, not both');
  if (positionals.length === 0) throw new UsageError('expected at least one device certificate path');
  const parameter = values.param === undefined ? undefined : usage(() => assertTlsClientAuthParameter(values.param));
  const expectations = values['expect-file'] === undefined ? undefined : readExpectations(resolve(ctx.cwd, values['expect-file']), values['expect-file'], ctx.cwd);
  const settings: VerifySettings = { ...values, verbose: values.verbose, format, expiryWarningDays, jobs, now, parameter, expectations, jobsGiven: values.jobs !== undefined };
  if (values.tenant !== undefined) {
    const client = connect(values, ctx, 'read');
    const id = values.tenant;
    return guard(ctx, async () => run(ctx, settings, positionals, configurationFrom(await client.get(id), `tenant ${id}`), `tenant ${id}`));
  }
  return run(ctx, settings, positionals, await readConfiguration(resolve(ctx.cwd, values.config!), values.config!, now), values.config!);
}

interface VerifySettings {
  readonly format: 'text' | 'json' | 'sarif' | 'github';
  readonly expiryWarningDays: number;
  readonly now: Date;
  readonly parameter: TlsClientAuthParameter | undefined;
  readonly expect?: string;
  readonly expectations: readonly (readonly [string, string])[] | undefined;
  readonly intermediates?: string[];
  readonly crl?: string[];
  readonly output?: string;
  readonly jobs: number;
  readonly jobsGiven: boolean;
  readonly stats: boolean;
  readonly verbose: boolean;
}

/** The configuration as verify reads it, and as its JSON for the worker threads to read again. */
interface ReadConfiguration {
  readonly configuration: TrustConfiguration;
  readonly problems: readonly Finding[];
  readonly json: string;
}

function configurationFrom(body: unknown, source: string): ReadConfiguration {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  return { ...usage(() => readTrustConfiguration(json, { source })), json };
}

/** Verifies the devices of `positionals` against the configuration read from `source`, and reports as it goes. */
async function run(ctx: CliContext, settings: VerifySettings, positionals: readonly string[], read: ReadConfiguration, source: string): Promise<number> {
  const { format, now } = settings;
  if ((settings.parameter ?? read.configuration.tlsClientAuthParameter) === undefined) throw new UsageError(`${source} names no tlsClientAuthParameter: give --param`);
  const started = performance.now();
  // What is not a device is read here, once; its problems are reported first, like an unreadable input.
  const problems: InputProblem[] = read.problems.map((f) => ({ code: f.errorCode ?? f.code, message: `${source}: ${f.message}`, source }));
  const intermediates: Uint8Array[] = [];
  if (settings.intermediates !== undefined) {
    for (const entry of await readCertificateFiles(settings.intermediates, ctx.cwd, ctx.stdin, problems)) intermediates.push(entry.certificate.der);
  }
  const crls: Uint8Array[] = [];
  const crlFiles = settings.crl === undefined ? { files: [], errors: [] } : await expandInputs(settings.crl, ctx.cwd);
  for (const e of crlFiles.errors) problems.push({ code: e.code, message: e.message, source: e.source });
  for (const file of crlFiles.files) {
    try {
      const found = readCrls(await readInput(file, ctx.stdin), { source: file.source });
      for (const c of found.crls) crls.push(c.crl.der);
      for (const p of found.problems) problems.push({ code: p.error.code, message: p.error.message, source: file.source });
    } catch (error) {
      const e = error instanceof InputError ? error : systemError(file.source, error);
      problems.push({ code: e.code, message: e.message, source: file.source });
    }
  }

  const verbose = settings.verbose;
  const { files, errors } = await expandInputs(positionals, ctx.cwd, verbose ? (source, why) => ctx.stderr.write(`skipped: ${escapeForDisplay(source)} (${why})\n`) : undefined);
  const unreadable: FileError[] = [...problems, ...errors];
  const target = settings.output === undefined ? ctx.stdout : openOutput(resolve(ctx.cwd, settings.output));
  const render = { format, color: settings.output === undefined && useColor(ctx, ctx.stdout), quiet: false };
  const out = new Output(target);
  const doc = createVerifyDocument(render, out, new Output(ctx.stderr), { now, version: VERSION, expiryWarningDays: settings.expiryWarningDays });
  // On a TTY, unless the text report goes to the same terminal (its lines are the progress).
  const progress = ctx.stderr.isTTY === true && !(format === 'text' && settings.output === undefined && ctx.stdout.isTTY === true) ? progressLine(ctx.stderr, started, DEVICES) : undefined;
  const tally = new VerifyTally();
  let pipeline: PipelineResult;
  try {
    await doc.begin();
    pipeline = await runPipeline(files, unreadable, doc, {
      tally,
      job: {
        kind: 'verify',
        now: now.getTime(),
        render,
        configuration: read.json,
        ...(settings.parameter === undefined ? {} : { parameter: settings.parameter }),
        ...(settings.expect === undefined ? {} : { expected: settings.expect }),
        ...(settings.expectations === undefined ? {} : { expectations: settings.expectations, cwd: ctx.cwd }),
        intermediates,
        crls,
        expiryWarningDays: settings.expiryWarningDays,
      },
      jobs: settings.jobs,
      tuning: settings.jobsGiven ? { ...VERIFY_TUNING, poolAboveFiles: 64, poolAboveBytes: 256 * 1024, streamAbove: 256 * 1024 } : VERIFY_TUNING,
      stdin: ctx.stdin,
      ...(progress === undefined ? {} : { onProgress: progress.update }),
    });
    progress?.end();
    await doc.end(tally, pipeline.inputs);
    await out.flush();
  } finally {
    await doc.close();
    if ('file' in target) closeSync(target.file);
  }
  if (settings.stats) {
    ctx.stderr.write(renderStats({ files: files.length, certificates: tally.devices, bytes: pipeline.bytes, seconds: (performance.now() - started) / 1000, threads: pipeline.threads }, DEVICES));
  }
  if (tally.devices === 0 && tally.problems === 0) return EXIT_USAGE;
  return tally.refused > 0 || tally.notVerified > 0 || tally.problems > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * --expect-file: CSV (RFC 4180: fields may be quoted, "" is a quote) of two fields a row, the
 * device and the value it is registered under. The device is its path as given on the command
 * line (or as found in a directory), or its SHA-256 or SHA-1 fingerprint in hex (colons and
 * case do not matter). An optional header row whose first field is "device" is skipped.
 */
export function readExpectations(path: string, shown: string, cwd: string): [string, string][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--expect-file ${shown}: ${(error as Error).message}`);
  }
  const out: [string, string][] = [];
  let line = 0;
  for (const row of csvRows(text.replace(/^\uFEFF/, ''), shown)) {
    line = row.line;
    if (row.fields.length === 1 && row.fields[0] === '') continue;
    if (out.length === 0 && row.fields[0]!.trim().toLowerCase() === 'device') continue;
    if (row.fields.length !== 2) throw new UsageError(`--expect-file ${shown}, line ${line}: expected two fields (device,expected), received ${row.fields.length}`);
    const [device, expected] = row.fields as [string, string];
    const hex = device.replace(/:/g, '').toLowerCase();
    // A fingerprint as lower-case hex; a path resolved, as the devices' paths are looked up.
    const key = /^([0-9a-f]{64}|[0-9a-f]{40})$/.test(hex) ? hex : resolve(cwd, device);
    if (expected === '') throw new UsageError(`--expect-file ${shown}, line ${line}: expected a value for ${key.slice(0, 80)}, received an empty field`);
    out.push([key, expected]);
  }
  if (out.length === 0) throw new UsageError(`--expect-file ${shown}: expected rows of device,expected, received none`);
  return out;
}

/** RFC 4180 rows, each with the line it starts on; an unterminated quote is a usage error. */
function* csvRows(text: string, shown: string): Generator<{ fields: string[]; line: number }> {
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new UsageError(`--expect-file ${shown}, line ${start}: a quoted field is not closed`);
          const c = text[i++]!;
          if (c === '"') {
            if (text[i] === '"') {
              field += '"';
              i++;
            } else break;
          } else {
            if (c === '\n') line++;
            field += c;
          }
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
    yield { fields, line: start };
  }
}

/** The configuration: a create payload or a GET response, or a desired-state file (CA paths), whose CAs are read and classified as build would. */
async function readConfiguration(path: string, shown: string, now: Date): Promise<ReadConfiguration> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${shown}: ${(error as Error).message}`);
  }
  if (!isDesiredState(text)) return configurationFrom(text, shown);
  const desired = await readDesired(path);
  const selfSignatures = await verifyAuthorities(desired.certificateAuthorities, createVerifier());
  try {
    const { body } = buildCreate({ tlsClientAuthParameter: desired.tlsClientAuthParameter, certificateAuthorities: desired.certificateAuthorities }, { now, selfSignatures });
    return configurationFrom(body, shown);
  } catch (error) {
    if (isGraphMtlsError(error)) throw new UsageError(`--config ${shown}: ${error.message}`);
    throw error;
  }
}

/** A desired-state file names its CAs by path (a string, or an object with `path`), not by base64. */
function isDesiredState(text: string): boolean {
  try {
    const list = (JSON.parse(text) as { certificateAuthorities?: unknown } | null)?.certificateAuthorities;
    return Array.isArray(list) && list.some((e) => typeof e === 'string' || (typeof e === 'object' && e !== null && 'path' in e));
  } catch {
    return false; // readTrustConfiguration says what is wrong.
  }
}

