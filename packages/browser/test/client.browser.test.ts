// @graph-mtls/browser in a Chromium page (vitest browser mode): the Graph client on Chromium's
// own fetch against the emulator, which runs in Node on another origin (127.0.0.1 vs the page's
// localhost), so every call passes real CORS preflights; faults are injected from the page
// through the emulator's opt-in control routes. Files are real File objects built from PEM
// text that the global setup generated in Node.

import { beforeEach, describe, expect, inject, it } from 'vitest';
import { GraphMtlsError } from '@graph-mtls/core';
import { GraphApiError, GraphPreflightError } from '@graph-mtls/core/graph';
import { buildCreateFromFiles, createClient, lintBlob, lintFiles, readBlob, verifyFiles, type BrowserClientOptions } from '@graph-mtls/browser';

const emulatorUrl = inject('emulatorUrl');
const certs = inject('testCertificates');
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Logged {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: string;
}

async function control(path: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(`${emulatorUrl}/__emulator/${path}`, init);
  expect(response.status, `control ${path}`).toBeLessThan(300);
  return response;
}

const injectFaults = (...faults: unknown[]): Promise<Response> =>
  control('faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
const requestLog = async (): Promise<Logged[]> => (await (await control('requests')).json()) as Logged[];

/** An MSAL-shaped getter (acquireTokenSilent resolves to an AuthenticationResult) that records the scopes asked for. */
function msalLike(accessToken = 'test-token'): { getToken: BrowserClientOptions['getToken']; asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    getToken: async (scopes) => {
      asked.push(scopes);
      return { accessToken, tokenType: 'Bearer', expiresOn: new Date(Date.now() + 3_600_000), scopes } as { accessToken: string };
    },
  };
}

const pemFile = (name: string, ...pems: string[]): File => new File([pems.join('\n')], name, { type: 'application/x-pem-file' });

/** A File the browser can no longer read (picked, then removed on disk). */
/** A picked file removed from disk since: every read fails, as browsers fail it. */
class VanishedFile extends File {
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.reject(gone());
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return new ReadableStream({ pull: (controller) => controller.error(gone()) });
  }
}

function gone(): DOMException {
  return new DOMException('A requested file or directory could not be found at the time an operation was processed.', 'NotFoundError');
}

async function thrown(promise: Promise<unknown>): Promise<GraphMtlsError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphMtlsError);
    return error as GraphMtlsError;
  }
  throw new Error('expected a GraphMtlsError, the call succeeded');
}

beforeEach(async () => {
  await control('reset', { method: 'POST' });
});

