// Where the token goes and what an in-doubt write becomes (issue 12, items 1 to 5), over real
// HTTP on 127.0.0.1, through both the library (`createClient`) and the built CLI:
// - a list page whose @odata.nextLink points at another loopback server (another origin) is
//   refused, and that server never receives a request, let alone the token;
// - plain http to a host that is not loopback, a file: URL, credentials in the URL, a malformed
//   URL, and a token with a line break or a non-Latin-1 character are usage errors at once
//   (exit 2, no request, no retries);
// - a server that echoes the Authorization header never gets the token printed back;
// - a create answered 500 or 502 after Graph made it, or timed out after three 429s, is looked
//   up (one object, never a duplicate, never ERR_GRAPH_TRANSPORT);
// - a PATCH answered 204 whose read-back gets 502s is "applied, not confirmed", exit 0.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreatePayload, TlsClientAuthParameter } from '@graph-mtls/core';
import { createClient } from '../src/graph-client.ts';
import { startEmulator, type Emulator } from '@graph-mtls/test/emulator/server.ts';
import { getKey, makeRootCa, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { TempDir, b64, runCli } from './cli-harness.ts';
import { rejectionOf as rejection } from '@graph-mtls/test/helpers.ts';

const SECRET = 'Safety-Secret-Token-5e1b77-NEVER-PRINTED';
const PARAM: TlsClientAuthParameter = 'tls_client_auth_san_uri';
const FAST = { baseDelayMs: 1, maxDelayMs: 4 } as const;

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
}

