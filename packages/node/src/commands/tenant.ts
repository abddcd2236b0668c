// The commands that talk to a tenant: `plan` and `apply` (make the tenant match a
// desired-state file, terraform-like), `export` (the tenant as such a file), `list`, `get` and
// `delete`. Token from --token-env VAR
// (default GRAPH_TOKEN); --base-url points at another Graph root, e.g. the local emulator.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  GraphError,
  assertTlsClientAuthParameter,
  buildCreate,
  buildUpdate,
  verifyAuthorities,
  isGraphMtlsError,
  parseCertificate,
  type AuthoritySummary,
  type CertificateAuthorityInput,
  type Finding,
  type TlsClientAuthParameter,
} from '@graph-mtls/core';
import { escapeForDisplay as shown, toHex } from '@graph-mtls/core/encoding';
import { readTrustConfiguration, rotationImpact, type DeviceImpact, type RotationImpact } from '@graph-mtls/core/verify';
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
import { createVerifier, nodeSha256 } from '../crypto.ts';
import { readCertificateFiles, type InputProblem } from '../inputs.ts';

type ScannedDevice = Awaited<ReturnType<typeof readCertificateFiles>>[number];
import { createClient } from '../graph-client.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, oneOf, usage, type CliContext } from './context.ts';
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

A file may hold several configurations as { "configurations": [ {...}, {...} ] }: each is
planned, and apply sends nothing unless every one can be sent. CA paths are relative to the
file; isRootAuthority is derived from each certificate. tlsClientAuthParameter cannot change on
an existing configuration (delete and create it). graph-mtls export writes the tenant's
configurations as such a file.

With --devices, each device certificate is verified against the configuration today and as
planned, and plan lists the devices that would lose their path to a root (and those that
gain one, or keep one only through a CA expiring within 30 days). apply refuses a change that
strands devices unless --allow-stranding is given.

On a terminal, apply asks before sending; only 'yes' goes on.

Options:
  --devices <paths>         device certificates to judge the change by (repeatable)
  --allow-stranding         apply even when devices would lose their path
  -f, --format <format>     text (default) or json (plan: the versioned plan, README "plan JSON output")
  --detailed-exitcode       plan: exit 0 when nothing would change, 2 when something would, 1 on
                            any error (a usage error included), as Terraform does
  -y, --yes                 apply without asking
${CONNECTION_OPTIONS}
`;

/** The connection options' help lines, for the commands that take them. */
export const CONNECTION_HELP: string = CONNECTION_OPTIONS;

export const EXPORT_HELP: string = `Usage: graph-mtls export [options] <folder>

Writes the tenant's configurations as a desired-state file to start from: <folder>/graph-mtls.json
(every configuration under "configurations", each with its id, displayName,
tlsClientAuthParameter and CAs) and each CA certificate as PEM under <folder>/certs/. plan on
the file then shows no changes. An existing graph-mtls.json is not overwritten.

Options:
${CONNECTION_OPTIONS}
`;

export const LIST_HELP: string = `Usage: graph-mtls list [options]
       graph-mtls get [options] <id>
       graph-mtls delete [options] <id>

list prints every configuration (id, displayName, tlsClientAuthParameter, number of CAs);
get prints one as JSON; delete removes one (Graph refuses while device templates link to it).

Options:
  -f, --format <format>     list: text (default) or json
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
  format: { type: 'string', short: 'f' },
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


/** One configuration's plan: what would change, why it cannot, and what apply would send. */
interface Planned {
  readonly file: string;
  readonly index: number;
  readonly action: 'create' | 'update' | 'none';
  readonly id: string | null;
  readonly displayName: string | null;
  readonly tlsClientAuthParameter: TlsClientAuthParameter;
  readonly rename: { readonly from: string | null; readonly to: string | null } | null;
  readonly added: readonly { readonly subject: string | null; readonly sha256: string | null; readonly isRootAuthority: boolean }[];
  readonly removed: readonly { readonly subject: string | null; readonly sha256: string | null }[];
  readonly kept: readonly { readonly subject: string | null; readonly sha256: string | null }[];
  /** isRootAuthority or CRL URLs of kept CAs change. */
  readonly otherChanges: boolean;
  readonly findings: readonly Finding[];
  readonly devices: RotationImpact | null;
  /** Why apply must not send it (error findings, a parameter change, stranded devices); null when it may. */
  readonly refused: string | null;
  /** What apply sends; null when nothing changes. */
  readonly request: { readonly method: 'POST' | 'PATCH'; readonly path: string; readonly body: unknown } | null;
}

