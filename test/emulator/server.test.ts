// Tests of the Graph emulator (server.ts) with plain fetch against the running server: every
// endpoint and status (spec §2), paging and query options (§2.2), scopes (§2.6), Graph's error
// bodies (§3.1–§3.3), injected faults (§3.5), CORS, and the computed issuer/issuerSki (§1.3).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeCertificate, makeDeviceCert, makeIntermediateCa, makeRootCa, toPem, type GeneratedCertificate } from '../fixtures/certificates.ts';
import { main, parseArgs } from './cli.ts';
import { COLLECTION_PATH, startEmulator, type Emulator } from './server.ts';
import { checkCaCertificate, decodeDotNetBase64, dotNetName } from './validate-certificate.ts';

const DAY = 86_400_000;
const b64 = (c: GeneratedCertificate | Uint8Array): string => Buffer.from(c instanceof Uint8Array ? c : c.der).toString('base64');
const hexUpper = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex').toUpperCase();

let emu: Emulator;
let root: GeneratedCertificate;
let intermediate: GeneratedCertificate;
let device: GeneratedCertificate;

const TOKENS = {
  'test-token': { scopes: ['MutualTlsOauthConfiguration.ReadWrite.All'] },
  'read-token': { scopes: ['MutualTlsOauthConfiguration.Read.All'] },
  'directory-read-token': { scopes: ['Directory.Read.All'] },
  'other-token': { scopes: ['User.Read'] },
};

