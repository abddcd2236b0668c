// The commands that talk to a tenant: `plan` and `apply` (make the tenant match a
// desired-state file, terraform-like), `list`, `get` and `delete`. Token from --token-env VAR
// (default GRAPH_TOKEN); --base-url points at another Graph root, e.g. the local emulator.

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  GraphError,
  assertTlsClientAuthParameter,
  buildCreate,
  buildUpdate,
  verifyAuthorities,
  isGraphMtlsError,
  type CertificateAuthorityInput,
  type Finding,
  type TlsClientAuthParameter,
} from '@graph-mtls/core';
import { escapeForDisplay as shown } from '@graph-mtls/core/encoding';
import { readTrustConfiguration, rotationImpact } from '@graph-mtls/core/verify';
import {
  GraphPreflightError,
  GraphUnconfirmedError,
  checkToken,
  filterByDisplayName,
  inspectToken,
  type Cloud,
  type GraphClient,
  type MutualTlsOauthConfiguration,
} from '@graph-mtls/core/graph';
import { createVerifier } from '../crypto.ts';
import { readCertificateFiles, type InputProblem } from '../inputs.ts';
import { createClient } from '../graph-client.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError, oneOf, type CliContext } from './context.ts';
import { renderFindings } from '../report/findings-text.ts';
import { plural } from '../report/plural.ts';

const CONNECTION_OPTIONS = `  --base-url <url>          Graph's root (default https://graph.microsoft.com; /beta is added);
                            https, or http to a loopback host such as the emulator's
  --cloud <name>            global (default), usGov, usGovDoD or china
  --token-env <VAR>         read the bearer token from this environment variable (default GRAPH_TOKEN)
  -h, --help                show this help`;

export const PLAN_HELP: string = `Usage: graph-mtls plan [options] <config.json>
       graph-mtls apply [options] <config.json>

plan shows what apply would change to make the tenant match a desired-state file: create the
configuration, CAs added, removed and kept, displayName changed. apply makes the change, and
does nothing when the tenant already matches. The file:

  {
    "displayName": "Contoso door cameras",          // how the configuration is found (or "id")
    "tlsClientAuthParameter": "tls_client_auth_san_uri",
    "certificateAuthorities": ["certs/root.pem", { "path": "certs/issuing.pem", "certificateRevocationListUrl": "http://pki.example/issuing.crl" }]
  }

CA paths are relative to the file; isRootAuthority is derived from each certificate.
tlsClientAuthParameter cannot change on an existing configuration (delete and create it).

With --devices, each device certificate is verified against the configuration today and as
planned, and plan lists the devices that would lose their path to a root (and those that
gain one, or keep one only through a CA expiring within 30 days). apply refuses a change that
strands devices unless --allow-stranding is given.

Options:
  --devices <paths>         device certificates to judge the change by (repeatable)
  --allow-stranding         apply even when devices would lose their path
${CONNECTION_OPTIONS}
`;

/** The connection options' help lines, for the commands that take them. */
export const CONNECTION_HELP: string = CONNECTION_OPTIONS;

export const LIST_HELP: string = `Usage: graph-mtls list [options]
       graph-mtls get [options] <id>
       graph-mtls delete [options] <id>

list prints every configuration (id, displayName, tlsClientAuthParameter, number of CAs);
get prints one as JSON; delete removes one (Graph refuses while device templates link to it).

Options:
  --format <format>         list: text (default) or json
${CONNECTION_OPTIONS}
`;

export interface DesiredState {
  readonly id?: string;
  readonly displayName?: string;
  readonly tlsClientAuthParameter: TlsClientAuthParameter;
  readonly certificateAuthorities: readonly CertificateAuthorityInput[];
}