describe('@graph-mtls/browser client (Chromium page, cross-origin emulator)', () => {
  it('runs in a real page on another origin than the emulator', () => {
    expect(navigator.userAgent).toMatch(/HeadlessChrome\/|Chrome\//);
    expect(typeof document).toBe('object');
    expect((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node).toBeUndefined();
    expect(new URL(emulatorUrl).origin).not.toBe(location.origin);
  });

  it('creates, lists across pages, gets, updates, adds a CA and deletes through Chromium fetch', async () => {
    const token = msalLike();
    const client = createClient({ getToken: token.getToken, baseUrl: emulatorUrl });
    expect(client.baseUrl).toBe(`${emulatorUrl}/beta`);

    const { body, authorities, findings } = await buildCreateFromFiles({
      displayName: 'Browser CA 1',
      tlsClientAuthParameter: 'tls_client_auth_san_uri',
      files: [pemFile('root.pem', certs.root), { file: pemFile('intermediate.pem', certs.intermediate), certificateRevocationListUrl: 'http://crl.example.test/i.crl' }],
    });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(authorities.map((a) => a.isRootAuthority)).toEqual([true, false]);

    const first = await client.create(body);
    expect(first.id).toMatch(UUID);
    expect(first.displayName).toBe('Browser CA 1');
    expect(first.certificateAuthorities).toHaveLength(2);
    expect(first.certificateAuthorities[1]?.certificateRevocationListUrl).toBe('http://crl.example.test/i.crl');

    // Two more, so a page size of 2 makes the list take two pages.
    for (const n of [2, 3]) {
      const more = await buildCreateFromFiles({ displayName: `Browser CA ${n}`, tlsClientAuthParameter: 'tls_client_auth_subject_dn', files: [pemFile(`root-${n}.pem`, certs.root)] });
      await client.create(more.body);
    }
    const all = await client.list();
    expect(all.map((c) => c.displayName).sort()).toEqual(['Browser CA 1', 'Browser CA 2', 'Browser CA 3']);

    const got = await client.get(first.id);
    expect(got.tlsClientAuthParameter).toBe('tls_client_auth_san_uri');
    expect(got.certificateAuthorities.map((c) => c.certificate)).toEqual(body.certificateAuthorities.map((c) => c.certificate));

    const renamed = await client.update(first.id, { displayName: 'Browser CA 1 (renamed)' });
    expect(renamed.displayName).toBe('Browser CA 1 (renamed)');

    const change = await client.addCertificateAuthorities(first.id, [{ certificate: await readBlob(pemFile('other.pem', certs.otherRoot)), source: 'other.pem' }]);
    expect(change).toMatchObject({ changed: true, added: 1, removed: 0 });
    expect(change.configuration.certificateAuthorities).toHaveLength(3);
    const again = await client.addCertificateAuthorities(first.id, [{ certificate: certs.otherRoot }]);
    expect(again.changed).toBe(false);

    for (const c of all) await client.delete(c.id);
    expect(await client.list()).toEqual([]);
    const gone = await thrown(client.get(first.id));
    expect(gone).toBeInstanceOf(GraphApiError);
    expect((gone as GraphApiError).status).toBe(404);

    // The token getter was asked for Graph's .default scope, once per request.
    expect(token.asked.length).toBeGreaterThan(10);
    expect(new Set(token.asked.map((s) => s.join(' ')))).toEqual(new Set([GRAPH_SCOPE]));

    // What the emulator saw: real CORS preflights from the page's origin, then the calls, each
    // with its own client-request-id; paging followed the nextLink.
    const log = await requestLog();
    const preflights = log.filter((r) => r.method === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    // Chromium caches a preflight per URL (max-age 3600) for every method it allowed, so a
    // PATCH to an item already preflighted for its GET needs none.
    const preflighted = new Set(preflights.map((r) => r.headers['access-control-request-method']));
    expect(preflighted).toContain('POST');
    expect(preflighted).toContain('GET');
    expect([...preflighted].every((m) => ['GET', 'POST', 'PATCH', 'DELETE'].includes(m ?? ''))).toBe(true);
    for (const p of preflights) {
      expect(p.headers['origin']).toBe(location.origin);
      expect(p.headers['access-control-request-headers']?.split(',')).toEqual(expect.arrayContaining(['authorization', 'client-request-id']));
    }
    const calls = log.filter((r) => r.method !== 'OPTIONS');
    expect(calls.every((r) => r.headers['origin'] === location.origin)).toBe(true);
    expect(calls.every((r) => UUID.test(r.headers['client-request-id'] ?? ''))).toBe(true);
    expect(new Set(calls.map((r) => r.headers['client-request-id'])).size).toBe(calls.length);
    expect(calls.filter((r) => r.method === 'GET' && /[?&](%24|\$)skiptoken=/i.test(r.path)).length).toBeGreaterThanOrEqual(1);
    expect(calls.map((r) => r.method).filter((m) => m !== 'GET')).toEqual(['POST', 'POST', 'POST', 'PATCH', 'PATCH', 'DELETE', 'DELETE', 'DELETE']);
  });

  it('waits out a 429 for its Retry-After (exposed under CORS) and then succeeds', async () => {
    const warnings: string[] = [];
    // A 10 ms backoff: only the Retry-After header, if Chromium let us read it, makes the wait 1 s.
    const client = createClient({ getToken: msalLike().getToken, baseUrl: emulatorUrl, retry: { baseDelayMs: 10 }, onWarning: (m) => warnings.push(m) });
    const created = await client.create({ displayName: 'Throttled', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: derBase64(certs.root), isRootAuthority: true }] });
    await injectFaults({ kind: 'status', status: 429, retryAfter: '1', match: { method: 'GET', path: '/mutualTlsOauthConfigurations/' } });

    const started = performance.now();
    const got = await client.get(created.id);
    const elapsed = performance.now() - started;
    expect(got.displayName).toBe('Throttled');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(warnings.some((w) => w.includes('HTTP 429') && w.includes('1000 ms'))).toBe(true);
    const gets = (await requestLog()).filter((r) => r.method === 'GET' && r.path.endsWith(created.id));
    expect(gets).toHaveLength(2);
  });

  it('re-sends a throttled create (429 means not processed) without duplicating it', async () => {
    const client = createClient({ getToken: msalLike().getToken, baseUrl: emulatorUrl, retry: { baseDelayMs: 10 } });
    await injectFaults({ kind: 'status', status: 429, retryAfter: '0', match: { method: 'POST' } });
    await client.create({ displayName: 'Once', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: derBase64(certs.root), isRootAuthority: true }] });
    expect((await client.list()).map((c) => c.displayName)).toEqual(['Once']);
  });

  it('turns a dropped connection and a timeout into ERR_GRAPH_TRANSPORT without the token', async () => {
    const secret = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJzZWNyZXQiOnRydWV9.sig-browser-secret';
    const client = createClient({ getToken: () => secret, baseUrl: emulatorUrl, retry: { maxRetries: 0 }, timeoutMs: 300 });

    // Twice: Chromium itself re-sends once when a reused keep-alive connection is reset.
    await injectFaults({ kind: 'drop', times: 2, match: { method: 'GET' } });
    const dropped = await thrown(client.list());
    expect(dropped.code).toBe('ERR_GRAPH_TRANSPORT');
    await control('reset', { method: 'POST' });

    await injectFaults({ kind: 'slow', delayMs: 3000, match: { method: 'GET' } });
    const slow = await thrown(client.list());
    expect(slow.code).toBe('ERR_GRAPH_TRANSPORT');
    expect((slow.cause as Error).message).toMatch(/no answer within 300 ms/);

    // Port 9 is on Chromium's blocked-port list: the browser refuses before connecting.
    const refused = await thrown(createClient({ getToken: () => secret, baseUrl: 'http://127.0.0.1:9', retry: { maxRetries: 0 } }).list());
    expect(refused.code).toBe('ERR_GRAPH_TRANSPORT');

    for (const error of [dropped, slow, refused]) {
      const text = JSON.stringify({ message: error.message, stack: error.stack, cause: String(error.cause), causeCause: String((error.cause as Error | undefined)?.cause) });
      expect(text).not.toContain('sig-browser-secret');
    }
  });

  it('reports a refused token as Graph 401 and a missing one as ERR_INVALID_ARGUMENT', async () => {
    const bad = await thrown(createClient({ getToken: async () => ({ token: 'not-a-valid-token' }), baseUrl: emulatorUrl }).list());
    expect(bad).toBeInstanceOf(GraphApiError);
    expect((bad as GraphApiError).status).toBe(401);
    expect(bad.message).not.toContain('not-a-valid-token');

    const none = await thrown(createClient({ getToken: async () => ({ accessToken: '' }), baseUrl: emulatorUrl }).list());
    expect(none.code).toBe('ERR_INVALID_ARGUMENT');
    expect(() => createClient({} as BrowserClientOptions)).toThrow(GraphMtlsError);
  });

  it('refuses before sending a create whose CA Graph would reject', async () => {
    const client = createClient({ getToken: msalLike().getToken, baseUrl: emulatorUrl });
    const { body } = await buildCreateFromFiles({ displayName: 'Bad', tlsClientAuthParameter: 'tls_client_auth_san_uri', files: [pemFile('bad.pem', certs.badCa)] });
    const error = await thrown(client.create(body));
    expect(error).toBeInstanceOf(GraphPreflightError);
    expect((error as GraphPreflightError).findings.map((f) => f.code)).toContain('CA_BASIC_CONSTRAINTS_MISSING');
    expect((await requestLog()).filter((r) => r.method === 'POST')).toEqual([]);
  });
});

