// End-to-end tests of the tenant commands (packages/node/src/commands/tenant.ts): the BUILT CLI
// `graph-mtls plan|apply|list|get|delete` is spawned against the Graph emulator
// (test/emulator/server.ts) running in this test process, with --base-url and the token from
// GRAPH_TOKEN or --token-env. Desired-state files and CA files are written to a temp dir.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/graph-client.ts';
import { startEmulator, type Emulator } from '@graph-mtls/test/emulator/server.ts';
import { getKey, makeDeviceCert, makeIntermediateCa, makeRootCa, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { TempDir, b64, parseJson, runCli, type RunResult } from './cli-harness.ts';
import type { TlsClientAuthParameter } from '@graph-mtls/core';

const DAY = 86_400_000;
const PARAM: TlsClientAuthParameter = 'tls_client_auth_san_uri';
const SECRET = 'cli-Secret-Token-9d2f41-NEVER-PRINTED';

let emu: Emulator;
const dir = new TempDir();
let root: GeneratedCertificate;
let inter: GeneratedCertificate;
let root2: GeneratedCertificate;

beforeAll(async () => {
  emu = await startEmulator({ pageSize: 2 });
  const keys = await Promise.all([70, 71, 72, 73].map((n) => getKey('p256', n)));
  root = await makeRootCa({ key: keys[0]!, subject: 'CN=CLI Tenant Root A, O=graph-mtls tests, C=US' });
  inter = await makeIntermediateCa(root, { key: keys[1]!, subject: 'CN=CLI Tenant Intermediate B, O=graph-mtls tests, C=US' });
  root2 = await makeRootCa({ key: keys[2]!, subject: 'CN=CLI Tenant Root C, O=graph-mtls tests, C=US' });
  const now = Date.now();
  const expired = await makeRootCa({ key: keys[3]!, subject: 'CN=CLI Tenant Expired Root', notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 30 * DAY) });
  dir.write('certs/root.pem', root.pem);
  dir.write('certs/inter.der', inter.der);
  dir.write('certs/root2.pem', root2.pem);
  dir.write('certs/expired.pem', expired.pem);
});
afterAll(async () => {
  await emu.close();
  dir.remove();
});
beforeEach(() => emu.reset());

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Runs the CLI against the emulator with GRAPH_TOKEN=test-token unless `env` says otherwise. */
function cli(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Promise<RunResult> {
  return runCli([...args, '--base-url', emu.url], { cwd: dir.path, env: { GRAPH_TOKEN: 'test-token', ...env } });
}

let files = 0;
/** Writes a desired-state file (CA paths relative to the temp dir's root) and returns its name. */
function desired(state: Record<string, unknown>): string {
  const name = `desired-${++files}.json`;
  dir.write(name, JSON.stringify(state, null, 2));
  return name;
}

function state(displayName: string, cas: readonly unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { displayName, tlsClientAuthParameter: PARAM, certificateAuthorities: cas, ...extra };
}

const api = (): ReturnType<typeof createClient> => createClient({ baseUrl: emu.url, token: 'test-token', retry: { baseDelayMs: 1 } });

/** Creates a configuration in-process, then clears the request log. */
async function seed(displayName: string, cas: readonly GeneratedCertificate[], param = PARAM): Promise<string> {
  const created = await api().create({
    displayName,
    tlsClientAuthParameter: param,
    certificateAuthorities: cas.map((c) => ({ certificate: b64(c.der), isRootAuthority: c.issuerCertificate === undefined })),
  });
  emu.requests.length = 0;
  return created.id;
}

interface Stored {
  displayName: string | null;
  tlsClientAuthParameter: TlsClientAuthParameter;
  certificateAuthorities: { certificate: string; isRootAuthority: boolean; certificateRevocationListUrl: string | null }[];
}

function only(): Stored & { id: string } {
  expect(emu.store.size).toBe(1);
  const [id, entry] = [...emu.store.entries()][0]!;
  return { ...(entry as Stored), id };
}

function certs(entry: Stored): string[] {
  return entry.certificateAuthorities.map((c) => c.certificate).sort();
}

function writes(): string[] {
  return emu.requests.filter((r) => r.method !== 'GET').map((r) => r.method);
}

function show(r: RunResult): string {
  return `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

// ---------------------------------------------------------------------------------------------
// plan and apply
// ---------------------------------------------------------------------------------------------

describe('plan and apply', () => {
  it('plan on an empty tenant prints a create with its CAs and creates nothing', async () => {
    const file = desired(state('Door cameras', ['certs/root.pem', 'certs/inter.der']));
    const r = await cli(['plan', file]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`+ create 'Door cameras' (${PARAM}) with 2 CAs`);
    expect(r.stdout).toMatch(/^ {4}\+ root .*CN=CLI Tenant Root A/m);
    expect(r.stdout).toMatch(/^ {4}\+ intermediate .*CN=CLI Tenant Intermediate B/m);
    expect(r.stdout).not.toMatch(/created/);
    expect(emu.store.size).toBe(0);
    expect(writes()).toEqual([]);
    // It looked the configuration up by displayName.
    expect(emu.requests.some((r) => r.method === 'GET' && /filter=displayName/.test(decodeURIComponent(r.path)))).toBe(true);
  });

  it('apply creates exactly one; plan and apply afterwards report no changes and write nothing', async () => {
    const file = desired(state('Door cameras', ['certs/root.pem', 'certs/inter.der']));
    const applied = await cli(['apply', file]);
    expect(applied.code, show(applied)).toBe(0);
    const created = only();
    expect(applied.stdout).toContain(`created ${created.id}`);
    expect(created.displayName).toBe('Door cameras');
    expect(created.tlsClientAuthParameter).toBe(PARAM);
    expect(certs(created)).toEqual([b64(root.der), b64(inter.der)].sort());
    expect(created.certificateAuthorities.find((c) => c.certificate === b64(root.der))!.isRootAuthority).toBe(true);
    expect(created.certificateAuthorities.find((c) => c.certificate === b64(inter.der))!.isRootAuthority).toBe(false);
    expect(writes()).toEqual(['POST']);

    emu.requests.length = 0;
    const plan = await cli(['plan', file]);
    expect(plan.code, show(plan)).toBe(0);
    expect(plan.stdout).toContain('no changes: the tenant matches the file');
    const again = await cli(['apply', file]);
    expect(again.code, show(again)).toBe(0);
    expect(again.stdout).toContain('no changes');
    expect(writes()).toEqual([]);
    expect(emu.store.size).toBe(1);
  });

  it('adding a CA to the file: plan shows it, apply adds it and keeps the others', async () => {
    const id = await seed('Door cameras', [root, inter]);
    const file = desired(state('Door cameras', ['certs/root.pem', 'certs/inter.der', 'certs/root2.pem']));
    const plan = await cli(['plan', file]);
    expect(plan.code, show(plan)).toBe(0);
    expect(plan.stdout).toContain(`~ ${id} 'Door cameras'`);
    expect(plan.stdout).toMatch(/^ {4}\+ .*CN=CLI Tenant Root C/m);
    expect(plan.stdout).toMatch(/CN=CLI Tenant Root A.*\(kept\)/);
    expect(plan.stdout).toMatch(/CN=CLI Tenant Intermediate B.*\(kept\)/);
    expect(writes()).toEqual([]);
    expect(certs(only())).toHaveLength(2);

    const apply = await cli(['apply', file]);
    expect(apply.code, show(apply)).toBe(0);
    expect(apply.stdout).toContain(`updated ${id}: 3 CAs`);
    expect(certs(only())).toEqual([b64(root.der), b64(inter.der), b64(root2.der)].sort());
    expect(writes()).toEqual(['PATCH']);
  });

  it('dropping a CA from the file: plan shows the removal, apply makes it', async () => {
    const id = await seed('Door cameras', [root, inter, root2]);
    const file = desired(state('Door cameras', ['certs/root.pem', 'certs/inter.der']));
    const plan = await cli(['plan', file]);
    expect(plan.code, show(plan)).toBe(0);
    expect(plan.stdout).toMatch(/^ {4}- .*CN=CLI Tenant Root C/m);
    expect(certs(only())).toHaveLength(3);
    const apply = await cli(['apply', file]);
    expect(apply.code, show(apply)).toBe(0);
    expect(apply.stdout).toContain(`updated ${id}: 2 CAs`);
    expect(certs(only())).toEqual([b64(root.der), b64(inter.der)].sort());
  });

  it('changing displayName (found by "id"): plan shows the rename, apply makes it', async () => {
    const id = await seed('Old name', [root, inter]);
    const file = desired(state('New name', ['certs/root.pem', 'certs/inter.der'], { id }));
    const plan = await cli(['plan', file]);
    expect(plan.code, show(plan)).toBe(0);
    expect(plan.stdout).toContain("~ displayName 'Old name' -> 'New name'");
    expect(only().displayName).toBe('Old name');
    const apply = await cli(['apply', file]);
    expect(apply.code, show(apply)).toBe(0);
    expect(apply.stdout).toContain(`updated ${id}`);
    const after = only();
    expect(after.id).toBe(id);
    expect(after.displayName).toBe('New name');
    expect(certs(after)).toEqual([b64(root.der), b64(inter.der)].sort());
    const again = await cli(['plan', file]);
    expect(again.stdout).toContain('no changes');
  });

  it('a CRL URL on a kept CA is a change too', async () => {
    const id = await seed('Door cameras', [root, inter]);
    const file = desired(state('Door cameras', ['certs/root.pem', { path: 'certs/inter.der', certificateRevocationListUrl: 'http://pki.example.test/inter.crl' }]));
    const plan = await cli(['plan', file]);
    expect(plan.code, show(plan)).toBe(0);
    expect(plan.stdout).toContain('~ isRootAuthority or CRL URLs of kept CAs');
    const apply = await cli(['apply', file]);
    expect(apply.code, show(apply)).toBe(0);
    expect(apply.stdout).toContain(`updated ${id}: 2 CAs`);
    expect(only().certificateAuthorities.find((c) => c.certificate === b64(inter.der))!.certificateRevocationListUrl).toBe('http://pki.example.test/inter.crl');
  });

  it('changing tlsClientAuthParameter is refused with the delete-and-recreate message', async () => {
    const id = await seed('Door cameras', [root, inter]);
    const file = desired(state('Door cameras', ['certs/root.pem', 'certs/inter.der'], { tlsClientAuthParameter: 'tls_client_auth_san_dns' }));
    for (const r of await Promise.all(['plan', 'apply'].map((command) => cli([command, file])))) {
      expect(r.code, show(r)).toBe(1);
      expect(r.stderr).toContain(`has tlsClientAuthParameter ${PARAM}; it cannot change to tls_client_auth_san_dns`);
      expect(r.stderr).toContain(`delete the configuration (graph-mtls delete ${id}) and apply again`);
    }
    expect(writes()).toEqual([]);
    expect(only().tlsClientAuthParameter).toBe(PARAM);
  });

  it('an expired CA in the file: exit 1 with the findings and the 400 Graph would answer; nothing created', async () => {
    const file = desired(state('Expired', ['certs/expired.pem']));
    const r = await cli(['apply', file]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toContain('CERT_EXPIRED');
    expect(r.stderr).toContain('Graph would answer: 400 Bad Request');
    expect(emu.store.size).toBe(0);
    expect(writes()).toEqual([]);
  });

  it('two configurations with the file\'s displayName: exit 1, asks for an id', async () => {
    await seed('Twin', [root]);
    await seed('Twin', [root2]);
    const r = await cli(['apply', desired(state('Twin', ['certs/root.pem']))]);
    expect(r.code, show(r)).toBe(1);
    expect(r.stderr).toMatch(/2 configurations are named 'Twin'/);
    expect(writes()).toEqual([]);
  });

  it('apply converges through a create that happened behind a 504: exactly one object', async () => {
    emu.inject({ kind: 'createThenFail', status: 504, retryAfter: '0' });
    const r = await cli(['apply', desired(state('Behind a 504', ['certs/root.pem', 'certs/inter.der']))]);
    expect(r.code, show(r)).toBe(0);
    const created = only();
    expect(r.stdout).toContain(`created ${created.id}`);
    expect(r.stderr).toMatch(/warning: Graph create: HTTP 504; the outcome is unknown, so looking the object up in 0 ms instead of sending it again/);
    expect(writes()).toEqual(['POST']);
  });
});

// ---------------------------------------------------------------------------------------------
// list, get, delete
// ---------------------------------------------------------------------------------------------

describe('plan and apply --devices: the rotation impact', () => {
  it('plan lists the devices a change strands; apply refuses it unless --allow-stranding, and then sends it', async () => {
    const device = await makeDeviceCert(inter, { key: await getKey('p256', 74) });
    const direct = await makeDeviceCert(root, { key: await getKey('p256', 75) });
    dir.write('devices/under-inter.pem', device.pem);
    dir.write('devices/under-root.pem', direct.pem);
    const id = await seed('Rotation', [root, inter]);
    const file = desired(state('Rotation', ['certs/root.pem']));

    const plan = await cli(['plan', file, '--devices', 'devices/']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('devices: 1 keep their path, 1 lose it, 0 gain one, 0 have none\n');
    expect(plan.stdout).toMatch(/ {4}- devices\/under-inter\.pem#1 loses its path: no path from the device certificate/);
    expect(writes()).toEqual([]);

    const refused = await cli(['apply', file, '--devices', 'devices/']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: the change would strand 1 device: devices/under-inter.pem#1; nothing was sent (give --allow-stranding to apply it anyway)');
    expect(writes()).toEqual([]);

    const forced = await cli(['apply', file, '--devices', 'devices/', '--allow-stranding']);
    expect(forced.code).toBe(0);
    expect(writes()).toEqual(['PATCH']);
    expect((await api().get(id)).certificateAuthorities).toHaveLength(1);
  });

  it('a device file that cannot be read stops plan before anything is judged', async () => {
    await seed('Rotation 2', [root]);
    const r = await cli(['plan', desired(state('Rotation 2', ['certs/root.pem'])), '--devices', 'devices/missing.pem']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*missing\.pem/m);
  });
});

describe('verify --tenant: the configuration read from Graph', () => {
  it('verifies devices against the configuration GET returns; an unknown id is Graph\'s 404, exit 1', async () => {
    const device = await makeDeviceCert(inter, { key: await getKey('p256', 76) });
    dir.write('devices/tenant-device.pem', device.pem);
    const id = await seed('Verify from tenant', [root, inter]);
    const r = await cli(['verify', '--tenant', id, '--format', 'json', 'devices/tenant-device.pem']);
    expect(r.code, show(r)).toBe(0);
    const out = parseJson<{ devices: { outcome: string; path: { origin: string }[] }[] }>(r);
    expect(out.devices.map((d) => [d.outcome, d.path.map((m) => m.origin)])).toEqual([['trusted', ['device', 'configuration', 'configuration']]]);
    expect(emu.requests.map((q) => q.method)).toEqual(['GET']);
    const missing = await cli(['verify', '--tenant', '00000000-0000-4000-8000-000000000000', 'devices/tenant-device.pem']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*404/m);
  });

  it('--tenant and --config together, or neither, is a usage error', async () => {
    expect((await cli(['verify', 'devices/tenant-device.pem'])).code).toBe(2);
    expect((await cli(['verify', '--tenant', 'x', '--config', 'c.json', 'devices/tenant-device.pem'])).code).toBe(2);
  });
});

describe('list, get and delete', () => {
  it('list prints every configuration across pages, as text and as JSON', async () => {
    const ids = [await seed('First', [root, inter]), await seed('Second', [root2]), await seed('Third', [root])];
    const text = await cli(['list']);
    expect(text.code, show(text)).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines).toContain(`${ids[0]}  First  ${PARAM}  2 CAs`);
    expect(lines).toContain(`${ids[1]}  Second  ${PARAM}  1 CA`);
    expect(lines).toContain(`${ids[2]}  Third  ${PARAM}  1 CA`);
    expect(emu.requests.filter((r) => r.method === 'GET')).toHaveLength(2); // page size 2

    const json = await cli(['list', '--format', 'json']);
    expect(json.code, show(json)).toBe(0);
    const body = parseJson<{ version: number; configurations: { id: string; displayName: string; certificateAuthorities: unknown[] }[] }>(json);
    expect(body.version).toBe(1);
    expect(body.configurations.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(body.configurations.find((c) => c.id === ids[0])!.certificateAuthorities).toHaveLength(2);
  });

  it('list of an empty tenant prints nothing and exits 0', async () => {
    const r = await cli(['list']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('get <id> prints the configuration as JSON; an unknown id exits 1 with the 404', async () => {
    const id = await seed('Door cameras', [root, inter]);
    const r = await cli(['get', id]);
    expect(r.code, show(r)).toBe(0);
    const got = parseJson<{ id: string; displayName: string; tlsClientAuthParameter: string; certificateAuthorities: { certificate: string }[] }>(r);
    expect(got.id).toBe(id);
    expect(got.displayName).toBe('Door cameras');
    expect(got.certificateAuthorities.map((c) => c.certificate).sort()).toEqual([b64(root.der), b64(inter.der)].sort());

    const missing = await cli(['get', '00000000-0000-0000-0000-00000000beef']);
    expect(missing.code, show(missing)).toBe(1);
    expect(missing.stderr).toMatch(/404 Request_ResourceNotFound/);
    expect(missing.stdout).toBe('');
  });

  it('delete <id> removes it', async () => {
    const id = await seed('Door cameras', [root]);
    const keep = await seed('Keep me', [root2]);
    const r = await cli(['delete', id]);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain(`deleted ${id}`);
    expect([...emu.store.keys()]).toEqual([keep]);
    expect(writes()).toEqual(['DELETE']);
  });
});

// ---------------------------------------------------------------------------------------------
// Tokens and help
// ---------------------------------------------------------------------------------------------

describe('tokens', () => {
  it('without a token: a clear message, exit 1 or 2, and no request', async () => {
    const file = desired(state('Door cameras', ['certs/root.pem']));
    const plan = await cli(['plan', file], { GRAPH_TOKEN: undefined });
    expect([1, 2], show(plan)).toContain(plan.code);
    expect(plan.stderr).toMatch(/GRAPH_TOKEN/);
    expect(plan.stderr).toMatch(/token/i);
    const list = await cli(['list', '--token-env', 'MY_GRAPH_TOKEN'], { GRAPH_TOKEN: 'test-token', MY_GRAPH_TOKEN: undefined });
    expect([1, 2], show(list)).toContain(list.code);
    expect(list.stderr).toMatch(/MY_GRAPH_TOKEN/);
    expect(list.stderr).not.toContain('test-token');
    expect(emu.requests).toHaveLength(0);
  });

  it('--token-env VAR reads the token from VAR', async () => {
    await seed('Door cameras', [root]);
    const r = await cli(['list', '--token-env', 'MY_GRAPH_TOKEN'], { GRAPH_TOKEN: undefined, MY_GRAPH_TOKEN: 'test-token' });
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('Door cameras');
    expect(emu.requests[0]!.headers['authorization']).toBe('Bearer test-token');
  });

  it('a token Graph refuses: exit 1 with the 401, and the token is never printed', async () => {
    const file = desired(state('Door cameras', ['certs/root.pem']));
    const runs = await Promise.all([['list'], ['apply', file], ['get', 'some-id'], ['delete', 'some-id']].map((args) => cli(args, { GRAPH_TOKEN: SECRET })));
    expect(emu.requests).toHaveLength(4);
    for (const r of runs) {
      expect(r.code, show(r)).toBe(1);
      expect(r.stderr).toMatch(/401 InvalidAuthenticationToken/);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stdout + r.stderr).not.toContain(SECRET.slice(0, 16));
    }
    expect(emu.requests.every((r) => r.headers['authorization'] === `Bearer ${SECRET}`)).toBe(true);
  });
});

describe('token pre-flight', () => {
  const jwt = (claims: Record<string, unknown>): string =>
    [{ alg: 'RS256', typ: 'JWT' }, claims].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') + '.c2lnbmF0dXJlLXNlZ21lbnQ';

  it('warns about a JWT without the permission, for another cloud, and never prints it', async () => {
    const token = jwt({ aud: 'https://graph.microsoft.us', scp: 'User.Read', tid: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', exp: Math.floor(Date.now() / 1000) + 3600 });
    const r = await cli(['list'], { GRAPH_TOKEN: token });
    expect(r.stderr).toContain('TOKEN_MISSING_PERMISSION');
    expect(r.stderr).toContain('TOKEN_WRONG_AUDIENCE');
    expect(r.stdout + r.stderr).not.toContain(token.split('.')[1]!);
    expect(r.stdout + r.stderr).not.toContain('c2lnbmF0dXJlLXNlZ21lbnQ');
  });

  it('says nothing for a JWT with the permission', async () => {
    const token = jwt({ aud: 'https://graph.microsoft.com', roles: ['MutualTlsOauthConfiguration.ReadWrite.All'], exp: Math.floor(Date.now() / 1000) + 3600 });
    const r = await cli(['list'], { GRAPH_TOKEN: token });
    expect(r.stderr).not.toMatch(/TOKEN_/);
  });
});

describe('help', () => {
  it('plan --help and list --help exit 0 with their usage, without any request', async () => {
    const [plan, list] = await Promise.all([cli(['plan', '--help']), cli(['list', '--help'])]);
    expect(plan.code, show(plan)).toBe(0);
    expect(plan.stdout).toMatch(/^Usage: graph-mtls plan/);
    expect(plan.stdout).toContain('--token-env');
    expect(list.code, show(list)).toBe(0);
    expect(list.stdout).toMatch(/^Usage: graph-mtls list/);
    expect(list.stdout).toContain('--format');
    expect(emu.requests).toHaveLength(0);
  });

  it('plan without a file is a usage error (exit 2)', async () => {
    const r = await cli(['plan']);
    expect(r.code, show(r)).toBe(2);
    expect(r.stderr).toMatch(/expected one desired-state file/);
  });
});

// ---------------------------------------------------------------------------------------------
// plan --format json, --detailed-exitcode, several configurations, confirmation
// ---------------------------------------------------------------------------------------------

interface PlanJson {
  version: number;
  plans: {
    file: string;
    index: number;
    action: string;
    configuration: { id: string | null; displayName: string | null };
    displayName: { from: string | null; to: string | null } | null;
    added: { subject: string; sha256: string; isRootAuthority: boolean }[];
    removed: { subject: string | null }[];
    kept: { subject: string | null }[];
    findings: { code: string }[];
    refused: string | null;
    request: { method: string; path: string; body: { certificateAuthorities?: unknown[]; displayName?: string } } | null;
  }[];
}

describe('plan --format json and --detailed-exitcode', () => {
  it('a create: the versioned plan with the CAs and the request apply would send; exit 2 with --detailed-exitcode', async () => {
    const file = desired(state('JSON plan', ['certs/root.pem', 'certs/inter.der']));
    const r = await cli(['plan', '--format', 'json', '--detailed-exitcode', file]);
    expect(r.code, show(r)).toBe(2);
    const out = parseJson<PlanJson>(r);
    expect(out.version).toBe(1);
    expect(out.plans).toHaveLength(1);
    const p = out.plans[0]!;
    expect([p.file, p.index, p.action, p.configuration, p.refused]).toEqual([file, 0, 'create', { id: null, displayName: 'JSON plan' }, null]);
    expect(p.added.map((a) => [a.subject, a.isRootAuthority])).toEqual([['C=US,O=graph-mtls tests,CN=CLI Tenant Root A', true], ['C=US,O=graph-mtls tests,CN=CLI Tenant Intermediate B', false]]);
    expect(p.request!.method).toBe('POST');
    expect(p.request!.path).toBe('/directory/certificateAuthorities/mutualTlsOauthConfigurations');
    expect(p.request!.body.certificateAuthorities).toHaveLength(2);
    expect(writes()).toEqual([]);
  });

  it('no changes: action none, no request, exit 0 with --detailed-exitcode; an update: PATCH with its path', async () => {
    const id = await seed('Steady', [root, inter]);
    const same = desired(state('Steady', ['certs/root.pem', 'certs/inter.der']));
    const none = await cli(['plan', '--format', 'json', '--detailed-exitcode', same]);
    expect(none.code, show(none)).toBe(0);
    expect(parseJson<PlanJson>(none).plans[0]).toMatchObject({ action: 'none', configuration: { id, displayName: 'Steady' }, request: null, added: [], removed: [] });
    const more = desired(state('Steady', ['certs/root.pem', 'certs/inter.der', 'certs/root2.pem']));
    const update = await cli(['plan', '--format', 'json', '--detailed-exitcode', more]);
    expect(update.code, show(update)).toBe(2);
    const p = parseJson<PlanJson>(update).plans[0]!;
    expect([p.action, p.request!.method, p.request!.path]).toEqual(['update', 'PATCH', `/directory/certificateAuthorities/mutualTlsOauthConfigurations/${id}`]);
    expect(p.added.map((a) => a.subject)).toEqual(['C=US,O=graph-mtls tests,CN=CLI Tenant Root C']);
    expect(p.kept).toHaveLength(2);
  });

  it('an error: exit 1 with --detailed-exitcode, a usage error too (2 means changes there); the findings and the refusal in the JSON', async () => {
    const bad = desired(state('Expired', ['certs/expired.pem']));
    const r = await cli(['plan', '--format', 'json', '--detailed-exitcode', bad]);
    expect(r.code, show(r)).toBe(1);
    const p = parseJson<PlanJson>(r).plans[0]!;
    expect(p.findings.map((f) => f.code)).toContain('CERT_EXPIRED');
    expect(p.refused).toMatch(/error finding.*Graph would refuse the request/);
    const usage = await cli(['plan', '--detailed-exitcode']);
    expect([usage.code, usage.stderr]).toEqual([1, expect.stringContaining('expected one desired-state file')]);
    const plain = await cli(['plan']);
    expect(plain.code).toBe(2);
    const onApply = await cli(['apply', '--detailed-exitcode', bad]);
    expect([onApply.code, onApply.stderr]).toEqual([1, expect.stringContaining('--detailed-exitcode is for plan')]);
  });
});

describe('a desired-state file of several configurations', () => {
  it('plan shows each; apply makes each; then nothing changes', async () => {
    const file = desired({ configurations: [state('Fleet A', ['certs/root.pem']), state('Fleet B', ['certs/root2.pem'])] });
    const plan = await cli(['plan', '--format', 'json', file]);
    expect(plan.code, show(plan)).toBe(0);
    expect(parseJson<PlanJson>(plan).plans.map((p) => [p.index, p.action, p.configuration.displayName])).toEqual([[0, 'create', 'Fleet A'], [1, 'create', 'Fleet B']]);
    const apply = await cli(['apply', file]);
    expect(apply.code, show(apply)).toBe(0);
    expect(apply.stdout.match(/^created /gm)).toHaveLength(2);
    expect([...emu.store.values()].map((e) => (e as Stored).displayName).sort()).toEqual(['Fleet A', 'Fleet B']);
    const again = await cli(['plan', '--detailed-exitcode', file]);
    expect(again.code, show(again)).toBe(0);
    expect(again.stdout.match(/no changes: the tenant matches the file/g)).toHaveLength(2);
  });

  it('one bad configuration stops apply before anything is sent; the same name twice is a usage error', async () => {
    const file = desired({ configurations: [state('Fleet C', ['certs/root.pem']), state('Fleet D', ['certs/expired.pem'])] });
    const r = await cli(['apply', file]);
    expect(r.code, show(r)).toBe(1);
    expect(writes()).toEqual([]);
    const twice = desired({ configurations: [state('Same', ['certs/root.pem']), state('Same', ['certs/root2.pem'])] });
    const dup = await cli(['plan', twice]);
    expect([dup.code, dup.stderr]).toEqual([2, expect.stringContaining('two configurations have the same displayName Same')]);
  });
});

describe('apply on a terminal', () => {
  /** main() in this process with a stdin that is a TTY and answers `answer`. */
  async function applyOnTty(file: string, answer: string, extra: readonly string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
    const { main } = await import('../src/main.ts');
    const { Sink } = await import('./cli-harness.ts');
    const { Readable } = await import('node:stream');
    const stdin = Object.assign(Readable.from([answer]), { isTTY: true });
    const stdout = new Sink(false);
    const stderr = new Sink(true);
    const code = await main(['apply', file, '--base-url', emu.url, ...extra], { stdout, stderr, stdin, env: { GRAPH_TOKEN: 'test-token' }, cwd: dir.path });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it('asks before sending; anything but "yes" sends nothing', async () => {
    const file = desired(state('Asked', ['certs/root.pem']));
    const no = await applyOnTty(file, 'y\n');
    expect(no.code).toBe(1);
    expect(no.stderr).toContain("Apply 1 change to the tenant? Only 'yes' will be accepted: ");
    expect(no.stderr).toContain('apply cancelled: nothing was sent');
    expect(writes()).toEqual([]);
    const yes = await applyOnTty(file, 'yes\n');
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/^created /m);
    expect(writes()).toEqual(['POST']);
  });

  it('--yes (or -y) sends without asking', async () => {
    const file = desired(state('Unasked', ['certs/root.pem']));
    const r = await applyOnTty(file, '', ['-y']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Apply');
    expect(writes()).toEqual(['POST']);
  });
});

describe('export', () => {
  it('writes the tenant as a desired-state file and its CA files; plan on it changes nothing', async () => {
    await seed('Exported A', [root, inter]);
    await seed('Exported B', [root2]);
    const r = await cli(['export', 'exported']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/wrote .*exported\/graph-mtls\.json: 2 configurations, 3 certificates\n$/);
    const written = JSON.parse(readFileSync(join(dir.path, 'exported/graph-mtls.json'), 'utf8')) as { configurations: { id: string; displayName: string; certificateAuthorities: string[] }[] };
    expect(written.configurations.map((c) => [c.displayName, c.certificateAuthorities.length])).toEqual([['Exported A', 2], ['Exported B', 1]]);
    expect(written.configurations[0]!.certificateAuthorities[0]).toMatch(/^certs\/CLI-Tenant-Root-A-[0-9a-f]{12}\.pem$/);
    expect(readFileSync(join(dir.path, 'exported', written.configurations[0]!.certificateAuthorities[0]!), 'utf8')).toBe(root.pem);
    const plan = await cli(['plan', '--detailed-exitcode', 'exported/graph-mtls.json']);
    expect(plan.code, show(plan)).toBe(0);
    expect(plan.stdout.match(/no changes: the tenant matches the file/g)).toHaveLength(2);
    const again = await cli(['export', 'exported']);
    expect([again.code, again.stderr]).toEqual([2, expect.stringContaining('graph-mtls.json exists')]);
    expect(writes()).toEqual([]);
  });
});
