// Integration tests of the Node Graph client (packages/node/src/graph-client.ts) against the
// local Graph emulator (test/emulator/server.ts) over real HTTP on 127.0.0.1: every operation,
// Graph's error answers as GraphApiError (spec/graph-api.md §3.1), paging by @odata.nextLink
// (§2.2), injected faults (§3.5: 429 with Retry-After, 503/504, slow answers past the timeout,
// dropped connections, a create that happened behind a 504) with the client converging without
// duplicates or lost CAs, credentials in every form, and the pre-flight checks.

import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphMtlsError, type TlsClientAuthParameter } from '@graph-mtls/core';
import {
  ADMIN_ROLES,
  GraphApiError,
  GraphPreflightError,
  WRITE_PERMISSION,
  type GraphClient,
  type MutualTlsOauthConfiguration,
} from '@graph-mtls/core/graph';
import { createClient, type NodeClientOptions } from '../src/graph-client.ts';
import { COLLECTION_PATH, startEmulator, type Emulator, type LoggedRequest } from '@graph-mtls/test/emulator/server.ts';
import { getKey, makeIntermediateCa, makeRootCa, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';

const DAY = 86_400_000;
const PARAM: TlsClientAuthParameter = 'tls_client_auth_san_uri';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const SECRET = 'eyJzecret-Graph-Token-7f3a9c1e-DO-NOT-PRINT';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FAST = { baseDelayMs: 1, maxDelayMs: 4 } as const;

const TOKENS = {
  'test-token': { scopes: ['MutualTlsOauthConfiguration.ReadWrite.All'] },
  'read-token': { scopes: ['MutualTlsOauthConfiguration.Read.All'] },
  'other-token': { scopes: ['User.Read'] },
  // Valid, so transport faults can be provoked with it; distinctive, so a leak is visible.
  [SECRET]: { scopes: ['MutualTlsOauthConfiguration.ReadWrite.All'] },
};

let emu: Emulator;
let root: GeneratedCertificate;
let inter: GeneratedCertificate;
let root2: GeneratedCertificate;
let inter2: GeneratedCertificate;
let expired: GeneratedCertificate;

beforeAll(async () => {
  emu = await startEmulator({ tokens: TOKENS, pageSize: 2 });
  const keys = await Promise.all([60, 61, 62, 63, 64].map((n) => getKey('p256', n)));
  root = await makeRootCa({ key: keys[0]!, subject: 'CN=Client IT Root A, O=graph-mtls tests, C=US' });
  inter = await makeIntermediateCa(root, { key: keys[1]!, subject: 'CN=Client IT Intermediate B, O=graph-mtls tests, C=US' });
  root2 = await makeRootCa({ key: keys[2]!, subject: 'CN=Client IT Root C, O=graph-mtls tests, C=US' });
  inter2 = await makeIntermediateCa(root2, { key: keys[3]!, subject: 'CN=Client IT Intermediate D, O=graph-mtls tests, C=US' });
  const now = Date.now();
  expired = await makeRootCa({ key: keys[4]!, subject: 'CN=Client IT Expired Root, O=graph-mtls tests', notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 30 * DAY) });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function b64(cert: GeneratedCertificate): string {
  return Buffer.from(cert.der).toString('base64');
}

function sha256(cert: GeneratedCertificate): string {
  return createHash('sha256').update(cert.der).digest('hex');
}

function client(options: NodeClientOptions = {}): GraphClient {
  return createClient({ baseUrl: emu.url, token: 'test-token', retry: FAST, timeoutMs: 5_000, ...options });
}

interface Body {
  displayName?: string;
  tlsClientAuthParameter: TlsClientAuthParameter;
  certificateAuthorities: { certificate: string; isRootAuthority: boolean; certificateRevocationListUrl?: string | null }[];
}

function createBody(displayName: string | undefined, cas: readonly GeneratedCertificate[] = [root, inter]): Body {
  return {
    ...(displayName === undefined ? {} : { displayName }),
    tlsClientAuthParameter: PARAM,
    certificateAuthorities: cas.map((c) => ({ certificate: b64(c), isRootAuthority: c.issuerCertificate === undefined })),
  };
}

/** Creates a configuration directly through the client, then clears the request log. */
async function seed(displayName = 'Door cameras', cas: readonly GeneratedCertificate[] = [root, inter]): Promise<MutualTlsOauthConfiguration> {
  const created = await client().create(createBody(displayName, cas));
  emu.requests.length = 0;
  return created;
}

function stored(id: string): { displayName: string | null; tlsClientAuthParameter: string; certificateAuthorities: { certificate: string; certificateRevocationListUrl: string | null }[] } {
  const entry = emu.store.get(id);
  if (entry === undefined) throw new Error(`no stored configuration ${id}`);
  return entry as ReturnType<typeof stored>;
}

function storedCertificates(id: string): string[] {
  return stored(id).certificateAuthorities.map((c) => c.certificate).sort();
}

function count(method: string, path?: RegExp): number {
  return emu.requests.filter((r) => r.method === method && (path === undefined || path.test(r.path))).length;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

async function apiError(promise: Promise<unknown>): Promise<GraphApiError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(GraphApiError);
  return error as GraphApiError;
}

function header(r: LoggedRequest, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

describe('operations', () => {
  it('create POSTs the body and returns the stored configuration', async () => {
    const created = await client().create(createBody('Door cameras'));
    expect(created.id).toMatch(UUID);
    expect(created.displayName).toBe('Door cameras');
    expect(created.tlsClientAuthParameter).toBe(PARAM);
    expect(created.certificateAuthorities.map((c) => c.certificate)).toEqual([b64(root), b64(inter)]);
    expect(created.certificateAuthorities[0]!.issuer).toMatch(/Client IT Root A/);
    expect([...emu.store.keys()]).toEqual([created.id]);
    expect(emu.requests).toHaveLength(1);
    const post = emu.requests[0]!;
    expect(post.method).toBe('POST');
    expect(post.path).toBe(COLLECTION_PATH);
    expect(header(post, 'content-type')).toMatch(/^application\/json/);
    expect(header(post, 'authorization')).toBe('Bearer test-token');
    expect(JSON.parse(post.body)).toEqual(createBody('Door cameras'));
  });

  it('create accepts JSON text and UTF-8 bytes as the body', async () => {
    const a = await client().create(JSON.stringify(createBody('From text')));
    const b = await client().create(new TextEncoder().encode(JSON.stringify(createBody('From bytes', [root2]))));
    expect(stored(a.id).displayName).toBe('From text');
    expect(stored(b.id).displayName).toBe('From bytes');
    expect(emu.store.size).toBe(2);
  });

  it('get returns one configuration by id', async () => {
    const created = await seed();
    const got = await client().get(created.id);
    expect(got.id).toBe(created.id);
    expect(got.displayName).toBe('Door cameras');
    expect(got.certificateAuthorities).toHaveLength(2);
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${COLLECTION_PATH}/${created.id}`]);
  });

  it('update PATCHes and returns the updated configuration, CAs untouched', async () => {
    const created = await seed();
    const updated = await client().update(created.id, { displayName: 'Renamed' });
    expect(updated.displayName).toBe('Renamed');
    expect(stored(created.id).displayName).toBe('Renamed');
    expect(storedCertificates(created.id)).toEqual([b64(root), b64(inter)].sort());
    expect(emu.requests.map((r) => r.method)).toEqual(['PATCH']);
    expect(JSON.parse(emu.requests[0]!.body)).toEqual({ displayName: 'Renamed' });
  });

  it('addCertificateAuthorities adds to the list, keeps every existing CA with its CRL URL, and reads back', async () => {
    const body = createBody('With CRL');
    body.certificateAuthorities[0]!.certificateRevocationListUrl = 'http://pki.example.test/root-a.crl';
    const created = await client().create(body);
    emu.requests.length = 0;
    const result = await client().addCertificateAuthorities(created.id, [{ certificate: root2.pem }, { certificate: inter2.der }]);
    expect(result.changed).toBe(true);
    expect(result.added).toBe(2);
    expect(result.removed).toBe(0);
    expect(result.configuration.certificateAuthorities.map((c) => c.certificate).sort()).toEqual([b64(root), b64(inter), b64(root2), b64(inter2)].sort());
    expect(storedCertificates(created.id)).toEqual([b64(root), b64(inter), b64(root2), b64(inter2)].sort());
    const kept = stored(created.id).certificateAuthorities.find((c) => c.certificate === b64(root))!;
    expect(kept.certificateRevocationListUrl).toBe('http://pki.example.test/root-a.crl');
    // GET the current list, PATCH the whole new list, GET it back.
    expect(emu.requests.map((r) => r.method)).toEqual(['GET', 'PATCH', 'GET']);
    const sent = JSON.parse(emu.requests[1]!.body) as Body;
    expect(sent.certificateAuthorities.map((c) => c.certificate)).toEqual([b64(root), b64(inter), b64(root2), b64(inter2)]);
    expect(sent.certificateAuthorities.map((c) => c.isRootAuthority)).toEqual([true, false, true, false]);
  });

  it('addCertificateAuthorities of a CA already present changes nothing and sends no PATCH', async () => {
    const created = await seed();
    const result = await client().addCertificateAuthorities(created.id, [{ certificate: root.der }]);
    expect(result.changed).toBe(false);
    expect(result.added).toBe(0);
    expect(count('PATCH')).toBe(0);
    expect(storedCertificates(created.id)).toEqual([b64(root), b64(inter)].sort());
  });

  it('removeCertificateAuthorities by SHA-256 and by subjectKeyIdentifier, reporting keys that match nothing', async () => {
    const created = await seed('Four CAs', [root, inter, root2, inter2]);
    const ski = Buffer.from(inter2.subjectKeyId!).toString('hex').toUpperCase().match(/../g)!.join(':');
    const result = await client().removeCertificateAuthorities(created.id, [sha256(root2), ski, 'ab'.repeat(32)]);
    expect(result.changed).toBe(true);
    expect(result.removed).toBe(2);
    expect(result.added).toBe(0);
    expect(result.notFound).toEqual(['ab'.repeat(32)]);
    expect(storedCertificates(created.id)).toEqual([b64(root), b64(inter)].sort());
    expect(result.configuration.certificateAuthorities.map((c) => c.certificate).sort()).toEqual([b64(root), b64(inter)].sort());
  });

  it('delete removes the configuration', async () => {
    const created = await seed();
    await client().delete(created.id);
    expect(emu.store.size).toBe(0);
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE ${COLLECTION_PATH}/${created.id}`]);
  });

  it('list follows @odata.nextLink across pages (page size 2, 5 objects)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client().create(createBody(`Paged ${i}`, [i % 2 === 0 ? root : root2]))).id);
    emu.requests.length = 0;
    const all = await client().list();
    expect(all.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(new Set(all.map((c) => c.id)).size).toBe(5);
    const gets = emu.requests.filter((r) => r.method === 'GET');
    expect(gets).toHaveLength(3);
    expect(gets[0]!.path).toBe(COLLECTION_PATH);
    expect(gets[1]!.path).toMatch(/(\$|%24)skiptoken=/);
    expect(gets[2]!.path).toMatch(/(\$|%24)skiptoken=/);
  });

  it('list with $top pages one by one, and $filter finds by displayName', async () => {
    for (let i = 0; i < 5; i++) await client().create(createBody(`Paged ${i}`, [root]));
    emu.requests.length = 0;
    const all = await client().list({ top: 1 });
    expect(all).toHaveLength(5);
    expect(count('GET')).toBe(5);
    const found = await client().list({ filter: "displayName eq 'Paged 3'" });
    expect(found.map((c) => c.displayName)).toEqual(['Paged 3']);
  });

  it('list of an empty tenant is empty', async () => {
    expect(await client().list()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Graph's errors
// ---------------------------------------------------------------------------------------------

describe('Graph errors become GraphApiError', () => {
  it('400 validation: graphCode, graphMessage, requestId and clientRequestId from the body', async () => {
    const error = await apiError(client({ preflight: false }).create(JSON.stringify({ ...createBody('Bad'), colour: 'blue' })));
    expect(error.code).toBe('ERR_GRAPH_RESPONSE');
    expect(error.status).toBe(400);
    expect(error.operation).toBe('create');
    expect(error.graphCode).toBe('BadRequest');
    expect(error.graphMessage).toMatch(/The property 'colour' does not exist on type 'microsoft\.graph\.mutualTlsOauthConfiguration'/);
    expect(error.requestId).toMatch(UUID);
    expect(error.clientRequestId).toBe(header(emu.requests[0]!, 'client-request-id'));
    expect(error.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((error.body as { error: { code: string } }).error.code).toBe('BadRequest');
    expect(error.message).toMatch(/400 BadRequest/);
    expect(emu.store.size).toBe(0);
    expect(emu.requests).toHaveLength(1); // a 400 is not retried
  });

  it('400 on a PATCH that tries to change tlsClientAuthParameter', async () => {
    const created = await seed();
    const error = await apiError(client({ preflight: false }).update(created.id, JSON.stringify({ tlsClientAuthParameter: 'tls_client_auth_san_dns' })));
    expect(error.status).toBe(400);
    expect(error.operation).toBe('update');
    expect(error.graphCode).toBe('Request_BadRequest');
    expect(error.graphMessage).toMatch(/tlsClientAuthParameter' is read-only/);
    expect(stored(created.id).tlsClientAuthParameter).toBe(PARAM);
  });

  it('401 for a token Graph does not accept, with a hint', async () => {
    const error = await apiError(client({ token: 'not-a-valid-token' }).list());
    expect(error.status).toBe(401);
    expect(error.graphCode).toBe('InvalidAuthenticationToken');
    expect(error.hint).toMatch(/token/);
    expect(error.requestId).toMatch(UUID);
    expect(emu.requests).toHaveLength(1);
  });

  it('403 on a write with a read-only token names the write permission and the admin roles', async () => {
    const error = await apiError(client({ token: 'read-token' }).create(createBody('Denied')));
    expect(error.status).toBe(403);
    expect(error.operation).toBe('create');
    expect(error.graphCode).toBe('Authorization_RequestDenied');
    expect(error.hint).toContain(WRITE_PERMISSION);
    for (const role of ADMIN_ROLES) expect(error.hint).toContain(role);
    expect(error.message).toContain(WRITE_PERMISSION);
    expect(emu.store.size).toBe(0);
    expect(count('POST')).toBe(1);
  });

  it('403 on a read without a read scope names the read permission', async () => {
    const error = await apiError(client({ token: 'other-token' }).list());
    expect(error.status).toBe(403);
    expect(error.operation).toBe('list');
    expect(error.hint).toContain('MutualTlsOauthConfiguration.Read.All');
  });

  it('404 for an id that does not exist (get, update, delete)', async () => {
    const get = await apiError(client().get('00000000-0000-0000-0000-00000000dead'));
    expect(get.status).toBe(404);
    expect(get.operation).toBe('get');
    expect(get.graphCode).toBe('Request_ResourceNotFound');
    expect(get.hint).toMatch(/no mutualTlsOauthConfiguration has this id/);
    const update = await apiError(client().update('00000000-0000-0000-0000-00000000dead', { displayName: 'x' }));
    expect(update.status).toBe(404);
    expect(update.operation).toBe('update');
    const del = await apiError(client().delete('00000000-0000-0000-0000-00000000dead'));
    expect(del.status).toBe(404);
    expect(del.operation).toBe('delete');
    expect(emu.requests).toHaveLength(3);
  });

  it('400 on delete hints at the device templates that still link to it', async () => {
    const created = await seed();
    emu.inject({ kind: 'status', status: 400, match: { method: 'DELETE' } });
    const error = await apiError(client().delete(created.id));
    expect(error.status).toBe(400);
    expect(error.operation).toBe('delete');
    expect(error.hint).toMatch(/deviceTemplate/);
    expect(emu.store.has(created.id)).toBe(true);
    expect(count('DELETE')).toBe(1);
  });

  it('an empty id is refused before any request', async () => {
    const error = await rejection(client().get(''));
    expect((error as GraphMtlsError).code).toBe('ERR_INVALID_ARGUMENT');
    expect(emu.requests).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

describe('throttling (429 with Retry-After)', () => {
  it('waits as Retry-After says, then succeeds', async () => {
    const created = await seed();
    const warnings: string[] = [];
    emu.inject({ kind: 'status', status: 429, retryAfter: '1', match: { method: 'GET' } });
    const started = Date.now();
    const got = await client({ retry: { baseDelayMs: 1, maxDelayMs: 2 }, onWarning: (m) => warnings.push(m) }).get(created.id);
    const elapsed = Date.now() - started;
    expect(got.id).toBe(created.id);
    expect(count('GET')).toBe(2);
    // Retry-After wins over the 1 ms backoff.
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(warnings.some((w) => /HTTP 429; retrying in 1000 ms/.test(w))).toBe(true);
  });

  it('a throttled create is re-sent (Graph did not process it) and makes exactly one object', async () => {
    emu.inject({ kind: 'status', status: 429, retryAfter: '0', match: { method: 'POST' }, times: 2 });
    const created = await client().create(createBody('Throttled'));
    expect(count('POST')).toBe(3);
    expect(count('GET')).toBe(0); // no lookup is needed after a 429
    expect([...emu.store.keys()]).toEqual([created.id]);
  });

  it('gives up after maxRetries with the 429 as GraphApiError', async () => {
    emu.inject({ kind: 'status', status: 429, retryAfter: '0', times: 10 });
    const error = await apiError(client({ retry: { ...FAST, maxRetries: 2 } }).list());
    expect(error.status).toBe(429);
    expect(error.graphCode).toBe('TooManyRequests');
    expect(error.hint).toMatch(/Retry-After/);
    expect(count('GET')).toBe(3);
  });

  it('gives up when Retry-After would pass maxTotalMs', async () => {
    emu.inject({ kind: 'status', status: 429, retryAfter: '120' });
    const started = Date.now();
    const error = await apiError(client({ retry: { ...FAST, maxTotalMs: 5_000 } }).list());
    expect(error.status).toBe(429);
    // It did not wait the 120 s Retry-After asked for (a wide margin: the machine may be busy).
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(count('GET')).toBe(1);
  });
});

describe('transient 503 and 504', () => {
  it('a 503 on get is retried', async () => {
    const created = await seed();
    emu.inject({ kind: 'status', status: 503, match: { method: 'GET' } });
    expect((await client().get(created.id)).id).toBe(created.id);
    expect(count('GET')).toBe(2);
  });

  it('a 504 on the second page of a list is retried and no page is lost or repeated', async () => {
    for (let i = 0; i < 5; i++) await client().create(createBody(`Paged ${i}`, [root]));
    emu.requests.length = 0;
    emu.inject({ kind: 'status', status: 504, match: { method: 'GET', path: /skiptoken/ } });
    const all = await client().list();
    expect(all).toHaveLength(5);
    expect(new Set(all.map((c) => c.id)).size).toBe(5);
    expect(count('GET')).toBe(4);
  });

  it('a 503 that persists ends in GraphApiError after maxRetries + 1 attempts', async () => {
    emu.inject({ kind: 'status', status: 503, times: 10 });
    const error = await apiError(client().list());
    expect(error.status).toBe(503);
    expect(error.graphCode).toBe('serviceNotAvailable');
    expect(count('GET')).toBe(4); // default maxRetries is 3
  });

  it('a 504 on a PATCH is retried and the configuration keeps every CA', async () => {
    const created = await seed();
    emu.inject({ kind: 'status', status: 504, match: { method: 'PATCH' } });
    const result = await client().addCertificateAuthorities(created.id, [{ certificate: root2.der }]);
    expect(result.changed).toBe(true);
    expect(count('PATCH')).toBe(2);
    expect(storedCertificates(created.id)).toEqual([b64(root), b64(inter), b64(root2)].sort());
  });

  it('a 504 on a create that did not happen: looked up, never re-sent, reported as an unknown outcome', async () => {
    emu.inject({ kind: 'status', status: 504, match: { method: 'POST' } });
    await expect(client().create(createBody('Gateway timeout'))).rejects.toMatchObject({ code: 'ERR_GRAPH_OUTCOME_UNKNOWN' });
    expect(count('POST')).toBe(1);
    expect(count('GET')).toBeGreaterThanOrEqual(1); // the lookups by displayName
    expect(emu.requests.find((r) => r.method === 'GET')!.path).toMatch(/\$filter=displayName/);
    expect(emu.store.size).toBe(0);
  });
});

describe('a create that happened behind a 504 (createThenFail)', () => {
  it('is found by displayName and never POSTed twice', async () => {
    emu.inject({ kind: 'createThenFail', status: 504 });
    const warnings: string[] = [];
    const created = await client({ onWarning: (m) => warnings.push(m) }).create(createBody('Created then failed'));
    expect(count('POST')).toBe(1);
    expect(emu.store.size).toBe(1);
    expect([...emu.store.keys()]).toEqual([created.id]);
    expect(created.displayName).toBe('Created then failed');
    expect(created.certificateAuthorities.map((c) => c.certificate)).toEqual([b64(root), b64(inter)]);
    expect(warnings.some((w) => /HTTP 504/.test(w))).toBe(true);
  });

  it('converges even with no retries left (the lookup happens before giving up)', async () => {
    emu.inject({ kind: 'createThenFail', status: 503 });
    const created = await client({ retry: { ...FAST, maxRetries: 0 } }).create(createBody('No retries'));
    expect(count('POST')).toBe(1);
    expect([...emu.store.keys()]).toEqual([created.id]);
  });

  it('is not confused with a same-named configuration holding other CAs', async () => {
    const other = await seed('Same name', [root2]);
    emu.inject({ kind: 'createThenFail' });
    const created = await client().create(createBody('Same name', [root, inter]));
    expect(created.id).not.toBe(other.id);
    expect(count('POST')).toBe(1);
    expect(emu.store.size).toBe(2);
    expect(storedCertificates(created.id)).toEqual([b64(root), b64(inter)].sort());
  });

  it('without a displayName it stops with ERR_GRAPH_OUTCOME_UNKNOWN rather than risk a duplicate', async () => {
    emu.inject({ kind: 'createThenFail' });
    const error = await rejection(client().create(createBody(undefined)));
    expect(error).toBeInstanceOf(GraphMtlsError);
    expect((error as GraphMtlsError).code).toBe('ERR_GRAPH_OUTCOME_UNKNOWN');
    expect((error as Error).message).toMatch(/do not retry blindly/);
    expect(count('POST')).toBe(1);
    expect(emu.store.size).toBe(1);
  });

  it('two matching configurations are a conflict to resolve by hand, not a third POST', async () => {
    await seed('Twice', [root]);
    emu.inject({ kind: 'createThenFail' });
    const error = await rejection(client().create(createBody('Twice', [root])));
    expect((error as GraphMtlsError).code).toBe('ERR_GRAPH_CONFLICT');
    expect(count('POST')).toBe(1);
    expect(emu.store.size).toBe(2);
  });
});

describe('slow answers beyond timeoutMs', () => {
  it('a slow answer is ERR_GRAPH_TRANSPORT when no retry is left', async () => {
    emu.inject({ kind: 'slow', delayMs: 600, match: { method: 'GET' } });
    const error = await rejection(client({ timeoutMs: 100, retry: { ...FAST, maxRetries: 0 } }).list());
    expect(error).toBeInstanceOf(GraphMtlsError);
    expect((error as GraphMtlsError).code).toBe('ERR_GRAPH_TRANSPORT');
    expect((error as GraphMtlsError).cause).toBeInstanceOf(GraphMtlsError);
    expect(((error as GraphMtlsError).cause as GraphMtlsError).message).toMatch(/no answer within 100 ms/);
    expect(count('GET')).toBe(1);
  });

  it('a slow answer is retried and the retry succeeds', async () => {
    const created = await seed();
    emu.inject({ kind: 'slow', delayMs: 600, match: { method: 'GET' } });
    const warnings: string[] = [];
    const got = await client({ timeoutMs: 100, onWarning: (m) => warnings.push(m) }).get(created.id);
    expect(got.id).toBe(created.id);
    expect(count('GET')).toBe(2);
    expect(warnings.some((w) => /network failure/.test(w))).toBe(true);
  });

  it('a slow PATCH is retried and no CA is lost', async () => {
    const created = await seed();
    emu.inject({ kind: 'slow', delayMs: 300, match: { method: 'PATCH' } });
    const result = await client({ timeoutMs: 100 }).addCertificateAuthorities(created.id, [{ certificate: root2.der }]);
    expect(result.added).toBe(1);
    await wait(350); // let the slow PATCH land too: it carries the same whole list
    expect(storedCertificates(created.id)).toEqual([b64(root), b64(inter), b64(root2)].sort());
  });

  // Fails today: after the timeout the client looks the object up once (too early, the server
  // is still working), finds nothing and POSTs again; the first POST then lands as well.
  it('a slow create that the server completes after the client gave up makes no duplicate', async () => {
    emu.inject({ kind: 'slow', delayMs: 400, match: { method: 'POST' } });
    let outcome: unknown;
    try {
      outcome = await client({ timeoutMs: 100 }).create(createBody('Slow create'));
    } catch (error) {
      outcome = error;
    }
    await wait(500); // the emulator finishes the timed-out POST
    expect(emu.store.size, `outcome: ${outcome instanceof Error ? outcome.message : 'created'}; POSTs: ${count('POST')}`).toBe(1);
  });

  it("a DELETE that timed out but happened: the retry's 404 counts as done", async () => {
    const created = await seed();
    emu.inject({ kind: 'slow', delayMs: 200, match: { method: 'DELETE' } });
    // The retry waits 250–500 ms, so it arrives after the slow DELETE has removed the object.
    await client({ timeoutMs: 100, retry: { baseDelayMs: 500, maxDelayMs: 500 } }).delete(created.id);
    expect(emu.store.size).toBe(0);
    expect(count('DELETE')).toBe(2);
  });
});

describe('dropped connections', () => {
  it('a dropped GET is retried and succeeds', async () => {
    const created = await seed();
    emu.inject({ kind: 'drop', match: { method: 'GET' } });
    expect((await client().get(created.id)).id).toBe(created.id);
    expect(count('GET')).toBe(2);
  });

  it('a dropped connection is ERR_GRAPH_TRANSPORT when no retry is left', async () => {
    emu.inject({ kind: 'drop' });
    const error = await rejection(client({ retry: { ...FAST, maxRetries: 0 } }).list());
    expect((error as GraphMtlsError).code).toBe('ERR_GRAPH_TRANSPORT');
    expect(((error as GraphMtlsError).cause as Error).message).toMatch(/the connection failed/);
  });

  it('a dropped create (never processed) is looked up, never sent again: an unknown outcome, no object', async () => {
    emu.inject({ kind: 'drop', match: { method: 'POST' } });
    await expect(client().create(createBody('Dropped create'))).rejects.toMatchObject({ code: 'ERR_GRAPH_OUTCOME_UNKNOWN' });
    expect(count('POST')).toBe(1);
    expect(emu.store.size).toBe(0);
    // Re-running is safe: the next create makes the one object.
    await client().create(createBody('Dropped create'));
    expect(emu.store.size).toBe(1);
  });

  it('a dropped PATCH while adding CAs is retried and every CA is kept', async () => {
    const created = await seed('Keep them', [root, inter, root2]);
    emu.inject({ kind: 'drop', match: { method: 'PATCH' }, times: 2 });
    const result = await client().addCertificateAuthorities(created.id, [{ certificate: inter2.der }]);
    expect(result.changed).toBe(true);
    expect(count('PATCH')).toBe(3);
    expect(storedCertificates(created.id)).toEqual([b64(root), b64(inter), b64(root2), b64(inter2)].sort());
    const read = await client().get(created.id);
    expect(read.certificateAuthorities.map((c) => c.certificate).sort()).toEqual([b64(root), b64(inter), b64(root2), b64(inter2)].sort());
  });

  it('a dropped DELETE is retried', async () => {
    const created = await seed();
    emu.inject({ kind: 'drop', match: { method: 'DELETE' } });
    await client().delete(created.id);
    expect(emu.store.size).toBe(0);
    expect(count('DELETE')).toBe(2);
  });
});

describe('CA list read-back', () => {
  it('a concurrent writer that drops a CA after our PATCH is reported as ERR_GRAPH_CONFLICT', async () => {
    const created = await seed();
    // A fetch that, once our PATCH has landed, lets "someone else" remove a CA.
    const racing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'PATCH') {
        const entry = emu.store.get(created.id) as { certificateAuthorities: { certificate: string }[] };
        emu.store.set(created.id, { ...entry, certificateAuthorities: entry.certificateAuthorities.filter((c) => c.certificate !== b64(inter)) });
      }
      return response;
    };
    const error = await rejection(client({ fetch: racing }).addCertificateAuthorities(created.id, [{ certificate: root2.der }]));
    expect((error as GraphMtlsError).code).toBe('ERR_GRAPH_CONFLICT');
    expect((error as GraphMtlsError).message).toMatch(/1 CA\(s\) missing/);
  });
});

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

describe('credentials', () => {
  it('an @azure/identity-style credential is asked for the Graph .default scope', async () => {
    const asked: unknown[] = [];
    const credential = {
      getToken: async (scopes: string | string[]) => {
        asked.push(scopes);
        return { token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const c = createClient({ baseUrl: emu.url, credential, retry: FAST });
    await c.list();
    await c.create(createBody('By credential'));
    expect(asked.length).toBe(2);
    for (const s of asked) expect(s).toEqual([GRAPH_SCOPE]);
    expect(emu.requests.every((r) => header(r, 'authorization') === 'Bearer test-token')).toBe(true);
  });

  it("a national cloud credential is asked for that cloud's scope", async () => {
    const asked: unknown[] = [];
    const c = createClient({ baseUrl: emu.url, cloud: 'usGov', getToken: (s) => (asked.push(s), 'test-token'), retry: FAST, onWarning: () => undefined });
    await c.list();
    expect(asked).toEqual([['https://graph.microsoft.us/.default']]);
  });

  it('a getToken function (string or { token })', async () => {
    const scopes: string[][] = [];
    await createClient({ baseUrl: emu.url, getToken: (s) => (scopes.push(s), 'test-token') }).list();
    await createClient({ baseUrl: emu.url, getToken: async () => ({ token: 'test-token' }) }).list();
    expect(scopes).toEqual([[GRAPH_SCOPE]]);
    expect(emu.requests).toHaveLength(2);
    expect(emu.requests.every((r) => header(r, 'authorization') === 'Bearer test-token')).toBe(true);
  });

  it('a static token', async () => {
    await createClient({ baseUrl: emu.url, token: 'test-token' }).list();
    expect(header(emu.requests[0]!, 'authorization')).toBe('Bearer test-token');
  });

  it('an environment variable: GRAPH_TOKEN by default, or the one named by tokenEnv', async () => {
    await createClient({ baseUrl: emu.url, env: { GRAPH_TOKEN: 'test-token' } }).list();
    await createClient({ baseUrl: emu.url, tokenEnv: 'MY_GRAPH_TOKEN', env: { MY_GRAPH_TOKEN: 'test-token', GRAPH_TOKEN: 'wrong' } }).list();
    expect(emu.requests).toHaveLength(2);
    expect(emu.requests.every((r) => header(r, 'authorization') === 'Bearer test-token')).toBe(true);
  });

  it('no token at all is ERR_INVALID_ARGUMENT, before any request', async () => {
    const cases: Promise<unknown>[] = [
      createClient({ baseUrl: emu.url, env: {} }).list(),
      createClient({ baseUrl: emu.url, tokenEnv: 'MISSING_VAR', env: { GRAPH_TOKEN: 'test-token' } }).list(),
      createClient({ baseUrl: emu.url, env: { GRAPH_TOKEN: '' } }).list(),
      createClient({ baseUrl: emu.url, credential: { getToken: async () => null } }).list(),
      createClient({ baseUrl: emu.url, getToken: () => '' }).list(),
      createClient({ baseUrl: emu.url, token: '' }).create(createBody('No token')),
    ];
    for (const p of cases) {
      const error = await rejection(p);
      expect(error).toBeInstanceOf(GraphMtlsError);
      expect((error as GraphMtlsError).code).toBe('ERR_INVALID_ARGUMENT');
    }
    const named = (await rejection(createClient({ baseUrl: emu.url, tokenEnv: 'MISSING_VAR', env: {} }).list())) as Error;
    expect(named.message).toContain('MISSING_VAR');
    expect(emu.requests).toHaveLength(0);
  });

  it('the token never appears in a 401 error, its JSON or its inspection', async () => {
    const wrong = `${SECRET}-revoked`;
    const error = await apiError(createClient({ baseUrl: emu.url, token: wrong, retry: FAST }).create(createBody('Leak check')));
    expect(error.status).toBe(401);
    expect(header(emu.requests[0]!, 'authorization')).toBe(`Bearer ${wrong}`); // it was sent...
    for (const text of [error.message, String(error), JSON.stringify(error), JSON.stringify(error.body), inspect(error, { depth: 10 }), error.stack ?? '']) {
      expect(text).not.toContain(SECRET); // ...but never reported
    }
  });

  it('the token never appears in transport errors (timeout, dropped connection)', async () => {
    emu.inject({ kind: 'drop' }, { kind: 'slow', delayMs: 400 });
    const c = createClient({ baseUrl: emu.url, token: SECRET, timeoutMs: 100, retry: { ...FAST, maxRetries: 0 } });
    const dropped = (await rejection(c.list())) as GraphMtlsError;
    const slow = (await rejection(c.list())) as GraphMtlsError;
    for (const error of [dropped, slow]) {
      expect(error.code).toBe('ERR_GRAPH_TRANSPORT');
      for (const text of [error.message, JSON.stringify(error), inspect(error, { depth: 10 }), error.stack ?? '', String((error.cause as Error | undefined)?.message)]) {
        expect(text).not.toContain(SECRET);
      }
    }
  });

  it('every request carries a distinct client-request-id, retries included', async () => {
    const created = await seed();
    emu.inject({ kind: 'status', status: 503, match: { method: 'GET' }, times: 2 });
    const c = client();
    await c.get(created.id);
    await c.list();
    await c.addCertificateAuthorities(created.id, [{ certificate: root2.der }]);
    await c.update(created.id, { displayName: 'x' });
    await c.delete(created.id);
    const ids = emu.requests.map((r) => header(r, 'client-request-id'));
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

// ---------------------------------------------------------------------------------------------
// Pre-flight
// ---------------------------------------------------------------------------------------------

describe('pre-flight checks', () => {
  it('a create with an expired CA is refused without any request', async () => {
    const error = await rejection(client().create(createBody('Expired', [expired])));
    expect(error).toBeInstanceOf(GraphPreflightError);
    const pre = error as GraphPreflightError;
    expect(pre.code).toBe('ERR_GRAPH_PREFLIGHT');
    expect(pre.findings.some((f) => f.code === 'CERT_EXPIRED' && f.severity === 'error')).toBe(true);
    expect(pre.graphError).toEqual({ error: { code: 'Request_BadRequest', message: "Invalid value specified for property 'certificate' of resource 'CertificateAuthorityInformation'." } });
    expect(emu.requests).toHaveLength(0);
    expect(emu.store.size).toBe(0);
  });

  it('preflight: false sends it, and the emulator answers 400 as GraphApiError', async () => {
    const error = await apiError(client({ preflight: false }).create(createBody('Expired', [expired])));
    expect(error.status).toBe(400);
    expect(error.graphCode).toBe('Request_BadRequest');
    expect(error.graphMessage).toBe("Invalid value specified for property 'certificate' of resource 'CertificateAuthorityInformation'.");
    expect(error.requestId).toMatch(UUID);
    expect(count('POST')).toBe(1);
    expect(emu.store.size).toBe(0);
  });

  it('an update with an expired CA is refused without any request', async () => {
    const created = await seed();
    const error = await rejection(client().update(created.id, { certificateAuthorities: [{ certificate: b64(expired), isRootAuthority: true }] }));
    expect(error).toBeInstanceOf(GraphPreflightError);
    expect(emu.requests).toHaveLength(0);
  });

  it('adding an expired CA is refused after reading the list, before any PATCH', async () => {
    const created = await seed();
    const error = await rejection(client().addCertificateAuthorities(created.id, [{ certificate: expired.der }]));
    expect(error).toBeInstanceOf(GraphPreflightError);
    expect(emu.requests.map((r) => r.method)).toEqual(['GET']);
    expect(storedCertificates(created.id)).toEqual([b64(root), b64(inter)].sort());
  });
});