interface Server {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** A loopback HTTP server that records every request and answers with `reply`. */
async function startServer(reply: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => reply(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

let emu: Emulator;
let root: GeneratedCertificate;
const dir = new TempDir();

beforeAll(async () => {
  emu = await startEmulator({ tokens: { [SECRET]: { scopes: ['MutualTlsOauthConfiguration.ReadWrite.All'] } } });
  root = await makeRootCa({ key: await getKey('p256', 80), subject: 'CN=Safety Root, O=graph-mtls tests, C=US' });
  dir.write('root.pem', root.pem);
  dir.write('desired.json', JSON.stringify({ displayName: 'Safety', tlsClientAuthParameter: PARAM, certificateAuthorities: ['root.pem'] }));
});
afterAll(async () => {
  await emu.close();
  dir.remove();
});
beforeEach(() => emu.reset());

function body(displayName: string): CreatePayload {
  return { displayName, tlsClientAuthParameter: PARAM, certificateAuthorities: [{ certificate: b64(root.der), isRootAuthority: true }] };
}

describe('a nextLink to another origin', () => {
  let elsewhere: Server;
  let graph: Server;
  beforeAll(async () => {
    elsewhere = await startServer((_req, res) => json(res, 200, { value: [] }));
    graph = await startServer((_req, res) =>
      json(res, 200, { value: [{ id: 'a', tlsClientAuthParameter: PARAM, certificateAuthorities: [] }], '@odata.nextLink': `${elsewhere.url}/beta/directory/certificateAuthorities/mutualTlsOauthConfigurations?$skiptoken=2` }),
    );
  });
  afterAll(async () => {
    await elsewhere.close();
    await graph.close();
  });
  beforeEach(() => {
    elsewhere.requests.length = 0;
    graph.requests.length = 0;
  });

  it('createClient().list(): ERR_GRAPH_UNTRUSTED_URL naming the origin; the other server receives nothing', async () => {
    const e = await rejection(createClient({ baseUrl: graph.url, token: SECRET, retry: FAST }).list());
    expect(e.code).toBe('ERR_GRAPH_UNTRUSTED_URL');
    expect(e.message).toContain(`received a URL on ${elsewhere.url};`);
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0]!.authorization).toBe(`Bearer ${SECRET}`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('graph-mtls list: exit 1 with the origin named, the other server receives nothing, the token is not printed', async () => {
    const r = await runCli(['list', '--base-url', graph.url], { cwd: dir.path, env: { GRAPH_TOKEN: SECRET } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`received a URL on ${elsewhere.url}; not requested, so the token was not sent there`);
    expect(elsewhere.requests).toHaveLength(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});

describe('configuration mistakes are usage errors at once (exit 2), never retried as network failures', () => {
  it.each([
    ['plain http to a host that is not loopback', ['--base-url', 'http://graph.example.com'], {}, /plain http to a host that is not loopback would send the token in clear/],
    ['a file: URL', ['--base-url', 'file:///tmp/graph'], {}, /its scheme is file:/],
    ['credentials in the URL', ['--base-url', 'https://admin:hunter2@graph.microsoft.com'], {}, /received a URL with credentials/],
    ['a malformed URL', ['--base-url', 'graph.microsoft.com/beta'], {}, /not an absolute URL/],
    ['a token with a line break', [], { GRAPH_TOKEN: `${SECRET}\n` }, /Graph token: expected visible ASCII without spaces \(RFC 6750 §2.1\) from the environment variable GRAPH_TOKEN, received a line break/],
    ['a token with a non-Latin-1 character', [], { GRAPH_TOKEN: `${SECRET}\u2603` }, /received a non-Latin-1 character \(U\+2603\)/],
  ])('%s', async (_what, args, env, message) => {
    const base = args.length > 0 ? args : ['--base-url', emu.url];
    const r = await runCli(['list', ...base], { cwd: dir.path, env: { GRAPH_TOKEN: SECRET, ...env } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/network failure|retrying/);
    expect(r.stdout + r.stderr).not.toContain('hunter2');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(emu.requests).toHaveLength(0);
  });

  it('the library refuses the same base URL when the client is made, before any request', () => {
    expect(() => createClient({ baseUrl: 'http://graph.example.com', token: SECRET })).toThrow(/plain http to a host that is not loopback/);
  });
});

describe('a server that echoes the Authorization header', () => {
  let echo: Server;
  beforeAll(async () => {
    echo = await startServer((req, res) => json(res, 400, { error: { code: 'BadRequest', message: `Unexpected header Authorization: ${req.headers.authorization}` } }));
  });
  afterAll(() => echo.close());

  it('never gets the token printed back by the CLI or shown in the library error', async () => {
    const r = await runCli(['get', 'some-id', '--base-url', echo.url], { cwd: dir.path, env: { GRAPH_TOKEN: SECRET } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unexpected header Authorization: Bearer [REDACTED]');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const e = await rejection(createClient({ baseUrl: echo.url, token: SECRET }).get('some-id'));
    expect(JSON.stringify({ message: e.message, ...(e as object) })).not.toContain(SECRET);
  });
});

describe('in-doubt creates are looked up, never a plain failure nor a duplicate', () => {
  it.each([500, 502])('a create answered %i after Graph made it returns the object; one configuration', async (status) => {
    emu.inject({ kind: 'createThenFail', status });
    const created = await createClient({ baseUrl: emu.url, token: SECRET, retry: FAST }).create(body(`Made behind a ${status}`));
    expect(created.displayName).toBe(`Made behind a ${status}`);
    expect(emu.store.size).toBe(1);
    expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('three 429s, then a create that times out and is made late: found by a lookup, not ERR_GRAPH_TRANSPORT; one configuration', async () => {
    emu.inject({ kind: 'status', status: 429, retryAfter: '0', times: 3, match: { method: 'POST' } }, { kind: 'slow', delayMs: 600, match: { method: 'POST' } });
    const client = createClient({ baseUrl: emu.url, token: SECRET, timeoutMs: 200, retry: { baseDelayMs: 400, maxDelayMs: 1_000 } });
    const created = await client.create(body('Late'));
    expect(created.displayName).toBe('Late');
    expect(emu.store.size).toBe(1);
    expect(emu.requests.filter((r) => r.method === 'POST')).toHaveLength(4);
  });

  it('a 503 whose Retry-After is longer than the policy allows still gets one lookup, which finds the object', async () => {
    emu.inject({ kind: 'createThenFail', status: 503, retryAfter: '999' });
    const created = await createClient({ baseUrl: emu.url, token: SECRET, retry: { maxTotalMs: 300 } }).create(body('Told to wait'));
    expect(created.displayName).toBe('Told to wait');
    expect(emu.store.size).toBe(1);
  });

  it('graph-mtls apply through a create answered 502 after it happened: exit 0, one configuration', async () => {
    emu.inject({ kind: 'createThenFail', status: 502 });
    const r = await runCli(['apply', 'desired.json', '--base-url', emu.url], { cwd: dir.path, env: { GRAPH_TOKEN: SECRET } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^created /m);
    expect(emu.store.size).toBe(1);
  });
});

describe('a PATCH that succeeded whose read-back fails', () => {
  let minimal: Emulator;
  beforeAll(async () => {
    minimal = await startEmulator({ tokens: { [SECRET]: { scopes: ['MutualTlsOauthConfiguration.ReadWrite.All'] } }, updateAnswer: 'no-content' });
  });
  afterAll(() => minimal.close());

  it('graph-mtls apply retries the read-back, then says "applied, not confirmed" and exits 0', async () => {
    const created = await createClient({ baseUrl: minimal.url, token: SECRET }).create(body('Safety'));
    const other = await makeRootCa({ key: await getKey('p256', 81), subject: 'CN=Safety Root 2, O=graph-mtls tests, C=US' });
    dir.write('root2.pem', other.pem);
    dir.write('desired2.json', JSON.stringify({ displayName: 'Safety', tlsClientAuthParameter: PARAM, certificateAuthorities: ['root.pem', 'root2.pem'] }));
    minimal.requests.length = 0;
    minimal.inject({ kind: 'status', status: 502, times: 20, match: { method: 'GET', path: /mutualTlsOauthConfigurations\/[^?]+$/ } });
    const r = await runCli(['apply', 'desired2.json', '--base-url', minimal.url], { cwd: dir.path, env: { GRAPH_TOKEN: SECRET } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`updated ${created.id} (applied, not confirmed)`);
    expect(r.stderr).toMatch(/applied, not confirmed: the change to .* succeeded, but reading it back failed 4 times/);
    expect(minimal.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1);
    expect(minimal.requests.filter((q) => q.method === 'GET' && /Configurations\/[^?]+$/.test(q.path))).toHaveLength(4);
    expect((minimal.store.get(created.id) as { certificateAuthorities: unknown[] }).certificateAuthorities).toHaveLength(2);
  });
});