/** The JSON contract of `plan --format json` (README, "plan JSON output"): fields are only ever added. */
const PLAN_JSON_VERSION = 1;

export async function planCommand(args: readonly string[], ctx: CliContext, apply: boolean): Promise<number> {
  const detailed = args.includes('--detailed-exitcode');
  try {
    return await plan(args, ctx, apply);
  } catch (error) {
    // With --detailed-exitcode, 2 means "changes": a usage error is 1, as Terraform has it.
    if (detailed && error instanceof UsageError) {
      ctx.stderr.write(`graph-mtls: ${error.message}\n`);
      return EXIT_FINDINGS;
    }
    throw error;
  }
}

async function plan(args: readonly string[], ctx: CliContext, apply: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      ...CONNECTION,
      devices: { type: 'string', multiple: true },
      'allow-stranding': { type: 'boolean', default: false },
      'detailed-exitcode': { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
    },
  });
  if (values.help) {
    ctx.stdout.write(PLAN_HELP);
    return EXIT_OK;
  }
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  if (apply && values['detailed-exitcode']) throw new UsageError('--detailed-exitcode is for plan');
  if (positionals.length !== 1) throw new UsageError('expected one desired-state file');
  const file = positionals[0]!;
  const desiredList = await readDesiredFile(resolve(ctx.cwd, file));
  const client = connect(values, ctx, 'write');
  const now = new Date();
  const problems: InputProblem[] = [];
  const devices = values.devices === undefined ? undefined : await readCertificateFiles(values.devices, ctx.cwd, ctx.stdin, problems);
  for (const p of problems) ctx.stderr.write(`error: ${shown(p.message)}\n`);
  if (problems.length > 0) return EXIT_FINDINGS;
  return guard(ctx, async () => {
    const plans: Planned[] = [];
    for (let i = 0; i < desiredList.length; i++) plans.push(await planConfiguration(client, desiredList[i]!, { file, index: i, now, devices, allowStranding: values['allow-stranding'] || !apply }));
    if (format === 'json') ctx.stdout.write(JSON.stringify({ version: PLAN_JSON_VERSION, plans: plans.map(planJson) }, null, 2) + '\n');
    else for (const p of plans) writePlanText(ctx, p);
    if (plans.some((p) => p.refused !== null)) return EXIT_FINDINGS;
    const changes = plans.filter((p) => p.request !== null);
    if (!apply) return values['detailed-exitcode'] && changes.length > 0 ? EXIT_USAGE : EXIT_OK;
    if (changes.length === 0) return EXIT_OK;
    if (!values.yes && (ctx.stdin as { isTTY?: boolean }).isTTY === true && !(await confirm(ctx, changes.length))) {
      ctx.stderr.write('apply cancelled: nothing was sent\n');
      return EXIT_FINDINGS;
    }
    for (const p of changes) await send(ctx, client, p);
    return EXIT_OK;
  });
}

/** Asks on the terminal; only "yes" goes on (Terraform's rule). */
async function confirm(ctx: CliContext, count: number): Promise<boolean> {
  ctx.stderr.write(`Apply ${plural(count, 'change')} to the tenant? Only 'yes' will be accepted: `);
  const line = await new Promise<string>((done) => {
    let text = '';
    const stdin = ctx.stdin;
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      if (text.includes('\n')) finish();
    };
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.off('end', finish);
      stdin.pause();
      done(text.split('\n')[0]!.trim());
    };
    stdin.on('data', onData);
    stdin.on('end', finish);
    stdin.resume();
  });
  return line === 'yes';
}

/** Sends a plan's request and says what Graph now holds. */
async function send(ctx: CliContext, client: GraphClient, p: Planned): Promise<void> {
  const body = p.request!.body;
  if (p.action === 'create') {
    const created = await client.create(body as Parameters<GraphClient['create']>[0]);
    ctx.stdout.write(`created ${created.id}\n`);
    return;
  }
  let after: MutualTlsOauthConfiguration;
  try {
    // What Graph now holds: its answer, or read back when it answers 204.
    after = await client.update(p.id!, body as Parameters<GraphClient['update']>[1]);
  } catch (error) {
    if (!(error instanceof GraphUnconfirmedError)) throw error;
    ctx.stdout.write(`updated ${p.id} (applied, not confirmed)\n`);
    ctx.stderr.write(`warning: ${shown(error.message)}\n`);
    return;
  }
  ctx.stdout.write(`updated ${after.id}: ${plural(after.certificateAuthorities.length, 'CA')}\n`);
}

