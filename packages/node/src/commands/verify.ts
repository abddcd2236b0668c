// `graph-mtls verify`: will these devices authenticate against a configuration? Each device
// certificate is verified by the core's verifyDevice, with node:crypto's verifier.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assertTlsClientAuthParameter, buildCreate, InputError, isGraphMtlsError, LintTally, unreadableInput, verifyAuthorities, type Certificate, type Finding, type LintItem, type TlsClientAuthParameter } from '@graph-mtls/core';
import { escapeForDisplay } from '@graph-mtls/core/encoding';
import { readCrls, readTrustConfiguration, verifyDevice, type CertificateList, type DeviceVerification, type TrustConfiguration } from '@graph-mtls/core/verify';
import { createVerifier } from '../crypto.ts';
import { expandInputs, readCertificateFiles, readInput, systemError, type InputProblem } from '../inputs.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, VERSION, oneOf, parseDays, parseNow, useColor, type CliContext } from './context.ts';
import { createDocument, createRenderer } from '../report/format.ts';
import { Output } from '../report/output.ts';
import { renderFindings } from './findings-text.ts';
import { CONNECTION, CONNECTION_HELP, connect, guard, readDesired } from './tenant.ts';

export const VERIFY_HELP: string = `Usage: graph-mtls verify --config <configuration.json> [options] <device certificate paths...>
       graph-mtls verify --tenant <id> [connection options] [options] <device certificate paths...>

Says, for each device certificate, whether it would authenticate against the configuration:
a path to one of its roots that passes every check (signatures by node:crypto, validity, CA
constraints, pathLenConstraint, keyUsage, nameConstraints, unknown critical extensions,
extendedKeyUsage clientAuth, revocation by the CRLs given), and the identity its
tlsClientAuthParameter selects. Nothing is sent anywhere or fetched: a CRL URL of the
configuration whose CRL is not given with --crl is reported, not downloaded. Exit 0 when every device would authenticate, 1 when one would not or an input
could not be read, 2 for a usage error.

Options:
  --config <file>          the configuration: a create payload, a GET response, or a desired-state
                           file (CA paths, as plan and apply take it)
  --tenant <id>            the configuration in the tenant, by id (read with GET, as get does)
  --param <value>          tlsClientAuthParameter (default: the configuration's)
  --expect <value>         the value each device is registered under (RFC 8705 §2.1.2 matching)
  --intermediates <file>   intermediates the devices present (PEM, DER, PKCS#7; repeatable)
  --crl <file>             CRLs of the CAs (DER, PEM, base64; repeatable)
  --now <ISO time>         judge validity at this time (default: now)
  --expiry-warning <days>  count the devices whose path expires within this many days (default 30)
  --format <format>        text (default), json, sarif (GitHub code scanning) or github (annotations)

Connection options (with --tenant):
${CONNECTION_HELP}

Examples:
  graph-mtls verify --config current.json devices/
  graph-mtls verify --config payload.json --expect IntuneDeviceId://5b0e3c1a-... door-camera-0042.pem
`;

/** The JSON contract of \`verify --format json\`. */
const JSON_VERSION = 1;

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
      intermediates: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      now: { type: 'string' },
      'expiry-warning': { type: 'string' },
    },
  });
  if (values.help) {
    ctx.stdout.write(VERIFY_HELP);
    return EXIT_OK;
  }
  const format = oneOf(values.format, ['text', 'json', 'sarif', 'github'] as const, '--format', 'text');
  const now = parseNow(values.now);
  const expiryWarningDays = parseDays(values['expiry-warning'], '--expiry-warning') ?? 30;
  if ((values.config === undefined) === (values.tenant === undefined)) throw new UsageError('expected either --config <configuration.json> (a create payload, a GET response or a desired-state file) or --tenant <id>');
  if (positionals.length === 0) throw new UsageError('expected at least one device certificate path');
  const parameter = values.param === undefined ? undefined : usage(() => assertTlsClientAuthParameter(values.param));
  if (values.tenant !== undefined) {
    const client = connect(values, ctx, 'read');
    const id = values.tenant;
    return guard(ctx, async () => run(ctx, { ...values, format, expiryWarningDays }, positionals, parameter, now, readTrustConfiguration(await client.get(id), { source: `tenant ${id}` }), `tenant ${id}`));
  }
  return run(ctx, { ...values, format, expiryWarningDays }, positionals, parameter, now, await readConfiguration(resolve(ctx.cwd, values.config!), values.config!, now), values.config!);
}

interface VerifyValues {
  readonly format: 'text' | 'json' | 'sarif' | 'github';
  readonly expiryWarningDays: number;
  readonly expect?: string;
  readonly intermediates?: string[];
  readonly crl?: string[];
}

