// Tests of the transport-free Graph protocol (spec/graph-api.md §2, §3): the request builders
// (graph/requests.ts: URLs under /directory/certificateAuthorities/mutualTlsOauthConfigurations
// on each cloud's /beta root, percent-encoded OData query options, JSON bodies), the response
// readers and GraphApiError (graph/responses.ts: Graph's error JSON with innerError or
// innererror, header fallbacks, hints), the retry policy (graph/retry.ts: 429/503/504 and network
// failures, verify for a create, Retry-After per RFC 9110 §10.2.3, equal-jitter backoff, limits)
// and the token pre-flight (graph/token.ts: JWT claims per RFC 7519, never verified, never
// echoed). Assertions are on codes and values, not prose.

import { describe, expect, it } from 'vitest';
import { GraphMtlsError } from '../src/errors.ts';
import { ADMIN_ROLES, CLOUDS, READ_PERMISSIONS, WRITE_PERMISSION, type Cloud } from '../src/graph/clouds.ts';
import {
  betaBase,
  COLLECTION_PATH,
  createRequest,
  deleteRequest,
  filterByDisplayName,
  getRequest,
  listRequest,
  nextPageRequest,
  updateRequest,
  type GraphRequest,
} from '../src/graph/requests.ts';
import {
  GraphApiError,
  readCollection,
  readDelete,
  readEntity,
  readUpdate,
  type GraphResponse,
  type Operation,
} from '../src/graph/responses.ts';
import { decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfter, resolvePolicy, type AttemptOutcome, type RetryPolicy } from '../src/graph/retry.ts';
import { inspectToken, type TokenWarningCode } from '../src/graph/token.ts';

const PATH = '/directory/certificateAuthorities/mutualTlsOauthConfigurations';
const GLOBAL = 'https://graph.microsoft.com/beta';
const ID = '0b2e4c6a-1111-4222-a333-444455556666';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphMtlsError) return error.code;
    throw error;
  }
  return undefined;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** The query string of a URL, as name → decoded value. */