const COLLECTION = '/directory/certificateAuthorities/mutualTlsOauthConfigurations';

/** What would change to make the tenant match `desired`, without sending anything. */
async function planConfiguration(
  client: GraphClient,
  desired: DesiredState,
  options: { readonly file: string; readonly index: number; readonly now: Date; readonly devices: readonly ScannedDevice[] | undefined; readonly allowStranding: boolean },
): Promise<Planned> {
  const { now } = options;
  const base = { file: options.file, index: options.index, tlsClientAuthParameter: desired.tlsClientAuthParameter };
  const impactOf = async (before: unknown, after: unknown): Promise<RotationImpact | null> =>
    options.devices === undefined
      ? null
      : rotationImpact(
          options.devices.map((d) => ({ certificate: d.certificate, location: d.location })),
          readTrustConfiguration(before).configuration,
          readTrustConfiguration(after).configuration,
          { now, verifier: createVerifier(), parameter: desired.tlsClientAuthParameter },
        );
  const refusal = (findings: readonly Finding[], devices: RotationImpact | null): string | null => {
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (errors > 0) return `${plural(errors, 'error finding')}: Graph would refuse the request`;
    if (devices !== null && devices.loses > 0 && !options.allowStranding) return `the change would strand ${plural(devices.loses, 'device')}`;
    return null;
  };
  const current = await findCurrent(client, desired);
  if (current === undefined) {
    const selfSignatures = await verifyAuthorities(desired.certificateAuthorities, createVerifier());
    const built = buildCreate({ ...desired, ...(desired.displayName === undefined ? {} : { displayName: desired.displayName }) }, { now, selfSignatures });
    const devices = built.findings.some((f) => f.severity === 'error') ? null : await impactOf({ certificateAuthorities: [] }, built.body);
    return {
      ...base,
      action: 'create',
      id: null,
      displayName: desired.displayName ?? null,
      rename: null,
      added: built.authorities.map((a) => ({ subject: a.subject, sha256: a.sha256, isRootAuthority: a.isRootAuthority })),
      removed: [],
      kept: [],
      otherChanges: false,
      findings: built.findings,
      devices,
      refused: refusal(built.findings, devices),
      request: { method: 'POST', path: COLLECTION, body: built.body },
    };
  }
  const found = { id: current.id, displayName: current.displayName ?? null };
  if (current.tlsClientAuthParameter !== desired.tlsClientAuthParameter) {
    return {
      ...base, ...found, action: 'update', rename: null, added: [], removed: [], kept: [], otherChanges: false, findings: [], devices: null, request: null,
      refused: `'${current.displayName ?? current.id}' has tlsClientAuthParameter ${current.tlsClientAuthParameter}; it cannot change to ${desired.tlsClientAuthParameter}: delete the configuration (graph-mtls delete ${current.id}) and apply again`,
    };
  }
  const selfSignatures = await verifyAuthorities(desired.certificateAuthorities, createVerifier(), current);
  const result = buildUpdate(current, { certificateAuthorities: desired.certificateAuthorities, ...(desired.displayName === undefined ? {} : { displayName: desired.displayName }) }, { now, selfSignatures });
  const summary = (a: AuthoritySummary): { subject: string | null; sha256: string | null } => ({ subject: a.subject ?? null, sha256: a.sha256 ?? null });
  const devices = !result.changed || result.findings.some((f) => f.severity === 'error') ? null : await impactOf(current, { certificateAuthorities: result.body.certificateAuthorities ?? current.certificateAuthorities });
  return {
    ...base,
    ...found,
    action: result.changed ? 'update' : 'none',
    rename: result.body.displayName === undefined ? null : { from: current.displayName ?? null, to: result.body.displayName ?? null },
    added: result.added.map((a) => ({ ...summary(a), isRootAuthority: a.isRootAuthority })),
    removed: result.removed.map(summary),
    kept: result.kept.map(summary),
    otherChanges: result.changed && result.added.length === 0 && result.removed.length === 0 && result.body.displayName === undefined,
    findings: result.findings,
    devices,
    refused: result.changed ? refusal(result.findings, devices) : null,
    request: result.changed ? { method: 'PATCH', path: `${COLLECTION}/${current.id}`, body: result.body } : null,
  };
}