/** The options of every command that talks to Graph. */
export const CONNECTION = {
  'base-url': { type: 'string' },
  cloud: { type: 'string' },
  'token-env': { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The Graph client of a command, from its connection options; configuration mistakes are usage errors. */
export function connect(values: { 'base-url'?: string; cloud?: string; 'token-env'?: string }, ctx: CliContext, access: 'read' | 'write'): GraphClient {
  const cloud = oneOf(values.cloud, ['global', 'usGov', 'usGovDoD', 'china'] as const, '--cloud', 'global') as Cloud;
  const tokenEnv = values['token-env'] ?? 'GRAPH_TOKEN';
  // Configuration mistakes are named before any request, never retried as network failures.
  const token = ctx.env[tokenEnv];
  if (token !== undefined && token !== '') usage(() => checkToken(token, `the environment variable ${tokenEnv}`));
  // Token pre-flight: decoded, never verified or printed; an opaque token (the emulator's) is not checked.
  if (token !== undefined && token.split('.').length === 3) {
    for (const w of inspectToken(token, { cloud, access, now: new Date() })) ctx.stderr.write(`warning: ${w.code}: ${w.message}\n`);
  }
  return usage(() =>
    createClient({
      cloud,
      ...(values['base-url'] === undefined ? {} : { baseUrl: values['base-url'] }),
      tokenEnv,
      env: ctx.env,
      onWarning: (m) => ctx.stderr.write(`warning: ${m}\n`),
    }),
  );
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

export async function planCommand(args: readonly string[], ctx: CliContext, apply: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { ...CONNECTION, devices: { type: 'string', multiple: true }, 'allow-stranding': { type: 'boolean', default: false } },
  });
  if (values.help) {
    ctx.stdout.write(PLAN_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('expected one desired-state file');
  const desired = await readDesired(resolve(ctx.cwd, positionals[0]!));
  const client = connect(values, ctx, 'write');
  const now = new Date();
  const problems: InputProblem[] = [];
  const devices = values.devices === undefined ? undefined : await readCertificateFiles(values.devices, ctx.cwd, ctx.stdin, problems);
  for (const p of problems) ctx.stderr.write(`error: ${shown(p.message)}\n`);
  if (problems.length > 0) return EXIT_FINDINGS;
  /** The rotation impact on the devices, printed; false when apply must not go on. */
  const judge = async (before: unknown, after: unknown): Promise<boolean> => {
    if (devices === undefined) return true;
    const impact = await rotationImpact(
      devices.map((d) => ({ certificate: d.certificate, location: d.location })),
      readTrustConfiguration(before).configuration,
      readTrustConfiguration(after).configuration,
      { now, verifier: createVerifier(), parameter: desired.tlsClientAuthParameter },
    );
    ctx.stdout.write(`devices: ${impact.keeps} keep their path, ${impact.loses} lose it, ${impact.gains} gain one, ${impact.never} have none${impact.expiring > 0 ? `; ${impact.expiring} keep it only through a CA expiring within 30 days` : ''}\n`);
    const where = (d: (typeof impact.devices)[number]): string => `${shown(d.location?.source ?? '')}#${(d.location?.index ?? 0) + 1}`;
    for (const d of impact.devices) {
      if (d.change === 'loses') ctx.stdout.write(`    - ${where(d)} loses its path: ${shown(d.reasons[0]?.message ?? 'refused')}\n`);
      else if (d.expiring !== undefined) ctx.stdout.write(`    ! ${where(d)} keeps it only through ${shown(d.expiring.subject)}, expiring in ${plural(d.expiring.days, 'day')}\n`);
    }
    if (!apply || impact.loses === 0 || values['allow-stranding']) return true;
    const lost = impact.devices.filter((d) => d.change === 'loses').map(where);
    ctx.stderr.write(`error: the change would strand ${lost.length} device(s): ${lost.slice(0, 20).join(', ')}${lost.length > 20 ? `, and ${lost.length - 20} more` : ''}; nothing was sent (give --allow-stranding to apply it anyway)\n`);
    return false;
  };
  return guard(ctx, async () => {
    const current = await findCurrent(client, desired);
    if (current === undefined) {
      const selfSignatures = await verifyAuthorities(desired.certificateAuthorities, createVerifier());
      const built = buildCreate({ ...desired, ...(desired.displayName === undefined ? {} : { displayName: desired.displayName }) }, { now, selfSignatures });
      ctx.stdout.write(`+ create '${desired.displayName ?? '(no displayName)'}' (${desired.tlsClientAuthParameter}) with ${built.authorities.length} CA(s)\n`);
      for (const a of built.authorities) ctx.stdout.write(`    + ${a.isRootAuthority ? 'root' : 'intermediate'} ${shown(a.subject)}\n`);
      if (failed(ctx, built.findings)) return EXIT_FINDINGS;
      if (!(await judge({ certificateAuthorities: [] }, built.body))) return EXIT_FINDINGS;
      if (!apply) return EXIT_OK;
      const created = await client.create(built.body);
      ctx.stdout.write(`created ${created.id}\n`);
      return EXIT_OK;
    }
    if (current.tlsClientAuthParameter !== desired.tlsClientAuthParameter) {
      ctx.stderr.write(`error: '${current.displayName ?? current.id}' has tlsClientAuthParameter ${current.tlsClientAuthParameter}; it cannot change to ${desired.tlsClientAuthParameter}: delete the configuration (graph-mtls delete ${current.id}) and apply again\n`);
      return EXIT_FINDINGS;
    }
    const selfSignatures = await verifyAuthorities(desired.certificateAuthorities, createVerifier(), current);
    const result = buildUpdate(current, { certificateAuthorities: desired.certificateAuthorities, ...(desired.displayName === undefined ? {} : { displayName: desired.displayName }) }, { now, selfSignatures });
    ctx.stdout.write(`~ ${shown(current.id)} '${shown(current.displayName ?? '')}'\n`);
    if (result.body.displayName !== undefined) ctx.stdout.write(`    ~ displayName '${shown(current.displayName ?? '')}' -> '${shown(result.body.displayName ?? '')}'\n`);
    for (const s of result.added) ctx.stdout.write(`    + ${shown(s.subject ?? '')}\n`);
    for (const s of result.removed) ctx.stdout.write(`    - ${s.subject === undefined ? '(a CA whose certificate does not decode)' : shown(s.subject)}\n`);
    for (const s of result.kept) ctx.stdout.write(`      ${s.subject === undefined ? '(undecodable)' : shown(s.subject)} (kept)\n`);
    if (result.changed && result.added.length === 0 && result.removed.length === 0 && result.body.displayName === undefined) {
      ctx.stdout.write('    ~ isRootAuthority or CRL URLs of kept CAs\n');
    }
    if (!result.changed) {
      ctx.stdout.write('no changes: the tenant matches the file\n');
      return EXIT_OK;
    }
    if (failed(ctx, result.findings)) return EXIT_FINDINGS;
    if (!(await judge(current, { certificateAuthorities: result.body.certificateAuthorities ?? current.certificateAuthorities }))) return EXIT_FINDINGS;
    if (!apply) return EXIT_OK;
    let after: MutualTlsOauthConfiguration;
    try {
      // What Graph now holds: its answer, or read back when it answers 204.
      after = await client.update(current.id, result.body);
    } catch (error) {
      if (!(error instanceof GraphUnconfirmedError)) throw error;
      ctx.stdout.write(`updated ${current.id} (applied, not confirmed)\n`);
      ctx.stderr.write(`warning: ${shown(error.message)}\n`);
      return EXIT_OK;
    }
    ctx.stdout.write(`updated ${after.id}: ${after.certificateAuthorities.length} CA(s)\n`);
    return EXIT_OK;
  });
}

export async function listCommand(args: readonly string[], ctx: CliContext, command: 'list' | 'get' | 'delete'): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: CONNECTION });
  if (values.help) {
    ctx.stdout.write(LIST_HELP);
    return EXIT_OK;
  }
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  if (command !== 'list' && positionals.length !== 1) throw new UsageError(`expected one configuration id`);
  const client = connect(values, ctx, command === 'delete' ? 'write' : 'read');
  return guard(ctx, async () => {
    if (command === 'get') ctx.stdout.write(JSON.stringify(await client.get(positionals[0]!), null, 2) + '\n');
    else if (command === 'delete') {
      await client.delete(positionals[0]!);
      ctx.stdout.write(`deleted ${positionals[0]}\n`);
    } else {
      const all = await client.list();
      if (format === 'json') ctx.stdout.write(JSON.stringify({ version: 1, configurations: all }, null, 2) + '\n');
      else for (const c of all) ctx.stdout.write(`${shown(c.id)}  ${shown(c.displayName ?? '')}  ${shown(String(c.tlsClientAuthParameter))}  ${c.certificateAuthorities.length} CA(s)\n`);
    }
    return EXIT_OK;
  });
}