beforeAll(async () => {
  emu = await startEmulator({ tokens: TOKENS });
  root = await makeRootCa({ subject: [['C', 'US'], ['ST', 'WA'], ['L', 'Redmond'], ['O', 'Microsoft Corporation'], ['OU', 'IoT Org'], ['CN', 'certauthority.com']] });
  intermediate = await makeIntermediateCa(root);
  device = await makeDeviceCert(intermediate);
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const collection = (): string => `${emu.url}${COLLECTION_PATH}`;

function call(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const { token = 'test-token', ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  if (rest.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(path.startsWith('http') ? path : `${collection()}${path}`, { ...rest, headers });
}

function caEntry(cert: GeneratedCertificate, isRootAuthority: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { certificate: b64(cert), isRootAuthority, ...extra };
}

function createBody(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    displayName: 'DoorCamera_Model_X_TrustedCAs',
    tlsClientAuthParameter: 'tls_client_auth_san_uri',
    certificateAuthorities: [caEntry(root, true, { certificateRevocationListUrl: 'http://pki.example.com/root.crl' }), caEntry(intermediate, false)],
    ...extra,
  });
}

async function create(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const res = await call('', { method: 'POST', body: createBody(extra) });
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, unknown>;
}

interface GraphErrorBody {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id': string } };
}

async function expectError(res: Response, status: number, code: string, message?: string | RegExp): Promise<GraphErrorBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as GraphErrorBody;
  expect(body.error.code).toBe(code);
  if (typeof message === 'string') expect(body.error.message).toBe(message);
  else if (message) expect(body.error.message).toMatch(message);
  expect(body.error.innerError['request-id']).toBe(res.headers.get('request-id'));
  expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  return body;
}

const INVALID_VALUES = 'One or more properties contains invalid values.';
const INVALID_CERT = "Invalid value specified for property 'certificate' of resource 'CertificateAuthorityInformation'.";

describe('create (POST)', () => {
  it('answers 201 with the entity, a GUID id, Location and the computed issuer/issuerSki', async () => {
    const res = await call('', { method: 'POST', body: createBody() });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown> & { certificateAuthorities: Record<string, unknown>[] };
    expect(body['@odata.context']).toBe(`${emu.url}/beta/$metadata#directory/certificateAuthorities/mutualTlsOauthConfigurations/$entity`);
    expect(body['id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.headers.get('location')).toBe(`${collection()}/${body['id'] as string}`);
    expect(body['deletedDateTime']).toBeNull();
    expect(body['displayName']).toBe('DoorCamera_Model_X_TrustedCAs');
    expect(body['tlsClientAuthParameter']).toBe('tls_client_auth_san_uri');
    expect(body.certificateAuthorities).toEqual([
      {
        certificate: b64(root),
        certificateRevocationListUrl: 'http://pki.example.com/root.crl',
        deltaCertificateRevocationListUrl: null,
        isRootAuthority: true,
        issuer: 'CN=certauthority.com, OU=IoT Org, O=Microsoft Corporation, L=Redmond, S=WA, C=US',
        issuerSki: hexUpper(root.subjectKeyId),
      },
      {
        certificate: b64(intermediate),
        certificateRevocationListUrl: null,
        deltaCertificateRevocationListUrl: null,
        isRootAuthority: false,
        // The fixture's string names put CN first in the DER, so reversed it comes last.
        issuer: expect.stringMatching(/^C=US, O=graph-mtls tests, CN=Test Intermediate CA \d+$/),
        issuerSki: hexUpper(intermediate.subjectKeyId),
      },
    ]);
    expect(emu.store.size).toBe(1);
    expect(emu.store.get(body['id'] as string)).toMatchObject({ displayName: 'DoorCamera_Model_X_TrustedCAs' });
  });

  it('accepts a body with only tlsClientAuthParameter and ignores round-tripped read-only fields', async () => {
    const minimal = await call('', { method: 'POST', body: JSON.stringify({ tlsClientAuthParameter: 'tls_client_auth_subject_dn' }) });
    expect(minimal.status).toBe(201);
    expect(await minimal.json()).toMatchObject({ displayName: null, certificateAuthorities: [] });
    const roundTrip = await call('', {
      method: 'POST',
      body: JSON.stringify({
        '@odata.type': '#microsoft.graph.mutualTlsOauthConfiguration',
        id: 'ignored',
        deletedDateTime: null,
        tlsClientAuthParameter: 'tls_client_auth_san_dns',
        certificateAuthorities: [caEntry(root, true, { '@odata.type': '#microsoft.graph.certificateAuthority', issuer: 'x', issuerSki: 'y' })],
      }),
    });
    expect(roundTrip.status).toBe(201);
    const body = (await roundTrip.json()) as { id: string; certificateAuthorities: { issuer: string }[] };
    expect(body.id).not.toBe('ignored');
    expect(body.certificateAuthorities[0]!.issuer).toMatch(/^CN=certauthority\.com, /);
  });

  it.each([
    ['tls_client_auth_subject_dn'],
    ['tls_client_auth_san_dns'],
    ['tls_client_auth_san_uri'],
    ['tls_client_auth_san_ip'],
    ['tls_client_auth_san_email'],
  ])('accepts tlsClientAuthParameter %s', async (value) => {
    expect((await create({ tlsClientAuthParameter: value }))['tlsClientAuthParameter']).toBe(value);
  });
});

describe('validation 400s', () => {
  const post = (body: string, headers: Record<string, string> = {}): Promise<Response> => call('', { method: 'POST', body, headers });

  it('rejects a body that is not JSON', async () => {
    await expectError(await post('{"displayName":'), 400, 'BadRequest', /^Unable to read JSON request payload\./);
    await expectError(await post('[1,2]'), 400, 'BadRequest', /^Unable to read JSON request payload\./);
  });

  it('rejects unknown properties of the closed types', async () => {
    const ca = caEntry(root, true, { issuerSubjectkeyIdentifier: 'SKI' });
    await expectError(
      await post(createBody({ certificateAuthorities: [ca] })),
      400,
      'BadRequest',
      "The property 'issuerSubjectkeyIdentifier' does not exist on type 'microsoft.graph.certificateAuthority'. Make sure to only use property names that are defined by the type or mark the type as open type.",
    );
    await expectError(
      await post(createBody({ certificateAuthority: [] })),
      400,
      'BadRequest',
      "The property 'certificateAuthority' does not exist on type 'microsoft.graph.mutualTlsOauthConfiguration'. Make sure to only use property names that are defined by the type or mark the type as open type.",
    );
  });

  it('rejects a missing, invalid or sentinel tlsClientAuthParameter', async () => {
    const { tlsClientAuthParameter: _, ...rest } = JSON.parse(createBody()) as Record<string, unknown>;
    await expectError(await post(JSON.stringify(rest)), 400, 'Request_BadRequest', INVALID_VALUES);
    await expectError(await post(createBody({ tlsClientAuthParameter: 'tls_client_auth_san_upn' })), 400, 'Request_BadRequest', INVALID_VALUES);
    await expectError(await post(createBody({ tlsClientAuthParameter: 'unknownFutureValue' })), 400, 'Request_BadRequest', INVALID_VALUES);
    await expectError(await post(createBody({ tlsClientAuthParameter: null })), 400, 'Request_BadRequest', INVALID_VALUES);
    expect(emu.store.size).toBe(0);
  });

  it('rejects a certificate that .NET cannot read as base64, and takes line-wrapped base64', async () => {
    const std = b64(root);
    const cases = [
      std.replace(/=+$/, '') + (std.endsWith('=') ? '' : 'A'), // unpadded / wrong length
      std.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '') + '-_', // base64url
      `${std.slice(0, 8)}=${std.slice(9)}`, // a misplaced '='
      toPem(root.der), // PEM armour
    ];
    const wrapped = await post(createBody({ certificateAuthorities: [{ certificate: std.replace(/.{64}/g, '$&\r\n'), isRootAuthority: true }] }));
    expect(wrapped.status).toBe(201);
    expect(((await wrapped.json()) as { certificateAuthorities: { certificate: string }[] }).certificateAuthorities[0]!.certificate).toBe(std);
    for (const literal of cases) {
      await expectError(
        await post(createBody({ certificateAuthorities: [{ certificate: literal, isRootAuthority: true }] })),
        400,
        'Request_BadRequest',
        `Cannot convert the literal '${literal}' to the expected type 'Edm.Binary'.`,
      );
    }
  });

  it('rejects certificates that are unparsable, not a CA, expired or not yet valid', async () => {
    const now = Date.now();
    const expired = await makeRootCa({ notBefore: new Date(now - 3 * 365 * DAY), notAfter: new Date(now - DAY) });
    const future = await makeRootCa({ notBefore: new Date(now + 30 * DAY), notAfter: new Date(now + 365 * DAY) });
    const noBasicConstraints = await makeCertificate({ subject: 'CN=No BC' });
    const pemBytes = Buffer.from(toPem(root.der)).toString('base64');
    const truncated = b64(root.der.subarray(0, root.der.length - 10));
    const trailing = b64(Buffer.concat([root.der, Buffer.of(0)]));
    for (const certificate of [b64(Buffer.from('not a certificate')), pemBytes, truncated, trailing, b64(device), b64(noBasicConstraints), b64(expired), b64(future)]) {
      await expectError(await post(createBody({ certificateAuthorities: [{ certificate, isRootAuthority: true }] })), 400, 'Request_BadRequest', INVALID_CERT);
    }
    expect(emu.store.size).toBe(0);
  });

  it('rejects a certificateAuthority without certificate, and null in non-nullable properties', async () => {
    await expectError(await post(createBody({ certificateAuthorities: [{ isRootAuthority: true }] })), 400, 'Request_BadRequest', INVALID_CERT);
    await expectError(await post(createBody({ certificateAuthorities: [{ certificate: b64(root) }] })), 400, 'Request_BadRequest', INVALID_VALUES);
    await expectError(await post(createBody({ certificateAuthorities: null })), 400, 'BadRequest', /^A null value was found for the property named 'certificateAuthorities'/);
    await expectError(await post(createBody({ certificateAuthorities: [{ certificate: b64(root), isRootAuthority: 'yes' }] })), 400, 'Request_BadRequest', /'Edm\.Boolean'/);
    await expectError(await post(createBody({ displayName: 7 })), 400, 'Request_BadRequest', /'Edm\.String'/);
    await expectError(await post(createBody({ certificateAuthorities: [{ certificate: b64(root), isRootAuthority: true, issuer: null }] })), 400, 'BadRequest', /^A null value was found for the property named 'issuer'/);
  });

  it('requires a JSON Content-Type on writes', async () => {
    const noType = await fetch(collection(), { method: 'POST', headers: { authorization: 'Bearer test-token' }, body: new Uint8Array(Buffer.from(createBody())) });
    await expectError(noType, 400, 'BadRequest', /Content-Type header/);
    await expectError(await post(createBody(), { 'content-type': 'text/plain' }), 415, 'BadRequest');
    expect((await post(createBody(), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
  });

  it('uses the now() option for validity', async () => {
    const late = await startEmulator({ now: () => new Date(root.notAfter.getTime() + DAY) });
    try {
      const res = await fetch(`${late.url}${COLLECTION_PATH}`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
        body: createBody({ certificateAuthorities: [caEntry(root, true)] }),
      });
      await expectError(res, 400, 'Request_BadRequest', INVALID_CERT);
    } finally {
      await late.close();
    }
  });
});

describe('get, update, delete', () => {
  it('GET item answers 200 with @odata.context /$entity, and $select', async () => {
    const created = await create();
    const res = await call(`/${created['id'] as string}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ ...created });
    const sel = await call(`/${created['id'] as string}?$select=displayName`);
    expect(await sel.json()).toEqual({
      '@odata.context': `${emu.url}/beta/$metadata#directory/certificateAuthorities/mutualTlsOauthConfigurations(displayName)/$entity`,
      id: created['id'],
      displayName: 'DoorCamera_Model_X_TrustedCAs',
    });
    expect((await call(`/${(created['id'] as string).toUpperCase()}`)).status).toBe(200);
  });

  it('PATCH displayName keeps the CAs; PATCH certificateAuthorities replaces the list whole', async () => {
    const created = (await create()) as { id: string; certificateAuthorities: unknown[] };
    const renamed = await call(`/${created.id}`, { method: 'PATCH', body: JSON.stringify({ displayName: 'Renamed' }) });
    expect(renamed.status).toBe(200);
    const r = (await renamed.json()) as Record<string, unknown>;
    expect(r['@odata.context']).toMatch(/mutualTlsOauthConfigurations\/\$entity$/);
    expect(r).toMatchObject({ id: created.id, displayName: 'Renamed', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: created.certificateAuthorities });

    const replaced = await call(`/${created.id}`, { method: 'PATCH', body: JSON.stringify({ certificateAuthorities: [caEntry(intermediate, false)] }) });
    expect(replaced.status).toBe(200);
    const p = (await replaced.json()) as { displayName: string; certificateAuthorities: { certificate: string }[] };
    expect(p.displayName).toBe('Renamed');
    expect(p.certificateAuthorities.map((c) => c.certificate)).toEqual([b64(intermediate)]);
    const again = (await (await call(`/${created.id}`)).json()) as typeof p;
    expect(again.certificateAuthorities).toHaveLength(1);
  });

  it('PATCH rejects tlsClientAuthParameter, bad certificates and unknown properties, leaving the object unchanged', async () => {
    const created = (await create()) as { id: string };
    const before = JSON.stringify(emu.store.get(created.id));
    await expectError(await call(`/${created.id}`, { method: 'PATCH', body: JSON.stringify({ tlsClientAuthParameter: 'tls_client_auth_san_uri' }) }), 400, 'Request_BadRequest');
    await expectError(await call(`/${created.id}`, { method: 'PATCH', body: JSON.stringify({ certificateAuthorities: [caEntry(device, false)] }) }), 400, 'Request_BadRequest', INVALID_CERT);
    await expectError(await call(`/${created.id}`, { method: 'PATCH', body: JSON.stringify({ description: 'x' }) }), 400, 'BadRequest', /does not exist on type 'microsoft\.graph\.mutualTlsOauthConfiguration'/);
    await expectError(await call(`/${created.id}`, { method: 'PATCH', body: 'nope' }), 400, 'BadRequest', /^Unable to read JSON/);
    expect(JSON.stringify(emu.store.get(created.id))).toBe(before);
  });

  it('PATCH with Prefer: return=minimal answers 204', async () => {
    const created = (await create()) as { id: string };
    const res = await call(`/${created.id}`, { method: 'PATCH', body: JSON.stringify({ displayName: 'Quiet' }), headers: { prefer: 'return=minimal' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('preference-applied')).toBe('return=minimal');
    expect(emu.store.get(created.id)).toMatchObject({ displayName: 'Quiet' });
  });

  it('DELETE answers 204, then 404', async () => {
    const created = (await create()) as { id: string };
    const res = await call(`/${created.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(emu.store.size).toBe(0);
    await expectError(await call(`/${created.id}`, { method: 'DELETE' }), 404, 'Request_ResourceNotFound');
  });

  it('unknown ids answer 404 Request_ResourceNotFound', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    await expectError(await call(`/${id}`), 404, 'Request_ResourceNotFound', new RegExp(`^Resource '${id}' does not exist`));
    await expectError(await call(`/${id}`, { method: 'PATCH', body: '{"displayName":"x"}' }), 404, 'Request_ResourceNotFound');
  });

  it('returns unknown enum members as unknownFutureValue unless the client opts in', async () => {
    emu.store.set('a1', { id: 'a1', deletedDateTime: null, certificateAuthorities: [], displayName: 'future', tlsClientAuthParameter: 'tls_client_auth_future_x' });
    expect(((await (await call('/a1')).json()) as Record<string, unknown>)['tlsClientAuthParameter']).toBe('unknownFutureValue');
    const opted = await call('/a1', { headers: { prefer: 'include-unknown-enum-members' } });
    expect(opted.headers.get('preference-applied')).toBe('include-unknown-enum-members');
    expect(((await opted.json()) as Record<string, unknown>)['tlsClientAuthParameter']).toBe('tls_client_auth_future_x');
  });

  it('answers 405 for methods the resource lacks, and 400 for unknown segments and v1.0', async () => {
    expect((await call('', { method: 'PUT', body: '{}' })).status).toBe(405);
    await expectError(await call(`${emu.url}/beta/directory/certificateAuthorities/mtlsConfigurations`), 400, 'BadRequest', "Resource not found for the segment 'mtlsConfigurations'.");
    await expectError(await call(`${emu.url}/v1.0/directory/certificateAuthorities/mutualTlsOauthConfigurations`), 400, 'BadRequest', "Resource not found for the segment 'mutualTlsOauthConfigurations'.");
  });
});

describe('list (GET collection)', () => {
  async function seed(names: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const name of names) ids.push((await create({ displayName: name }))['id'] as string);
    return ids;
  }

  it('answers the collection shape with @odata.context and value', async () => {
    const empty = await call('');
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await empty.json()).toEqual({ '@odata.context': `${emu.url}/beta/$metadata#directory/certificateAuthorities/mutualTlsOauthConfigurations`, value: [] });
    await seed(['one']);
    const body = (await (await call('')).json()) as { value: Record<string, unknown>[] };
    expect(body.value).toHaveLength(1);
    expect(body.value[0]).toMatchObject({ displayName: 'one', deletedDateTime: null });
    expect(body).not.toHaveProperty('@odata.nextLink');
  });

  it('pages with absolute @odata.nextLink ($skiptoken) across 3 pages', async () => {
    const ids = await seed(['a', 'b', 'c', 'd', 'e']);
    const seen: string[] = [];
    let next: string | undefined = collection();
    let pages = 0;
    while (next !== undefined) {
      const body = (await (await call(next)).json()) as { value: { id: string }[]; '@odata.nextLink'?: string };
      pages++;
      expect(body.value.length).toBeLessThanOrEqual(2);
      seen.push(...body.value.map((v) => v.id));
      next = body['@odata.nextLink'];
      if (next !== undefined) {
        expect(next.startsWith(`${collection()}?`)).toBe(true);
        expect(new URL(next).searchParams.get('$skiptoken')).toBeTruthy();
      }
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it('$top caps the page and is kept in nextLink; out-of-range $top is a 400', async () => {
    await seed(['a', 'b', 'c']);
    const one = (await (await call('?$top=1')).json()) as { value: unknown[]; '@odata.nextLink': string };
    expect(one.value).toHaveLength(1);
    expect(new URL(one['@odata.nextLink']).searchParams.get('$top')).toBe('1');
    const big = (await (await call('?$top=50')).json()) as { value: unknown[] };
    expect(big.value).toHaveLength(2);
    await expectError(await call('?$top=0'), 400, 'Request_BadRequest', /^Invalid page size specified: '0'/);
    await expectError(await call('?$top=1000'), 400, 'Request_BadRequest');
  });

  it('$filter supports eq and in on displayName and id, case-insensitively, and keeps the filter across pages', async () => {
    const [a, , c] = await seed(['Alpha', "O'Brien", 'Gamma', 'Alpha', 'Alpha']);
    const names = async (filter: string): Promise<string[]> => {
      const out: string[] = [];
      let next: string | undefined = `${collection()}?$filter=${encodeURIComponent(filter)}`;
      while (next !== undefined) {
        const res = await call(next);
        expect(res.status).toBe(200);
        const body = (await res.json()) as { value: { displayName: string }[]; '@odata.nextLink'?: string };
        out.push(...body.value.map((v) => v.displayName));
        next = body['@odata.nextLink'];
      }
      return out;
    };
    expect(await names("displayName eq 'Alpha'")).toEqual(['Alpha', 'Alpha', 'Alpha']);
    expect(await names("displayName eq 'alpha'")).toHaveLength(3);
    expect(await names("displayName eq 'O''Brien'")).toEqual(["O'Brien"]);
    expect(await names("displayName in ('Gamma','O''Brien')")).toEqual(["O'Brien", 'Gamma']);
    expect(await names(`id eq '${a!}'`)).toEqual(['Alpha']);
    expect(await names(`id in ('${a!}', '${c!}')`)).toEqual(['Alpha', 'Gamma']);
    expect(await names(`displayName eq 'Gamma' or id eq '${a!}'`)).toEqual(['Alpha', 'Gamma']);
    expect(await names("displayName eq 'nobody'")).toEqual([]);
  });

  it('$filter rejects unsupported properties, operators and bad syntax', async () => {
    await expectError(await call(`?$filter=${encodeURIComponent("tlsClientAuthParameter eq 'tls_client_auth_san_uri'")}`), 400, 'Request_UnsupportedQuery');
    await expectError(await call(`?$filter=${encodeURIComponent("startswith(displayName,'A')")}`), 400, 'Request_UnsupportedQuery');
    await expectError(await call(`?$filter=${encodeURIComponent("displayName ne 'A'")}`), 400, 'Request_UnsupportedQuery');
    await expectError(await call(`?$filter=${encodeURIComponent("displayName eq 'A")}`), 400, 'BadRequest', /^Invalid filter clause/);
    await expectError(await call(`?$filter=${encodeURIComponent("nope eq 'A'")}`), 400, 'BadRequest', /Could not find a property named 'nope'/);
  });

  it('$select returns only the selected properties plus id', async () => {
    await seed(['a']);
    const body = (await (await call('?$select=displayName,tlsClientAuthParameter')).json()) as { '@odata.context': string; value: Record<string, unknown>[] };
    expect(body['@odata.context']).toBe(`${emu.url}/beta/$metadata#directory/certificateAuthorities/mutualTlsOauthConfigurations(displayName,tlsClientAuthParameter)`);
    expect(Object.keys(body.value[0]!).sort()).toEqual(['displayName', 'id', 'tlsClientAuthParameter']);
    await expectError(await call('?$select=certificateAuthority'), 400, 'BadRequest', /Could not find a property named 'certificateAuthority'/);
  });

  it('$count=true adds @odata.count; /$count answers text', async () => {
    await seed(['a', 'b', 'c']);
    const body = (await (await call('?$count=true')).json()) as Record<string, unknown>;
    expect(body['@odata.count']).toBe(3);
    const count = await call(`/$count?$filter=${encodeURIComponent("displayName in ('a','c')")}`);
    expect(count.status).toBe(200);
    expect(count.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await count.text()).toBe('2');
  });

  it('rejects unsupported query options', async () => {
    await expectError(await call('?$orderby=displayName'), 400, 'Request_UnsupportedQuery');
    await expectError(await call('?$bogus=1'), 400, 'BadRequest');
  });

  it('serves objects put into the store directly', async () => {
    emu.store.set('x-1', { displayName: 'seeded', tlsClientAuthParameter: 'tls_client_auth_san_dns', certificateAuthorities: [] });
    const body = (await (await call('')).json()) as { value: Record<string, unknown>[] };
    expect(body.value).toEqual([{ id: 'x-1', displayName: 'seeded', tlsClientAuthParameter: 'tls_client_auth_san_dns', certificateAuthorities: [] }]);
  });
});

describe('authentication and permissions', () => {
  it('401 InvalidAuthenticationToken without or with an unknown bearer token', async () => {
    const none = await call('', { token: null });
    await expectError(none, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    await expectError(await call('', { token: 'wrong' }), 401, 'InvalidAuthenticationToken');
    await expectError(await call('', { token: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'InvalidAuthenticationToken');
    await expectError(await call('', { method: 'POST', body: createBody(), token: null }), 401, 'InvalidAuthenticationToken');
    await expectError(await call('', { token: 'toString' }), 401, 'InvalidAuthenticationToken');
    await expectError(await call(`${emu.url}/beta/nowhere`, { token: null }), 401, 'InvalidAuthenticationToken');
    expect(emu.store.size).toBe(0);
  });

  it('403 Authorization_RequestDenied for writes without ReadWrite.All and reads without a read scope', async () => {
    const created = (await create()) as { id: string };
    const denied = 'Insufficient privileges to complete the operation.';
    await expectError(await call('', { method: 'POST', body: createBody(), token: 'read-token' }), 403, 'Authorization_RequestDenied', denied);
    await expectError(await call(`/${created.id}`, { method: 'PATCH', body: '{"displayName":"x"}', token: 'read-token' }), 403, 'Authorization_RequestDenied', denied);
    await expectError(await call(`/${created.id}`, { method: 'DELETE', token: 'read-token' }), 403, 'Authorization_RequestDenied', denied);
    await expectError(await call('', { token: 'other-token' }), 403, 'Authorization_RequestDenied', denied);
    await expectError(await call(`/${created.id}`, { token: 'other-token' }), 403, 'Authorization_RequestDenied', denied);
    await expectError(await call(`/${created.id}`, { token: 'directory-read-token' }), 403, 'Authorization_RequestDenied', denied);
    expect(emu.store.size).toBe(1);
  });

  it('Read.All reads the list and items; Directory.Read.All reads the list', async () => {
    const created = (await create()) as { id: string };
    expect((await call('', { token: 'read-token' })).status).toBe(200);
    expect((await call(`/${created.id}`, { token: 'read-token' })).status).toBe(200);
    expect((await call('', { token: 'directory-read-token' })).status).toBe(200);
  });

  it('the default token table grants test-token ReadWrite.All', async () => {
    const plain = await startEmulator();
    try {
      const res = await fetch(`${plain.url}${COLLECTION_PATH}`, { headers: { authorization: 'Bearer test-token' } });
      expect(res.status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});

describe('headers', () => {
  it('every response has request-id and echoes client-request-id', async () => {
    const id = '6f1c2f3e-1111-4222-8333-444455556666';
    const res = await call('', { headers: { 'client-request-id': id } });
    expect(res.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('client-request-id')).toBe(id);
    const err = await expectError(await call('/missing', { headers: { 'client-request-id': id } }), 404, 'Request_ResourceNotFound');
    expect(err.error.innerError['client-request-id']).toBe(id);
    const unauth = await call('', { token: null });
    expect(unauth.headers.get('request-id')).toBeTruthy();
  });

  it('logs every request', async () => {
    await call('?$top=1', { headers: { 'client-request-id': 'abc' } });
    await call('', { method: 'POST', body: createBody() });
    expect(emu.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', `${COLLECTION_PATH}?$top=1`],
      ['POST', COLLECTION_PATH],
    ]);
    expect(emu.requests[0]!.headers['client-request-id']).toBe('abc');
    expect(emu.requests[1]!.body).toBe(createBody());
  });
});

describe('CORS', () => {
  it('answers a preflight with 204 and the allow headers, without a token', async () => {
    const res = await fetch(collection(), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, client-request-id' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim());
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'client-request-id', 'prefer', 'consistencylevel']));
    expect(res.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
    expect(res.headers.get('request-id')).toBeTruthy();
  });

  it('exposes Graph headers on ordinary responses', async () => {
    const res = await call('', { headers: { origin: 'http://localhost:5173' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim());
    expect(exposed).toEqual(expect.arrayContaining(['request-id', 'client-request-id', 'retry-after', 'location']));
  });

  it('cors: false answers no CORS headers', async () => {
    const closed = await startEmulator({ cors: false });
    try {
      const res = await fetch(`${closed.url}${COLLECTION_PATH}`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' } });
      expect(res.status).toBe(405);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
    }
  });
});

describe('faults', () => {
  it('429 with Retry-After in seconds, consumed once, then normal service', async () => {
    emu.inject({ kind: 'status', status: 429, retryAfter: '3' });
    const throttled = await call('');
    await expectError(throttled, 429, 'TooManyRequests');
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect((await call('')).status).toBe(200);
  });

  it('429 with an HTTP-date Retry-After, and 503/504, matched by method and path for `times`', async () => {
    const date = new Date(Date.now() + 5000).toUTCString();
    emu.inject(
      { kind: 'status', status: 429, retryAfter: date, match: { method: 'POST' } },
      { kind: 'status', status: 503, times: 2, match: { path: /\$top=/ } },
      { kind: 'status', status: 504, match: { method: 'DELETE' } },
    );
    expect((await call('')).status).toBe(200); // no fault matches a plain GET
    const r429 = await call('', { method: 'POST', body: createBody() });
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe(date);
    expect(emu.store.size).toBe(0);
    await expectError(await call('?$top=1'), 503, 'serviceNotAvailable');
    await expectError(await call('?$top=1'), 503, 'serviceNotAvailable');
    expect((await call('?$top=1')).status).toBe(200);
    await expectError(await call('/x', { method: 'DELETE' }), 504, 'GatewayTimeout');
    await expectError(await call('/x', { method: 'DELETE' }), 404, 'Request_ResourceNotFound');
  });

  it('slow delays the answer, then answers normally', async () => {
    // A long delay, so that the next answer not being delayed shows even on a busy machine.
    emu.inject({ kind: 'slow', delayMs: 3_000 });
    const start = performance.now();
    const res = await call('');
    expect(performance.now() - start).toBeGreaterThanOrEqual(2_950);
    expect(res.status).toBe(200);
    const fast = performance.now();
    await call('');
    expect(performance.now() - fast).toBeLessThan(2_500);
  });

  it('slow still performs a POST whose client gave up', async () => {
    emu.inject({ kind: 'slow', delayMs: 300 });
    await expect(call('', { method: 'POST', body: createBody(), signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 400));
    expect(emu.store.size).toBe(1);
  });

  it('drop destroys the socket: fetch fails with a network error', async () => {
    emu.inject({ kind: 'drop' });
    const err = await call('').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((await call('')).status).toBe(200);
  });

  it('createThenFail creates exactly one object yet answers 504', async () => {
    emu.inject({ kind: 'createThenFail' });
    const res = await call('', { method: 'POST', body: createBody() });
    await expectError(res, 504, 'GatewayTimeout');
    expect(emu.store.size).toBe(1);
    const list = (await (await call(`?$filter=${encodeURIComponent("displayName eq 'DoorCamera_Model_X_TrustedCAs'")}`)).json()) as { value: unknown[] };
    expect(list.value).toHaveLength(1);
    const retried = await call('', { method: 'POST', body: createBody() });
    expect(retried.status).toBe(201);
    expect(emu.store.size).toBe(2);
  });

  it('createThenFail skips non-POST requests and honours `status`', async () => {
    emu.inject({ kind: 'createThenFail', status: 503, retryAfter: '1' });
    expect((await call('')).status).toBe(200);
    const res = await call('', { method: 'POST', body: createBody() });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(emu.store.size).toBe(1);
  });

  it('reset clears pending faults', async () => {
    emu.inject({ kind: 'status', status: 503, times: 5 });
    emu.reset();
    expect((await call('')).status).toBe(200);
  });
});

describe('certificate checks (validate-certificate.ts)', () => {
  it('formats OpenSSL subjects the .NET way', () => {
    expect(dotNetName('C=US\nST=WA\nL=Redmond\nO=Microsoft Corporation\nOU=IoT Org\nCN=certauthority.com')).toBe(
      'CN=certauthority.com, OU=IoT Org, O=Microsoft Corporation, L=Redmond, S=WA, C=US',
    );
    expect(dotNetName('O=Contoso\\, Ltd\nCN=a \\+ b')).toBe('CN="a + b", O="Contoso, Ltd"');
    expect(dotNetName('O=x + OU=y\nemailAddress=pki@contoso.com\n1.2.3.4=v')).toBe('OID.1.2.3.4=v, E=pki@contoso.com, O=x + OU=y');
    expect(dotNetName('CN=say \\"hi\\"')).toBe('CN="say ""hi"""');
    expect(dotNetName('')).toBe('');
  });

  it('computes issuerSki from the extension, or RFC 5280 method 1 without one', async () => {
    const custom = await makeRootCa({ subjectKeyIdentifier: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) });
    const none = await makeRootCa({ subjectKeyIdentifier: 'omit' });
    const c = checkCaCertificate(custom.der, new Date());
    const n = checkCaCertificate(none.der, new Date());
    expect(c.ok && c.issuerSki).toBe('DEADBEEF');
    expect(n.ok && n.issuerSki).toBe(hexUpper(none.key.keyId));
  });

  it('classifies rejected certificates', async () => {
    expect(checkCaCertificate(device.der, new Date())).toEqual({ ok: false, reason: 'not-ca' });
    expect(checkCaCertificate(root.der, new Date(root.notAfter.getTime() + 1000))).toEqual({ ok: false, reason: 'expired' });
    expect(checkCaCertificate(root.der, new Date(root.notBefore.getTime() - 1000))).toEqual({ ok: false, reason: 'not-yet-valid' });
    expect(checkCaCertificate(Buffer.from('junk'), new Date()).ok).toBe(false);
  });

  it('reads base64 as .NET does: white space skipped, set padding bits ignored, anything else refused', () => {
    expect(decodeDotNetBase64('QUJD')).toEqual(Buffer.from('ABC'));
    expect(decodeDotNetBase64('QU\r\nI=')).toEqual(Buffer.from('AB'));
    expect(decodeDotNetBase64(' Q\tQ = = ')).toEqual(Buffer.from('A'));
    expect(decodeDotNetBase64('QR==')).toEqual(Buffer.from('A')); // 'R' sets bits the padding drops
    expect(decodeDotNetBase64('')).toEqual(Buffer.alloc(0));
    for (const bad of ['QUI', 'QQ', 'QU-_', 'Q===', 'QQ==QUJD', 'QU*=']) expect(decodeDotNetBase64(bad)).toBeUndefined();
  });
});

describe('cli', () => {
  it('parses port, page size and tokens from argv and env', () => {
    expect(parseArgs(['--port', '8080', '--page-size=3'], {})).toMatchObject({ port: 8080, pageSize: 3, cors: true });
    expect(parseArgs([], { GRAPH_EMULATOR_PORT: '9000' })).toMatchObject({ port: 9000 });
    expect(parseArgs(['--token', 'ro=MutualTlsOauthConfiguration.Read.All', '--no-cors'], {})).toMatchObject({
      cors: false,
      tokens: { ro: { scopes: ['MutualTlsOauthConfiguration.Read.All'] }, 'test-token': { scopes: ['MutualTlsOauthConfiguration.ReadWrite.All'] } },
    });
    expect(() => parseArgs(['--port', 'x'], {})).toThrow(/--port/);
    expect(() => parseArgs(['--what'], {})).toThrow(/argument/);
  });

  it('main starts the emulator and prints its URL', async () => {
    const lines: string[] = [];
    const started = await main(['--port', '0'], {}, { out: (l) => lines.push(l) });
    try {
      expect(lines).toEqual([started.url]);
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${started.url}${COLLECTION_PATH}`, { headers: { authorization: 'Bearer test-token' } });
      expect(res.status).toBe(200);
    } finally {
      await started.close();
    }
  });
});