describe('@graph-mtls/browser inputs (Chromium page)', () => {
  it('reads Blobs, Files, ArrayBuffers and typed arrays as bytes', async () => {
    const bytes = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x05]);
    expect(await readBlob(new Blob([bytes]))).toEqual(bytes);
    expect(await readBlob(new File([bytes], 'x.der'))).toEqual(bytes);
    expect(await readBlob(bytes.buffer)).toEqual(bytes);
    expect(await readBlob(bytes.subarray(1, 3))).toEqual(Uint8Array.from([0x03, 0x02]));
    expect(await readBlob(new DataView(bytes.buffer, 2, 2))).toEqual(Uint8Array.from([0x02, 0x01]));
    expect((await thrown(readBlob('PEM text' as unknown as Blob))).code).toBe('ERR_INVALID_ARGUMENT');
  });

  it('lints File objects one by one, in order, with the page WebCrypto verifying self-signatures', async () => {
    const files = [
      pemFile('root.pem', certs.root),
      pemFile('chain.pem', certs.intermediate, certs.root),
      pemFile('bad.pem', certs.badCa),
      new VanishedFile([certs.root], 'vanished.pem'),
      new File(['hello, not a certificate'], 'notes.txt'),
    ];
    const reports = await lintFiles(files);
    expect(reports.map((r) => r.source)).toEqual(['root.pem', 'chain.pem', 'bad.pem', 'vanished.pem', 'notes.txt']);
    const codes = reports.map((r) => [...r.report.certificates.flatMap((c) => c.findings), ...r.report.inputs.flatMap((i) => i.findings)].filter((f) => f.severity === 'error').map((f) => f.code));

    const [root, chain, bad, vanished, notes] = reports;
    expect(codes[0]).toEqual([]);
    expect(root!.report.certificates).toHaveLength(1);
    expect(root!.report.certificates[0]).toMatchObject({ selfIssued: true, selfSignature: 'valid', isRootAuthority: true });
    expect(chain!.report.certificates.map((c) => c.isRootAuthority)).toEqual([false, true]);
    expect(codes[1]).toEqual([]);
    expect(codes[2]).toContain('CA_BASIC_CONSTRAINTS_MISSING');
    expect(bad!.report.certificates).toHaveLength(1);
    expect(vanished!.report.certificates).toEqual([]);
    expect(vanished!.report.inputs[0]!.findings).toMatchObject([{ code: 'INPUT_FILE_UNREADABLE', errorCode: 'NotFoundError', location: { source: 'vanished.pem' } }]);
    expect(notes!.report.inputs.flatMap((i) => i.findings.map((f) => f.code))).toEqual(['INPUT_NOT_A_CERTIFICATE']);

    // Without a verifier, self-signatures stay unverified; the clock can be set.
    const [unverified] = await lintFiles([pemFile('root.pem', certs.root)], { verifier: null, now: new Date(Date.now() + 30 * 365 * 86_400_000) });
    expect(unverified!.report.certificates[0]!.selfSignature).toBe('not-verified');
    expect(unverified!.report.certificates[0]!.findings.map((f) => f.code)).toContain('CERT_EXPIRED');
  });

  it('lints a payload JSON file as Graph would parse it, and streams a large drop in pieces', async () => {
    const body = JSON.stringify({ displayName: 'Page', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: derBase64(certs.root), isRootAuthority: true }, { certificate: 'not base64!' }] });
    const [payload] = await lintFiles([new File([body], 'payload.json')]);
    expect(payload!.report).toEqual({ certificates: [], inputs: [] });
    expect(payload!.payload).toMatchObject({ type: 'payload', kind: 'create', source: 'payload.json' });
    expect(payload!.payload!.findings.map((f) => f.code)).toContain('PAYLOAD_CERTIFICATE_NOT_BASE64');

    // 2,000 certificates in one File: read through its stream, every one reported in order.
    const big = new File(Array.from({ length: 2000 }, () => certs.intermediate), 'big.pem');
    let n = 0;
    for await (const item of lintBlob(big, { verifier: null })) {
      expect(item).toMatchObject({ type: 'certificate', location: { index: n } });
      n++;
    }
    expect(n).toBe(2000);
  });

  it('refuses to build a create from a file the browser cannot read', async () => {
    const error = await thrown(buildCreateFromFiles({ tlsClientAuthParameter: 'tls_client_auth_san_uri', files: [pemFile('root.pem', certs.root), new VanishedFile([''], 'gone.pem')] }));
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', source: 'gone.pem' });
  });
});