/** The plan as text: stdout the changes and the devices, stderr the findings and why apply would not send it. */
function writePlanText(ctx: CliContext, p: Planned): void {
  const out = (line: string): void => void ctx.stdout.write(`${line}\n`);
  if (p.action === 'create') {
    out(`+ create '${p.displayName ?? '(no displayName)'}' (${p.tlsClientAuthParameter}) with ${plural(p.added.length, 'CA')}`);
    for (const a of p.added) out(`    + ${a.isRootAuthority ? 'root' : 'intermediate'} ${shown(a.subject ?? '')}`);
  } else if (p.request !== null || p.refused === null) {
    out(`~ ${shown(p.id ?? '')} '${shown(p.displayName ?? '')}'`);
    if (p.rename !== null) out(`    ~ displayName '${shown(p.rename.from ?? '')}' -> '${shown(p.rename.to ?? '')}'`);
    for (const s of p.added) out(`    + ${shown(s.subject ?? '')}`);
    for (const s of p.removed) out(`    - ${s.subject === null ? '(a CA whose certificate does not decode)' : shown(s.subject)}`);
    for (const s of p.kept) out(`      ${s.subject === null ? '(undecodable)' : shown(s.subject)} (kept)`);
    if (p.otherChanges) out('    ~ isRootAuthority or CRL URLs of kept CAs');
    if (p.action === 'none') out('no changes: the tenant matches the file');
  }
  failed(ctx, p.findings);
  const d = p.devices;
  if (d !== null) {
    out(`devices: ${d.keeps} keep their path, ${d.loses} lose it, ${d.gains} gain one, ${d.never} have none${d.expiring > 0 ? `; ${d.expiring} keep it only through a CA expiring within 30 days` : ''}`);
    for (const x of d.devices) {
      if (x.change === 'loses') out(`    - ${deviceWhere(x)} loses its path: ${shown(x.reasons[0]?.message ?? 'refused')}`);
      else if (x.expiring !== undefined) out(`    ! ${deviceWhere(x)} keeps it only through ${shown(x.expiring.subject)}, expiring in ${plural(x.expiring.days, 'day')}`);
    }
  }
  if (p.refused === null) return;
  if (d !== null && d.loses > 0 && p.findings.every((f) => f.severity !== 'error')) {
    const lost = d.devices.filter((x) => x.change === 'loses').map(deviceWhere);
    ctx.stderr.write(`error: the change would strand ${plural(lost.length, 'device')}: ${lost.slice(0, 20).join(', ')}${lost.length > 20 ? `, and ${lost.length - 20} more` : ''}; nothing was sent (give --allow-stranding to apply it anyway)\n`);
  } else if (p.findings.every((f) => f.severity !== 'error')) ctx.stderr.write(`error: ${shown(p.refused)}\n`);
}

function deviceWhere(d: DeviceImpact): string {
  return `${shown(d.location?.source ?? '')}#${(d.location?.index ?? 0) + 1}`;
}

function planJson(p: Planned): Record<string, unknown> {
  return {
    file: p.file,
    index: p.index,
    action: p.action,
    configuration: { id: p.id, displayName: p.displayName },
    tlsClientAuthParameter: p.tlsClientAuthParameter,
    displayName: p.rename,
    added: p.added,
    removed: p.removed,
    kept: p.kept,
    otherChanges: p.otherChanges,
    findings: p.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, citation: f.citation, evidence: f.evidence, ref: f.ref ?? null, graphError: f.graphError ?? null })),
    devices:
      p.devices === null
        ? null
        : {
            keeps: p.devices.keeps,
            loses: p.devices.loses,
            gains: p.devices.gains,
            never: p.devices.never,
            expiring: p.devices.expiring,
            list: p.devices.devices.map((d) => ({
              source: d.location?.source ?? null,
              index: d.location?.index ?? 0,
              change: d.change,
              reason: d.reasons[0]?.message ?? null,
              expiring: d.expiring === undefined ? null : { subject: d.expiring.subject, notAfter: d.expiring.notAfter.toISOString(), days: d.expiring.days },
            })),
          },
    refused: p.refused,
    request: p.request,
  };
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
      else for (const c of all) ctx.stdout.write(`${shown(c.id)}  ${shown(c.displayName ?? '')}  ${shown(String(c.tlsClientAuthParameter))}  ${plural(c.certificateAuthorities.length, 'CA')}\n`);
    }
    return EXIT_OK;
  });
}

/** The desired-state file export writes in its folder. */
export const EXPORT_FILE = 'graph-mtls.json';