/** Verifies the devices of `positionals` against the configuration read from `source`, and reports. */
async function run(
  ctx: CliContext,
  values: VerifyValues,
  positionals: readonly string[],
  parameter: TlsClientAuthParameter | undefined,
  now: Date,
  read: { readonly configuration: TrustConfiguration; readonly problems: readonly Finding[] },
  source: string,
): Promise<number> {
  const { format } = values;
  const { configuration } = read;
  if ((parameter ?? configuration.tlsClientAuthParameter) === undefined) throw new UsageError(`${source} names no tlsClientAuthParameter: give --param`);
  const problems: InputProblem[] = read.problems.map((f) => ({ code: f.errorCode ?? f.code, message: `${source}: ${f.message}`, source }));
  const intermediates: Certificate[] = [];
  if (values.intermediates !== undefined) {
    for (const entry of await readCertificateFiles(values.intermediates, ctx.cwd, ctx.stdin, problems)) intermediates.push(entry.certificate);
  }

  const crls: CertificateList[] = [];
  const crlFiles = values.crl === undefined ? { files: [], errors: [] } : await expandInputs(values.crl, ctx.cwd);
  for (const e of crlFiles.errors) problems.push({ code: e.code, message: e.message, source: e.source });
  for (const file of crlFiles.files) {
    try {
      const read = readCrls(await readInput(file, ctx.stdin), { source: file.source });
      for (const c of read.crls) crls.push(c.crl);
      for (const p of read.problems) problems.push({ code: p.error.code, message: p.error.message, source: file.source });
    } catch (error) {
      const e = error instanceof InputError ? error : systemError(file.source, error);
      problems.push({ code: e.code, message: e.message, source: file.source });
    }
  }

  const verifier = createVerifier();
  const results: VerifiedDevice[] = [];
  const options = { now, verifier, intermediates, crls, ...(parameter === undefined ? {} : { parameter }), ...(values.expect === undefined ? {} : { expected: values.expect }) };
  for (const entry of await readCertificateFiles(positionals, ctx.cwd, ctx.stdin, problems)) {
    const result = await verifyDevice(entry.certificate, configuration, options);
    results.push({ source: entry.location.source ?? '', index: entry.location.index ?? 0, line: entry.location.line ?? null, sha256: entry.certificate.sha256, result });
  }

  const counts = { trusted: 0, 'not-verified': 0, refused: 0 };
  for (const r of results) counts[r.result.outcome]++;
  const fleet = fleetSummary(results, now, values.expiryWarningDays);
  if (format === 'json') {
    const devices = results.map((r) => ({
      source: r.source,
      index: r.index,
      line: r.line,
      sha256: r.sha256,
      outcome: r.result.outcome,
      path: r.result.path?.map((m) => ({ role: m.role, origin: m.origin, subject: m.certificate.subjectDn, sha256: m.certificate.sha256, notAfter: m.certificate.notAfter.toISOString() })) ?? null,
      identity: { parameter: r.result.identity.parameter, values: r.result.identity.values, matched: r.result.identity.matched ?? null },
      findings: r.result.findings.map(jsonFinding),
      attempts: r.result.attempts.map((a) => ({ subjects: a.subjects, refusedBy: a.refusedBy ?? null })),
    }));
    ctx.stdout.write(JSON.stringify({ version: JSON_VERSION, now: now.toISOString(), devices, problems, summary: { devices: results.length, ...counts, problems: problems.length, byIssuer: fleet.byIssuer, expiring: fleet.expiring, expiryWarningDays: values.expiryWarningDays } }, null, 2) + '\n');
  } else if (format === 'sarif' || format === 'github') {
    await writeAnnotated(ctx, format, now, results, problems);
  } else {
    const color = useColor(ctx, ctx.stdout);
    for (const r of results) {
      const { outcome, path, identity } = r.result;
      const chain = path === undefined ? '' : `  ${path.slice(1).map((m) => escapeForDisplay(m.certificate.subjectDn)).join(' <- ')}`;
      ctx.stdout.write(`${escapeForDisplay(r.source)}#${r.index + 1}: ${OUTCOME_TEXT[outcome]}${chain}\n`);
      ctx.stdout.write(`  ${identity.parameter}: ${identity.values.length === 0 ? '(no value)' : identity.values.map((v) => escapeForDisplay(v)).join(', ')}${identity.matched === undefined ? '' : '  (matches)'}\n`);
      if (r.result.findings.length > 0) ctx.stdout.write(renderFindings(r.result.findings, color).replace(/^(?=.)/gm, '  '));
    }
    for (const p of problems) ctx.stderr.write(`error: ${escapeForDisplay(p.message)}\n`);
    for (const i of fleet.byIssuer) ctx.stdout.write(`  ${escapeForDisplay(i.issuer || '(no path)')}: ${i.trusted} trusted, ${i['not-verified']} not verified, ${i.refused} refused\n`);
    ctx.stdout.write(`${results.length} device${results.length === 1 ? '' : 's'}: ${counts.trusted} trusted, ${counts['not-verified']} not verified, ${counts.refused} refused${fleet.expiring > 0 ? `; ${fleet.expiring} with a path that expires within ${values.expiryWarningDays} days` : ''}${problems.length > 0 ? `; ${problems.length} input problem${problems.length === 1 ? '' : 's'}` : ''}\n`);
  }
  if (results.length === 0 && problems.length === 0) return EXIT_USAGE;
  return counts.refused > 0 || counts['not-verified'] > 0 || problems.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * SARIF and GitHub annotations, through lint's renderers: each finding placed at its device's
 * file and PEM line, each input problem at its file (INPUT_FILE_UNREADABLE).
 */
async function writeAnnotated(ctx: CliContext, format: 'sarif' | 'github', now: Date, results: readonly VerifiedDevice[], problems: readonly InputProblem[]): Promise<void> {
  const render = { format, color: false, quiet: false } as const;
  const out = new Output(ctx.stdout);
  const doc = createDocument(render, out, { now, version: VERSION });
  const renderer = createRenderer(render);
  const tally = new LintTally();
  const items: LintItem[] = [
    ...problems.map((p) => unreadableInput(p.source, p.message, p.code)),
    ...results.map((r): LintItem => {
      const location = { source: r.source, index: r.index, ...(r.line === null ? {} : { line: r.line }) };
      return { type: 'input', location, findings: r.result.findings.map((f) => ({ ...f, location })) };
    }),
  ];
  try {
    await doc.begin();
    for (const item of items) {
      const source = item.type === 'input' ? (item.location.source ?? '') : '';
      doc.startInput(source);
      renderer.add(item, source);
      tally.add(item);
      await doc.add(renderer.take());
      await doc.endInput();
    }
    await doc.end({ ...tally, certificates: results.length }, items.length);
    await out.flush();
  } finally {
    await doc.close();
  }
}

/**
 * The fleet by issuing CA (the certificate that signed the device, in input order of first
 * sight; '' when no path was found), and the devices whose path (any certificate of it)
 * expires within the warning window.
 */
function fleetSummary(results: readonly VerifiedDevice[], now: Date, days: number): { byIssuer: { issuer: string; trusted: number; 'not-verified': number; refused: number }[]; expiring: number } {
  const byIssuer = new Map<string, { issuer: string; trusted: number; 'not-verified': number; refused: number }>();
  const until = now.getTime() + days * 86_400_000;
  let expiring = 0;
  for (const r of results) {
    const issuer = r.result.path?.[1]?.certificate.subjectDn ?? '';
    let row = byIssuer.get(issuer);
    if (row === undefined) byIssuer.set(issuer, (row = { issuer, trusted: 0, 'not-verified': 0, refused: 0 }));
    row[r.result.outcome]++;
    if (r.result.outcome !== 'refused' && r.result.path!.some((m) => m.certificate.notAfterTime < until)) expiring++;
  }
  return { byIssuer: [...byIssuer.values()], expiring };
}

interface VerifiedDevice {
  readonly source: string;
  readonly index: number;
  readonly line: number | null;
  readonly sha256: string;
  readonly result: DeviceVerification;
}

const OUTCOME_TEXT = { trusted: 'trusted', 'not-verified': 'not verified (a signature could not be checked)', refused: 'refused' } as const;

function jsonFinding(f: Finding): Record<string, unknown> {
  return { code: f.code, severity: f.severity, message: f.message, citation: f.citation, evidence: f.evidence, ref: f.ref ?? null };
}

/** The configuration: a create payload or a GET response, or a desired-state file (CA paths), whose CAs are read and classified as build would. */
async function readConfiguration(path: string, shown: string, now: Date): Promise<{ configuration: TrustConfiguration; problems: readonly Finding[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${shown}: ${(error as Error).message}`);
  }
  if (!isDesiredState(text)) return usage(() => readTrustConfiguration(text, { source: shown }));
  const desired = await readDesired(path);
  const selfSignatures = await verifyAuthorities(desired.certificateAuthorities, createVerifier());
  try {
    const { body } = buildCreate({ tlsClientAuthParameter: desired.tlsClientAuthParameter, certificateAuthorities: desired.certificateAuthorities }, { now, selfSignatures });
    return readTrustConfiguration(body, { source: shown });
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

/** A coded argument error becomes a usage error (exit 2). */
function usage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isGraphMtlsError(error) && error.kind === 'argument') throw new UsageError(error.message);
    throw error;
  }
}