/** The certificate's DER as standard base64: a PEM body without its armour and line breaks. */
function derBase64(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

describe('verifyFiles: dropped device certificates against a configuration, with the page\'s WebCrypto', () => {
  it('a device under the configured CAs is trusted, one under another root refused; an unreadable drop is a problem that hides nothing', async () => {
    const { body } = await buildCreateFromFiles({ displayName: 'Verify', tlsClientAuthParameter: 'tls_client_auth_san_uri', files: [pemFile('root.pem', certs.root), pemFile('issuing.pem', certs.intermediate)] });
    const { devices, problems } = await verifyFiles([pemFile('devices.pem', certs.device, certs.strangerDevice), new VanishedFile([], 'gone.pem')], JSON.stringify(body));
    expect(devices.map((d) => [d.source, d.index, d.result.outcome])).toEqual([['devices.pem', 0, 'trusted'], ['devices.pem', 1, 'refused']]);
    expect(devices[0]!.result.path!.map((m) => m.role)).toEqual(['device', 'intermediate', 'anchor']);
    expect(devices[1]!.result.findings.map((f) => f.code)).toEqual(['VERIFY_NO_PATH']);
    expect(problems.map((p) => [p.code, p.location?.source])).toEqual([['INPUT_FILE_UNREADABLE', 'gone.pem']]);
  });

  it('without a verifier nothing is called trusted', async () => {
    const { body } = await buildCreateFromFiles({ tlsClientAuthParameter: 'tls_client_auth_san_uri', files: [pemFile('root.pem', certs.root), pemFile('issuing.pem', certs.intermediate)] });
    const { devices } = await verifyFiles([pemFile('device.pem', certs.device)], body, { verifier: null });
    expect(devices[0]!.result.outcome).toBe('not-verified');
  });
});