export async function exportCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true, options: CONNECTION });
  if (values.help) {
    ctx.stdout.write(EXPORT_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('expected one folder to write the desired-state file and its certificates in');
  const folder = resolve(ctx.cwd, positionals[0]!);
  const target = join(folder, EXPORT_FILE);
  if (existsSync(target)) throw new UsageError(`${target} exists: remove it or give another folder`);
  const client = connect(values, ctx, 'read');
  return guard(ctx, async () => {
    const all = await client.list();
    const names = new Set<string>();
    const configurations = all.map((c) => ({
      id: c.id,
      ...(c.displayName === null || c.displayName === undefined ? {} : { displayName: c.displayName }),
      tlsClientAuthParameter: c.tlsClientAuthParameter,
      certificateAuthorities: c.certificateAuthorities.map((a) => {
        const der = new Uint8Array(Buffer.from(a.certificate, 'base64'));
        const path = `certs/${certificateFileName(der, names)}`;
        mkdirSync(join(folder, 'certs'), { recursive: true });
        writeFileSync(join(folder, path), pem(der));
        return a.certificateRevocationListUrl === null || a.certificateRevocationListUrl === undefined ? path : { path, certificateRevocationListUrl: a.certificateRevocationListUrl };
      }),
    }));
    mkdirSync(folder, { recursive: true });
    writeFileSync(target, JSON.stringify({ configurations }, null, 2) + '\n', { flag: 'wx' });
    ctx.stdout.write(`wrote ${target}: ${plural(configurations.length, 'configuration')}, ${plural(names.size, 'certificate')}\n`);
    return EXIT_OK;
  });
}

/** A CA's file name: its subject's CN (or "ca"), made safe, and the start of its SHA-256, once per run. */
function certificateFileName(der: Uint8Array, used: Set<string>): string {
  let stem = 'ca';
  let sha = '';
  try {
    const cert = parseCertificate(der, { sha256: nodeSha256 });
    sha = cert.sha256.slice(0, 12);
    const cn = /(?:^|,)CN=((?:\\.|[^,])*)/.exec(cert.subjectDn)?.[1];
    if (cn !== undefined) stem = cn.replace(/\\(.)/g, '$1').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'ca';
  } catch {
    sha = toHex(nodeSha256(der)).slice(0, 12); // Written as Graph holds it; plan reports what is wrong with it.
  }
  let name = `${stem}-${sha}.pem`;
  for (let n = 2; used.has(name); n++) name = `${stem}-${sha}-${n}.pem`;
  used.add(name);
  return name;
}

function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

async function findCurrent(client: GraphClient, desired: DesiredState): Promise<MutualTlsOauthConfiguration | undefined> {
  if (desired.id !== undefined) return client.get(desired.id);
  if (desired.displayName === undefined) throw new UsageError('the desired-state file needs a displayName or an id to find the configuration by');
  const found = await client.list({ filter: filterByDisplayName(desired.displayName) });
  if (found.length > 1) throw new GraphError('ERR_GRAPH_CONFLICT', 'apply', `${found.length} configurations are named '${desired.displayName}'; put the id of the one to manage in the file`);
  return found[0];
}

/**
 * A desired-state file: one configuration, or several as { "configurations": [...] }; the CA
 * files each names are read, relative to the file.
 */
export async function readDesiredFile(path: string): Promise<DesiredState[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: expected a JSON desired-state file: ${(error as Error).message}`);
  }
  const list = (raw as { configurations?: unknown } | null)?.configurations;
  if (list === undefined) return [await readDesiredEntry(raw, path, path)];
  if (!Array.isArray(list) || list.length === 0) throw new UsageError(`${path}: expected "configurations" to be a non-empty list of configurations`);
  const out: DesiredState[] = [];
  for (let i = 0; i < list.length; i++) out.push(await readDesiredEntry(list[i], path, `${path}, configurations[${i}]`));
  const keys = out.map((d) => d.id ?? `displayName ${d.displayName ?? ''}`);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice !== undefined) throw new UsageError(`${path}: two configurations have the same ${twice.startsWith('displayName') ? twice : `id ${twice}`}`);
  return out;
}

/** A desired-state file of one configuration (verify --config takes these). */
export async function readDesired(path: string): Promise<DesiredState> {
  const all = await readDesiredFile(path);
  if (all.length !== 1) throw new UsageError(`${path}: expected one configuration, received ${all.length}`);
  return all[0]!;
}

async function readDesiredEntry(raw: unknown, file: string, path: string): Promise<DesiredState> {
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
    const caFile = resolve(dirname(file), spec['path']);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(caFile));
    } catch (error) {
      throw new UsageError(`${caFile}: ${(error as Error).message}`);
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