function queryOf(url: string): Record<string, string> {
  const q = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const out: Record<string, string> = {};
  for (const part of q.split('&').filter((p) => p.length > 0)) {
    const eq = part.indexOf('=');
    out[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Requests (spec §2)
// ---------------------------------------------------------------------------------------------

describe('requests', () => {
  it('COLLECTION_PATH always carries /directory', () => {
    expect(COLLECTION_PATH).toBe(PATH);
  });

  it('betaBase appends /beta to a root, dropping trailing slashes', () => {
    expect(betaBase('https://graph.microsoft.com')).toBe(GLOBAL);
    expect(betaBase('https://graph.microsoft.com/')).toBe(GLOBAL);
    expect(betaBase('http://127.0.0.1:8080//')).toBe('http://127.0.0.1:8080/beta');
  });

  describe.each([
    ['global', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['usGov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['usGovDoD', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.partner.microsoftonline.cn'],
  ] as const)('cloud %s', (cloud, graph, authority) => {
    const base = betaBase(CLOUDS[cloud].graph);

    it('has the documented endpoints and scope (spec §2.7)', () => {
      expect(CLOUDS[cloud].graph).toBe(graph);
      expect(CLOUDS[cloud].authority).toBe(authority);
      expect(CLOUDS[cloud].scope).toBe(`${graph}/.default`);
      expect(CLOUDS[cloud].warning === undefined).toBe(cloud === 'global');
      expect(base).toBe(`${graph}/beta`);
    });

    it('builds every URL on the cloud root with the /directory path', () => {
      expect(listRequest(base).url).toBe(`${graph}/beta${PATH}`);
      expect(getRequest(base, ID).url).toBe(`${graph}/beta${PATH}/${ID}`);
      expect(createRequest(base, {}).url).toBe(`${graph}/beta${PATH}`);
      expect(updateRequest(base, ID, {}).url).toBe(`${graph}/beta${PATH}/${ID}`);
      expect(deleteRequest(base, ID).url).toBe(`${graph}/beta${PATH}/${ID}`);
    });
  });

  it('lists the collection with GET and no query by default', () => {
    const r = listRequest(GLOBAL);
    expect(r.method).toBe('GET');
    expect(r.url).toBe(`${GLOBAL}${PATH}`);
    expect(r.body).toBeUndefined();
    expect(r.headers['accept']).toBe('application/json');
    expect(r.headers['content-type']).toBeUndefined();
  });

  it('puts $filter, $select and $top in the query, percent-encoded', () => {
    const r = listRequest(GLOBAL, { filter: "displayName eq 'Contoso devices'", select: ['id', 'displayName'], top: 5 });
    expect(r.url).toBe(`${GLOBAL}${PATH}?$filter=displayName%20eq%20%27Contoso%20devices%27&$select=id,displayName&$top=5`);
    expect(queryOf(r.url)).toEqual({ $filter: "displayName eq 'Contoso devices'", $select: 'id,displayName', $top: '5' });
  });

  it('encodes every character a query value cannot hold', () => {
    const filter = "displayName eq 'a&b=c#d?e+f/g%h Zürich 日本'";
    const r = listRequest(GLOBAL, { filter });
    const raw = r.url.slice(r.url.indexOf('?') + 1);
    expect(raw).toMatch(/^\$filter=[A-Za-z0-9%._~*()!-]+$/);
    expect(raw.slice('$filter='.length)).not.toMatch(/['&#?+/ =]/);
    expect(queryOf(r.url)['$filter']).toBe(filter);
  });

  it('leaves $select out when it is empty', () => {
    expect(listRequest(GLOBAL, { select: [] }).url).toBe(`${GLOBAL}${PATH}`);
  });

  it('filterByDisplayName doubles single quotes (OData string literal)', () => {
    expect(filterByDisplayName('Contoso')).toBe("displayName eq 'Contoso'");
    expect(filterByDisplayName("O'Brien's CA")).toBe("displayName eq 'O''Brien''s CA'");
    expect(filterByDisplayName("''")).toBe("displayName eq ''''''");
    const r = listRequest(GLOBAL, { filter: filterByDisplayName("O'Brien & Co") });
    expect(r.url).toBe(`${GLOBAL}${PATH}?$filter=displayName%20eq%20%27O%27%27Brien%20%26%20Co%27`);
    expect(queryOf(r.url)['$filter']).toBe("displayName eq 'O''Brien & Co'");
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses $top %s with ERR_INVALID_ARGUMENT', (top) => {
    expect(code(() => listRequest(GLOBAL, { top }))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('accepts $top 1', () => {
    expect(queryOf(listRequest(GLOBAL, { top: 1 }).url)).toEqual({ $top: '1' });
  });

  it('nextPageRequest uses the @odata.nextLink exactly as given', () => {
    const link = `${GLOBAL}${PATH}?$skiptoken=RFNwdAIAAQAAAB8%3d&$top=2&$filter=displayName%20eq%20%27x%27`;
    const r = nextPageRequest(link);
    expect(r).toEqual({ method: 'GET', url: link, headers: { accept: 'application/json' } });
    const odd = 'https://graph.microsoft.com/beta/somewhere/else?$skiptoken=a b';
    expect(nextPageRequest(odd).url).toBe(odd);
  });

  it('gets one configuration, with an optional $select', () => {
    const r = getRequest(GLOBAL, ID);
    expect(r).toEqual({ method: 'GET', url: `${GLOBAL}${PATH}/${ID}`, headers: { accept: 'application/json' } });
    expect(getRequest(GLOBAL, ID, ['id', 'certificateAuthorities']).url).toBe(`${GLOBAL}${PATH}/${ID}?$select=id,certificateAuthorities`);
    expect(getRequest(GLOBAL, ID, []).url).toBe(`${GLOBAL}${PATH}/${ID}`);
  });

  it('percent-encodes the id so it stays one path segment', () => {
    expect(getRequest(GLOBAL, '../../users').url).toBe(`${GLOBAL}${PATH}/..%2F..%2Fusers`);
    expect(deleteRequest(GLOBAL, "a'b?c#d").url).toBe(`${GLOBAL}${PATH}/a%27b%3Fc%23d`);
  });

  it('creates with POST and a JSON text body', () => {
    const body = { displayName: 'Contoso', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: 'AAEC', isRootAuthority: true }] };
    const r = createRequest(GLOBAL, body);
    expect(r.method).toBe('POST');
    expect(r.url).toBe(`${GLOBAL}${PATH}`);
    expect(typeof r.body).toBe('string');
    expect(r.body).toBe(JSON.stringify(body));
    expect(JSON.parse(r.body!)).toEqual(body);
    expect(r.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
  });

  it('updates with PATCH and a JSON text body', () => {
    const body = { displayName: null, certificateAuthorities: [] };
    const r = updateRequest(GLOBAL, ID, body);
    expect(r.method).toBe('PATCH');
    expect(r.url).toBe(`${GLOBAL}${PATH}/${ID}`);
    expect(JSON.parse(r.body!)).toEqual(body);
    expect(r.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
  });

  it('deletes with DELETE and no body', () => {
    const r = deleteRequest(GLOBAL, ID);
    expect(r).toEqual({ method: 'DELETE', url: `${GLOBAL}${PATH}/${ID}`, headers: { accept: 'application/json' } });
    expect('body' in r).toBe(false);
  });

  it.each([
    ['get', (id: string) => getRequest(GLOBAL, id)],
    ['update', (id: string) => updateRequest(GLOBAL, id, {})],
    ['delete', (id: string) => deleteRequest(GLOBAL, id)],
  ] as const)('%s refuses an empty or non-string id with ERR_INVALID_ARGUMENT', (_name, build: (id: string) => GraphRequest) => {
    expect(code(() => build(''))).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => build(undefined as unknown as string))).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => build(42 as unknown as string))).toBe('ERR_INVALID_ARGUMENT');
  });
});

// ---------------------------------------------------------------------------------------------
// Responses and errors (spec §3.1)
// ---------------------------------------------------------------------------------------------

function response(status: number, body: unknown = '', headers: Record<string, string> = {}): GraphResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

const INNER = { date: '2025-06-01T00:00:00', 'request-id': 'req-inner', 'client-request-id': 'client-inner' };
const HEADERS = { 'request-id': 'req-header', 'client-request-id': 'client-header', date: 'Sun, 01 Jun 2025 00:00:00 GMT', 'content-type': 'application/json' };

function errorBody(code: string, message: string, inner?: Record<string, unknown>, spelling: 'innerError' | 'innererror' = 'innerError'): unknown {
  return { error: { code, message, ...(inner === undefined ? {} : { [spelling]: inner }) } };
}

function apiError(operation: Operation, r: GraphResponse): GraphApiError {
  const error = new GraphApiError(operation, r);
  return error;
}

describe('responses', () => {
  const CASES = [
    [400, 'Request_BadRequest', "Invalid value specified for property 'certificate' of resource 'CertificateAuthorityInformation'."],
    [401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'],
    [403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'],
    [404, 'Request_ResourceNotFound', "Resource '0b2e' does not exist."],
    [409, 'Directory_ConcurrencyViolation', 'Another update is in progress.'],
    [429, 'TooManyRequests', 'Too many requests.'],
    [500, 'InternalServerError', 'Something went wrong.'],
  ] as const;

  describe.each(CASES)('GraphApiError for %i', (status, graphCode, graphMessage) => {
    it('carries status, code, message and innerError ids', () => {
      const e = apiError('create', response(status, errorBody(graphCode, graphMessage, INNER), HEADERS));
      expect(e).toBeInstanceOf(GraphApiError);
      expect(e).toBeInstanceOf(GraphMtlsError);
      expect(e.name).toBe('GraphApiError');
      expect(e.code).toBe('ERR_GRAPH_RESPONSE');
      expect(e.operation).toBe('create');
      expect(e.status).toBe(status);
      expect(e.graphCode).toBe(graphCode);
      expect(e.graphMessage).toBe(graphMessage);
      expect(e.requestId).toBe('req-inner');
      expect(e.clientRequestId).toBe('client-inner');
      expect(e.date).toBe('2025-06-01T00:00:00');
      expect(e.body).toEqual(errorBody(graphCode, graphMessage, INNER));
    });

    it('reads the lower-case innererror spelling', () => {
      const e = apiError('list', response(status, errorBody(graphCode, graphMessage, INNER, 'innererror'), HEADERS));
      expect(e.status).toBe(status);
      expect(e.graphCode).toBe(graphCode);
      expect(e.requestId).toBe('req-inner');
      expect(e.clientRequestId).toBe('client-inner');
      expect(e.date).toBe('2025-06-01T00:00:00');
    });

    it('falls back to the response headers without innerError', () => {
      const e = apiError('get', response(status, errorBody(graphCode, graphMessage), HEADERS));
      expect(e.graphCode).toBe(graphCode);
      expect(e.requestId).toBe('req-header');
      expect(e.clientRequestId).toBe('client-header');
      expect(e.date).toBe(HEADERS.date);
    });
  });

  it('fills what innerError lacks from the headers', () => {
    const e = apiError('get', response(404, errorBody('Request_ResourceNotFound', 'x', { 'request-id': 'req-inner' }), HEADERS));
    expect(e.requestId).toBe('req-inner');
    expect(e.clientRequestId).toBe('client-header');
    expect(e.date).toBe(HEADERS.date);
  });

  it('leaves ids undefined when neither body nor headers have them', () => {
    const e = apiError('get', response(500, errorBody('InternalServerError', 'x')));
    expect(e.requestId).toBeUndefined();
    expect(e.clientRequestId).toBeUndefined();
    expect(e.date).toBeUndefined();
  });

  it.each([
    ['HTML', '<html><body>502 Bad Gateway</body></html>'],
    ['empty', ''],
    ['a JSON string', '"oops"'],
    ['an error that is a string', '{"error":"bad"}'],
    ['an error with non-string fields', '{"error":{"code":7,"message":{"a":1}}}'],
    ['truncated JSON', '{"error":{"code":"Request_'],
  ])('reads a non-JSON or odd error body (%s) without failing', (_name, body) => {
    const e = apiError('update', response(502, body, { 'request-id': 'req-header' }));
    expect(e.code).toBe('ERR_GRAPH_RESPONSE');
    expect(e.status).toBe(502);
    expect(e.graphCode).toBeUndefined();
    expect(e.graphMessage).toBeUndefined();
    expect(e.requestId).toBe('req-header');
  });

  describe('hints', () => {
    it('403 names the write permission and both admin roles for writes', () => {
      for (const op of ['create', 'update', 'delete'] as const) {
        const e = apiError(op, response(403, errorBody('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')));
        expect(e.hint).toContain('MutualTlsOauthConfiguration.ReadWrite.All');
        expect(e.hint).toContain(WRITE_PERMISSION);
        for (const role of ADMIN_ROLES) expect(e.hint).toContain(role);
        expect(ADMIN_ROLES).toEqual(['Cloud Device Administrator', 'IoT Device Administrator']);
        expect(e.message).toContain(e.hint!);
      }
    });

    it('403 names the read permission for reads', () => {
      for (const op of ['list', 'get'] as const) {
        const e = apiError(op, response(403, errorBody('Authorization_RequestDenied', 'x')));
        expect(e.hint).toContain('MutualTlsOauthConfiguration.Read.All');
        for (const role of ADMIN_ROLES) expect(e.hint).toContain(role);
      }
    });

    it('400 on delete names device templates; 400 elsewhere has no hint', () => {
      expect(apiError('delete', response(400, errorBody('Request_BadRequest', 'x'))).hint).toMatch(/deviceTemplate/);
      expect(apiError('create', response(400, errorBody('Request_BadRequest', 'x'))).hint).toBeUndefined();
      expect(apiError('update', response(400, errorBody('Request_BadRequest', 'x'))).hint).toBeUndefined();
    });

    it('401, 404, 409 and 429 have hints; 500 has none', () => {
      expect(apiError('get', response(401, '')).hint).toBeDefined();
      expect(apiError('get', response(404, '')).hint).toBeDefined();
      expect(apiError('update', response(409, '')).hint).toBeDefined();
      expect(apiError('list', response(429, '')).hint).toBeDefined();
      expect(apiError('list', response(500, '')).hint).toBeUndefined();
    });

    it('Directory_ConcurrencyViolation has the concurrency hint whatever the status', () => {
      const a = apiError('update', response(400, errorBody('Directory_ConcurrencyViolation', 'x')));
      const b = apiError('update', response(409, errorBody('Directory_ConcurrencyViolation', 'x')));
      expect(a.hint).toBeDefined();
      expect(a.hint).toBe(b.hint);
    });
  });

  it('keeps a long Graph message out of the error message beyond a cap', () => {
    const long = 'x'.repeat(5000);
    const e = apiError('create', response(400, errorBody('Request_BadRequest', long)));
    expect(e.graphMessage).toBe(long);
    expect(e.message.length).toBeLessThan(1000);
  });

  describe('readEntity', () => {
    const entity = { id: ID, displayName: 'x', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [] };

    it('returns the entity of a 200 or 201', () => {
      expect(readEntity('get', response(200, entity))).toEqual(entity);
      expect(readEntity('create', response(201, { '@odata.context': 'ctx', ...entity }))).toMatchObject(entity);
    });

    it('throws GraphApiError for other statuses, with the operation', () => {
      const e = caught(() => readEntity('get', response(404, errorBody('Request_ResourceNotFound', 'x'))));
      expect(e).toBeInstanceOf(GraphApiError);
      expect((e as GraphApiError).operation).toBe('get');
      expect((e as GraphApiError).status).toBe(404);
      expect(caught(() => readEntity('create', response(204)))).toBeInstanceOf(GraphApiError);
    });

    it('refuses a success without an entity id with ERR_GRAPH_TRANSPORT', () => {
      expect(code(() => readEntity('create', response(201, '')))).toBe('ERR_GRAPH_TRANSPORT');
      expect(code(() => readEntity('create', response(201, '<html/>')))).toBe('ERR_GRAPH_TRANSPORT');
      expect(code(() => readEntity('get', response(200, { id: 5 })))).toBe('ERR_GRAPH_TRANSPORT');
    });
  });

  describe('readUpdate', () => {
    it('accepts 200 with the entity (current docs)', () => {
      const entity = { id: ID, tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [] };
      expect(readUpdate(response(200, entity))).toEqual(entity);
    });

    it('accepts 204 without a body (older docs)', () => {
      expect(readUpdate(response(204))).toBeUndefined();
    });

    it('throws GraphApiError with operation update otherwise', () => {
      const e = caught(() => readUpdate(response(400, errorBody('Request_BadRequest', 'x'))));
      expect(e).toBeInstanceOf(GraphApiError);
      expect((e as GraphApiError).operation).toBe('update');
    });
  });

  describe('readCollection', () => {
    it('returns the page and its @odata.nextLink', () => {
      const link = `${GLOBAL}${PATH}?$skiptoken=abc`;
      const page = readCollection(response(200, { '@odata.context': 'ctx', value: [{ id: 'a' }, { id: 'b' }], '@odata.nextLink': link }));
      expect(page.value.map((c) => c.id)).toEqual(['a', 'b']);
      expect(page.nextLink).toBe(link);
    });

    it('has no nextLink on the last page', () => {
      const page = readCollection(response(200, { value: [] }));
      expect(page.value).toEqual([]);
      expect(page.nextLink).toBeUndefined();
    });

    it('throws GraphApiError (operation list) for an error status', () => {
      const e = caught(() => readCollection(response(403, errorBody('Authorization_RequestDenied', 'x'))));
      expect(e).toBeInstanceOf(GraphApiError);
      expect((e as GraphApiError).operation).toBe('list');
      expect((e as GraphApiError).hint).toContain('Read.All');
    });

    it('refuses a 200 without value[] with ERR_GRAPH_TRANSPORT', () => {
      expect(code(() => readCollection(response(200, { value: {} })))).toBe('ERR_GRAPH_TRANSPORT');
      expect(code(() => readCollection(response(200, '')))).toBe('ERR_GRAPH_TRANSPORT');
    });
  });

  describe('readDelete', () => {
    it('accepts 204 (and 200)', () => {
      expect(() => readDelete(response(204))).not.toThrow();
      expect(() => readDelete(response(200))).not.toThrow();
    });

    it('throws GraphApiError with the device template hint for a 400', () => {
      const e = caught(() => readDelete(response(400, errorBody('Request_BadRequest', 'x'))));
      expect(e).toBeInstanceOf(GraphApiError);
      expect((e as GraphApiError).operation).toBe('delete');
      expect((e as GraphApiError).hint).toMatch(/deviceTemplate/);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Retry policy (spec §3.5)
// ---------------------------------------------------------------------------------------------

const T0 = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));

function outcome(method: GraphRequest['method'], status: number | undefined, extra: Partial<AttemptOutcome> = {}): AttemptOutcome {
  return { request: { method }, attempts: 1, elapsedMs: 0, now: T0, random: 0.5, ...(status === undefined ? {} : { status }), ...extra };
}

describe('retry', () => {
  it('defaults equal the Graph SDKs: 3 retries within 180 s on 429, 503, 504', () => {
    expect(DEFAULT_RETRY_POLICY.maxRetries).toBe(3);
    expect(DEFAULT_RETRY_POLICY.maxTotalMs).toBe(180_000);
    expect([...DEFAULT_RETRY_POLICY.retryStatuses].sort()).toEqual([429, 503, 504]);
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
  });

  it('resolvePolicy merges a partial policy over the defaults', () => {
    expect(resolvePolicy(undefined)).toEqual(DEFAULT_RETRY_POLICY);
    expect(resolvePolicy({ maxRetries: 7 })).toEqual({ ...DEFAULT_RETRY_POLICY, maxRetries: 7 });
  });

  describe.each(['GET', 'PATCH', 'DELETE'] as const)('%s (idempotent)', (method) => {
    it.each([429, 503, 504, undefined])('retries status %s', (status) => {
      const d = decideRetry(outcome(method, status), DEFAULT_RETRY_POLICY);
      expect(d.action).toBe('retry');
    });
  });

  it.each(['GET', 'PATCH', 'DELETE'] as const)('%s is done on a non-retryable status', (method) => {
    for (const status of [200, 201, 204, 302, 400, 401, 403, 404, 409, 500, 501, 502]) {
      expect(decideRetry(outcome(method, status), DEFAULT_RETRY_POLICY)).toEqual({ action: 'done' });
    }
  });

  it('POST is done on a 2xx or a definite 4xx refusal', () => {
    for (const status of [200, 201, 204, 400, 401, 403, 404, 408, 409, 499]) {
      expect(decideRetry(outcome('POST', status), DEFAULT_RETRY_POLICY)).toEqual({ action: 'done' });
    }
  });

  it('POST after any other answer (5xx, redirect, 1xx) or a network failure verifies (outcome unknown), whatever the budget', () => {
    for (const status of [500, 501, 502, 503, 504, 599, 302, 303, 0, 101, undefined]) {
      expect(decideRetry(outcome('POST', status), DEFAULT_RETRY_POLICY).action, String(status)).toBe('verify');
      expect(decideRetry(outcome('POST', status, { attempts: 9, elapsedMs: 999_999 }), DEFAULT_RETRY_POLICY).action, String(status)).toBe('verify');
    }
    // The wait before the first lookup honours Retry-After.
    expect(decideRetry(outcome('POST', 503, { headers: { 'retry-after': '7' } }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'verify', delayMs: 7000 });
  });

  it('POST after 429 retries (Graph did not process it)', () => {
    expect(decideRetry(outcome('POST', 429), DEFAULT_RETRY_POLICY).action).toBe('retry');
  });

  describe('Retry-After', () => {
    it('waits the delay-seconds exactly, without jitter', () => {
      for (const random of [0, 0.5, 0.999999]) {
        expect(decideRetry(outcome('GET', 429, { headers: { 'retry-after': '7' }, random }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'retry', delayMs: 7000 });
      }
      expect(decideRetry(outcome('POST', 503, { headers: { 'retry-after': '3' } }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'verify', delayMs: 3000 });
    });

    it('waits until an HTTP-date', () => {
      const d = decideRetry(outcome('GET', 503, { headers: { 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' } }), DEFAULT_RETRY_POLICY);
      expect(d).toEqual({ action: 'retry', delayMs: 30_000 });
    });

    it('waits 0 for a date in the past', () => {
      const d = decideRetry(outcome('GET', 429, { headers: { 'retry-after': 'Sun, 01 Jun 2025 11:00:00 GMT' } }), DEFAULT_RETRY_POLICY);
      expect(d).toEqual({ action: 'retry', delayMs: 0 });
    });

    it('falls back to backoff for a value it cannot read', () => {
      const backoff = decideRetry(outcome('GET', 429, { random: 0 }), DEFAULT_RETRY_POLICY);
      for (const garbage of ['soon', '', '1.5', '-3', '2025-06-01T12:00:30Z', '0x10']) {
        expect(decideRetry(outcome('GET', 429, { headers: { 'retry-after': garbage }, random: 0 }), DEFAULT_RETRY_POLICY)).toEqual(backoff);
      }
      expect(backoff).toEqual({ action: 'retry', delayMs: 500 });
    });

    it('parseRetryAfter reads delay-seconds and HTTP-dates (RFC 9110 §10.2.3)', () => {
      expect(parseRetryAfter('0', T0)).toBe(0);
      expect(parseRetryAfter('2', T0)).toBe(2000);
      expect(parseRetryAfter(' 120 ', T0)).toBe(120_000);
      expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', T0)).toBe(30_000);
      expect(parseRetryAfter('Sunday, 01-Jun-25 12:00:30 GMT', T0)).toBe(30_000); // RFC 850 form
      expect(parseRetryAfter('Sun, 01 Jun 2025 11:59:59 GMT', T0)).toBe(0);
      expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', T0)).toBe(0);
      for (const bad of ['', 'soon', '1.5', '-1', '+5', '2025-06-01T12:00:30Z', '1e3']) expect(parseRetryAfter(bad, T0)).toBeUndefined();
    });

    it('parseRetryAfter reads the asctime form as UTC in any local time zone (RFC 9110 §5.6.7)', () => {
      const saved = process.env['TZ'];
      try {
        process.env['TZ'] = 'America/New_York';
        expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', T0)).toBe(30_000);
        // asctime-date carries no zone; HTTP dates are always UTC.
        expect(parseRetryAfter('Sun Jun  1 12:00:30 2025', T0)).toBe(30_000);
      } finally {
        if (saved === undefined) delete process.env['TZ'];
        else process.env['TZ'] = saved;
      }
    });
  });

  describe('backoff', () => {
    it('doubles from 1 s with equal jitter: [backoff/2, backoff]', () => {
      const at = (attempts: number, random: number): number => {
        const d = decideRetry(outcome('GET', 503, { attempts, random }), { ...DEFAULT_RETRY_POLICY, maxRetries: 10 });
        if (d.action !== 'retry') throw new Error(`expected retry, got ${d.action}`);
        return d.delayMs;
      };
      expect(at(1, 0)).toBe(500);
      expect(at(1, 0.999999)).toBe(1000);
      expect(at(2, 0)).toBe(1000);
      expect(at(2, 0.999999)).toBe(2000);
      expect(at(3, 0)).toBe(2000);
      expect(at(3, 0.999999)).toBe(4000);
      expect(at(3, 0.5)).toBe(3000);
      for (let attempts = 1; attempts <= 6; attempts++) {
        const backoff = Math.min(30_000, 1000 * 2 ** (attempts - 1));
        for (const random of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999]) {
          const ms = at(attempts, random);
          expect(ms).toBeGreaterThanOrEqual(backoff / 2);
          expect(ms).toBeLessThanOrEqual(backoff);
        }
      }
    });

    it('caps one delay at maxDelayMs', () => {
      const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetries: 20, maxDelayMs: 3000 };
      expect(decideRetry(outcome('GET', 429, { attempts: 8, random: 0 }), policy)).toEqual({ action: 'retry', delayMs: 1500 });
      expect(decideRetry(outcome('GET', 429, { attempts: 8, random: 0.999999 }), policy)).toEqual({ action: 'retry', delayMs: 3000 });
      expect(decideRetry(outcome('GET', 429, { attempts: 12, random: 0.999999 }), { ...DEFAULT_RETRY_POLICY, maxRetries: 20 })).toEqual({ action: 'retry', delayMs: 30_000 });
    });

    it('uses baseDelayMs', () => {
      expect(decideRetry(outcome('GET', 504, { random: 0 }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 200 })).toEqual({ action: 'retry', delayMs: 100 });
    });
  });

  describe('limits', () => {
    it('gives up after maxRetries retries (the 4th attempt by default)', () => {
      expect(decideRetry(outcome('GET', 503, { attempts: 3 }), DEFAULT_RETRY_POLICY).action).toBe('retry');
      const d = decideRetry(outcome('GET', 503, { attempts: 4 }), DEFAULT_RETRY_POLICY);
      expect(d.action).toBe('give-up');
      if (d.action === 'give-up') expect(typeof d.reason).toBe('string');
      expect(decideRetry(outcome('POST', 429, { attempts: 4 }), DEFAULT_RETRY_POLICY).action).toBe('give-up');
    });

    it('maxRetries 0 never retries', () => {
      expect(decideRetry(outcome('GET', 429), { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }).action).toBe('give-up');
      expect(decideRetry(outcome('GET', 404), { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }).action).toBe('done');
    });

    it('gives up when the wait would pass maxTotalMs', () => {
      const h = { 'retry-after': '1' };
      expect(decideRetry(outcome('GET', 429, { headers: h, elapsedMs: 179_000 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'retry', delayMs: 1000 });
      expect(decideRetry(outcome('GET', 429, { headers: h, elapsedMs: 179_001 }), DEFAULT_RETRY_POLICY).action).toBe('give-up');
      expect(decideRetry(outcome('GET', 429, { headers: { 'retry-after': '181' } }), DEFAULT_RETRY_POLICY).action).toBe('give-up');
      expect(decideRetry(outcome('POST', 429, { headers: { 'retry-after': '181' } }), DEFAULT_RETRY_POLICY).action).toBe('give-up');
      expect(decideRetry(outcome('GET', undefined, { elapsedMs: 9_800, random: 0 }), { ...DEFAULT_RETRY_POLICY, maxTotalMs: 10_000 }).action).toBe('give-up');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Token pre-flight (spec §2.6, §2.7; RFC 7519)
// ---------------------------------------------------------------------------------------------

const NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
const NOW_S = NOW.getTime() / 1000;
const SIGNATURE = 'c2lnbmF0dXJlLXNlZ21lbnQtdGhhdC1tdXN0LW5ldmVyLWxlYWs';
const MSA_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function jwt(claims: Record<string, unknown>, signature = SIGNATURE): string {
  return `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${b64url(claims)}.${signature}`;
}

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { aud: 'https://graph.microsoft.com', iss: 'https://sts.windows.net/tenant/', tid: '72f988bf-86f1-41af-91ab-2d7cd011db47', exp: NOW_S + 3600, ...extra };
}

function codes(token: string, options: { cloud?: Cloud; access?: 'read' | 'write' } = {}): TokenWarningCode[] {
  return inspectToken(token, { ...options, now: NOW }).map((w) => w.code).sort();
}

describe('token', () => {
  it('accepts a delegated token with the write scope, for read and write', () => {
    const t = jwt(claims({ scp: 'User.Read MutualTlsOauthConfiguration.ReadWrite.All' }));
    expect(codes(t, { access: 'write' })).toEqual([]);
    expect(codes(t, { access: 'read' })).toEqual([]);
    expect(codes(t)).toEqual([]);
  });

  it('accepts an application token with the permission in roles', () => {
    expect(codes(jwt(claims({ roles: ['MutualTlsOauthConfiguration.ReadWrite.All'] })), { access: 'write' })).toEqual([]);
    expect(codes(jwt(claims({ roles: ['MutualTlsOauthConfiguration.Read.All'] })), { access: 'read' })).toEqual([]);
  });

  it('accepts each read permission for reading', () => {
    for (const p of READ_PERMISSIONS) expect(codes(jwt(claims({ scp: p })), { access: 'read' })).toEqual([]);
  });

  it('warns when reading without any read permission', () => {
    for (const c of [claims(), claims({ scp: 'User.Read Directory.AccessAsUser.All' }), claims({ roles: ['Application.Read.All'] }), claims({ scp: 'MutualTlsOauthConfiguration.Read.AllX' })]) {
      expect(codes(jwt(c), { access: 'read' })).toEqual(['TOKEN_MISSING_PERMISSION']);
    }
  });

  it('warns when writing with only a read permission (default access is write)', () => {
    const t = jwt(claims({ scp: 'MutualTlsOauthConfiguration.Read.All Directory.Read.All' }));
    expect(codes(t, { access: 'write' })).toEqual(['TOKEN_MISSING_PERMISSION']);
    expect(codes(t)).toEqual(['TOKEN_MISSING_PERMISSION']);
    expect(codes(jwt(claims({ roles: ['MutualTlsOauthConfiguration.Read.All'] })), { access: 'write' })).toEqual(['TOKEN_MISSING_PERMISSION']);
    expect(codes(jwt(claims({ roles: 'MutualTlsOauthConfiguration.ReadWrite.All' })), { access: 'write' })).toEqual(['TOKEN_MISSING_PERMISSION']);
  });

  it('warns when the token has expired', () => {
    const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };
    expect(codes(jwt(claims({ ...scp, exp: NOW_S - 60 })))).toEqual(['TOKEN_EXPIRED']);
    expect(codes(jwt(claims({ ...scp, exp: NOW_S })))).toEqual(['TOKEN_EXPIRED']);
    expect(codes(jwt(claims({ ...scp, exp: NOW_S + 1 })))).toEqual([]);
  });

  it('warns for a personal Microsoft account (MSA tenant)', () => {
    const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };
    expect(codes(jwt(claims({ ...scp, tid: MSA_TENANT })))).toEqual(['TOKEN_PERSONAL_ACCOUNT']);
    expect(codes(jwt(claims({ ...scp, idp: 'live.com' })))).toEqual(['TOKEN_PERSONAL_ACCOUNT']);
  });

  it("warns for a token meant for another cloud's Graph", () => {
    const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };
    const usGov = jwt(claims({ ...scp, aud: 'https://graph.microsoft.us' }));
    expect(codes(usGov)).toEqual(['TOKEN_WRONG_AUDIENCE']);
    expect(codes(usGov, { cloud: 'global' })).toEqual(['TOKEN_WRONG_AUDIENCE']);
    expect(codes(usGov, { cloud: 'usGov' })).toEqual([]);
    expect(codes(usGov, { cloud: 'usGovDoD' })).toEqual(['TOKEN_WRONG_AUDIENCE']);
    expect(codes(jwt(claims(scp)), { cloud: 'china' })).toEqual(['TOKEN_WRONG_AUDIENCE']);
    expect(codes(jwt(claims({ ...scp, aud: 'https://management.azure.com' })))).toEqual(['TOKEN_WRONG_AUDIENCE']);
  });

  it("accepts Graph's app id and a trailing slash as the audience", () => {
    const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };
    expect(codes(jwt(claims({ ...scp, aud: '00000003-0000-0000-c000-000000000000' })))).toEqual([]);
    expect(codes(jwt(claims({ ...scp, aud: 'https://graph.microsoft.com/' })))).toEqual([]);
    for (const cloud of Object.keys(CLOUDS) as Cloud[]) {
      expect(codes(jwt(claims({ ...scp, aud: CLOUDS[cloud].graph })), { cloud })).toEqual([]);
    }
  });

  it.each([
    ['an opaque token', 'EwBwA8l6BAAUO9chh8cJscQLmU+LSWpbnr0vmwwAAQ'],
    ['two segments', 'eyJhbGciOiJub25lIn0.eyJzY3AiOiJ4In0'],
    ['a JWE (five segments)', 'a.b.c.d.e'],
    ['claims that are not base64url', `${b64url({ alg: 'RS256' })}.%%%%.${SIGNATURE}`],
    ['padded claims', `${b64url({ alg: 'RS256' })}.${Buffer.from('{"a":1}').toString('base64')}.${SIGNATURE}`],
    ['claims that are not JSON', `${b64url({ alg: 'RS256' })}.${Buffer.from('not json').toString('base64url')}.${SIGNATURE}`],
    ['claims that are a JSON array', `${b64url({ alg: 'RS256' })}.${b64url(['scp'])}.${SIGNATURE}`],
    ['empty', ''],
  ])('reports %s as TOKEN_NOT_A_JWT', (_name, token) => {
    const warnings = inspectToken(token, { now: NOW });
    expect(warnings.map((w) => w.code)).toEqual(['TOKEN_NOT_A_JWT']);
    if (token.length > 0) expect(warnings[0]!.message).not.toContain(token);
  });

  it('never puts the token, its claims segment or its signature in a message', () => {
    const t = jwt(claims({ tid: MSA_TENANT, exp: NOW_S - 10, aud: 'https://graph.microsoft.us', scp: 'User.Read' }));
    const [header, claimSegment, signature] = t.split('.');
    const warnings = inspectToken(t, { now: NOW, access: 'write' });
    expect(warnings.map((w) => w.code).sort()).toEqual(['TOKEN_EXPIRED', 'TOKEN_MISSING_PERMISSION', 'TOKEN_PERSONAL_ACCOUNT', 'TOKEN_WRONG_AUDIENCE']);
    for (const w of warnings) {
      expect(w.message.length).toBeGreaterThan(0);
      expect(w.message).not.toContain(t);
      expect(w.message).not.toContain(signature!);
      expect(w.message).not.toContain(claimSegment!);
      expect(w.message).not.toContain(header!);
      expect(w.message).not.toContain(SIGNATURE.slice(0, 16));
    }
  });

  it('does not verify the signature (any signature segment is read the same)', () => {
    const c = claims({ scp: 'MutualTlsOauthConfiguration.ReadWrite.All' });
    expect(codes(jwt(c, ''))).toEqual([]);
    expect(codes(jwt(c, 'not-a-real-signature'))).toEqual([]);
  });
});