async function findCurrent(client: GraphClient, desired: DesiredState): Promise<MutualTlsOauthConfiguration | undefined> {
  if (desired.id !== undefined) return client.get(desired.id);
  if (desired.displayName === undefined) throw new UsageError('the desired-state file needs a displayName or an id to find the configuration by');
  const found = await client.list({ filter: filterByDisplayName(desired.displayName) });
  if (found.length > 1) throw new GraphError('ERR_GRAPH_CONFLICT', 'apply', `${found.length} configurations are named '${desired.displayName}'; put the id of the one to manage in the file`);
  return found[0];
}

/** A desired-state file: the CA files it names are read, relative to it. */
export async function readDesired(path: string): Promise<DesiredState> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: expected a JSON desired-state file: ${(error as Error).message}`);
  }
  const o = raw as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || !Array.isArray(o['certificateAuthorities'])) throw new UsageError(`${path}: expected an object with certificateAuthorities: [paths]`);
  let parameter: TlsClientAuthParameter;
  try {
    parameter = assertTlsClientAuthParameter(o['tlsClientAuthParameter']);
  } catch (error) {
    throw new UsageError(`${path}: ${isGraphMtlsError(error) ? error.reason : String(error)}`);
  }
  const cas: CertificateAuthorityInput[] = [];
  for (const entry of o['certificateAuthorities'] as unknown[]) {
    const spec = typeof entry === 'string' ? { path: entry } : (entry as Record<string, unknown>);
    if (typeof spec['path'] !== 'string') throw new UsageError(`${path}: expected each CA as a path or { "path": ... }`);
    const file = resolve(dirname(path), spec['path']);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      throw new UsageError(`${file}: ${(error as Error).message}`);
    }
    const crl = spec['certificateRevocationListUrl'];
    cas.push({ certificate: bytes, source: spec['path'], ...(typeof crl === 'string' || crl === null ? { certificateRevocationListUrl: crl } : {}) });
  }
  return {
    ...(typeof o['id'] === 'string' ? { id: o['id'] } : {}),
    ...(typeof o['displayName'] === 'string' ? { displayName: o['displayName'] } : {}),
    tlsClientAuthParameter: parameter,
    certificateAuthorities: cas,
  };
}

function failed(ctx: CliContext, findings: readonly Finding[]): boolean {
  if (findings.length > 0) ctx.stderr.write(renderFindings(findings, false));
  const errors = findings.filter((f) => f.severity === 'error');
  const body = errors.find((f) => f.graphError !== undefined)?.graphError;
  if (body !== undefined) ctx.stderr.write(`Graph would answer: 400 Bad Request\n${shown(JSON.stringify(body, null, 2), '\n')}\n`);
  return errors.length > 0;
}

/** Graph and transport errors become a message and exit 1 (tokens never appear in them). */
export async function guard(ctx: CliContext, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof GraphPreflightError) {
      failed(ctx, error.findings);
      return EXIT_FINDINGS;
    }
    if (isGraphMtlsError(error)) {
      if (error.kind === 'argument') throw new UsageError(error.message);
      ctx.stderr.write(`error: ${shown(error.message)}\n`);
      return EXIT_FINDINGS;
    }
    throw error;
  }
}
