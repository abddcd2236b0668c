// Tests of the transport-free Graph protocol (spec/graph-api.md §2, §3): the request builders
// (graph/requests.ts: URLs under /directory/certificateAuthorities/mutualTlsOauthConfigurations
// on each cloud's /beta root, percent-encoded OData query options, JSON bodies), the response
// readers and GraphApiError (graph/responses.ts: Graph's error JSON with innerError or
// innererror, header fallbacks, hints), the retry policy (graph/retry.ts: 429/503/504 and network
// failures, verify for a create, Retry-After per RFC 9110 §10.2.3, equal-jitter backoff, limits)
// and the token pre-flight (graph/token.ts: JWT claims per RFC 7519, never verified, never
// echoed). Assertions are on codes and values, not prose.

import { describe, expect, it, vi } from 'vitest';
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
  redactSecrets,
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
      if (cloud !== 'global') expect(CLOUDS[cloud].warning).toBe('mutualTlsOauthConfiguration is documented for the global cloud only; calls to this cloud may fail with 404 or 400.');
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
      expect(apiError('get', response(401, '')).hint).toBe('the token is missing, expired, or issued for another resource; get a token for Graph');
      expect(apiError('get', response(404, '')).hint).toBe('no mutualTlsOauthConfiguration has this id in the tenant');
      expect(apiError('update', response(409, '')).hint).toBe('another change to the directory object was in progress; retry after a short wait');
      expect(apiError('list', response(429, '')).hint).toBe('throttled: wait as Retry-After says before the next request');
      expect(apiError('list', response(500, '')).hint).toBeUndefined();
    });

    it('Directory_ConcurrencyViolation has the concurrency hint whatever the status', () => {
      const a = apiError('update', response(400, errorBody('Directory_ConcurrencyViolation', 'x')));
      const b = apiError('update', response(409, errorBody('Directory_ConcurrencyViolation', 'x')));
      expect(a.hint).toBe('another change to the directory object was in progress; retry after a short wait');
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

    it('refuses a success without an entity id with ERR_GRAPH_MALFORMED_RESPONSE', () => {
      expect(code(() => readEntity('create', response(201, '')))).toBe('ERR_GRAPH_MALFORMED_RESPONSE');
      expect(code(() => readEntity('create', response(201, '<html/>')))).toBe('ERR_GRAPH_MALFORMED_RESPONSE');
      expect(code(() => readEntity('get', response(200, { id: 5 })))).toBe('ERR_GRAPH_MALFORMED_RESPONSE');
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

    it('refuses a 200 without value[] with ERR_GRAPH_MALFORMED_RESPONSE', () => {
      expect(code(() => readCollection(response(200, { value: {} })))).toBe('ERR_GRAPH_MALFORMED_RESPONSE');
      expect(code(() => readCollection(response(200, '')))).toBe('ERR_GRAPH_MALFORMED_RESPONSE');
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

// ---------------------------------------------------------------------------------------------
// Details pinned for mutation testing (issue 12, item 15)
// ---------------------------------------------------------------------------------------------

describe('requests: details', () => {
  it('a lone surrogate in a query value or an id is ERR_INVALID_ARGUMENT naming it and its position; a pair is encoded', () => {
    const high = caught(() => listRequest(GLOBAL, { filter: "displayName eq '\ud83d'" })) as GraphMtlsError;
    expect(high.code).toBe('ERR_INVALID_ARGUMENT');
    expect(high.message).toBe('URL text: expected well-formed Unicode, received a lone surrogate U+D83D at position 17');
    const low = caught(() => getRequest(GLOBAL, 'a\ude00b')) as GraphMtlsError;
    expect(low.message).toBe('URL text: expected well-formed Unicode, received a lone surrogate U+DE00 at position 2');
    const reversed = caught(() => getRequest(GLOBAL, '\ude00\ud83d')) as GraphMtlsError;
    expect(reversed.message).toContain('U+DE00 at position 1');
    expect(code(() => getRequest(GLOBAL, 'x', ['\ud800']))).toBe('ERR_INVALID_ARGUMENT');
    expect(getRequest(GLOBAL, '\ud83d\ude00').url).toBe(`${GLOBAL}${PATH}/%F0%9F%98%80`);
    expect(listRequest(GLOBAL, { filter: 'a\ud83d\ude00' }).url).toBe(`${GLOBAL}${PATH}?$filter=a%F0%9F%98%80`);
  });

  it('$select values are each encoded and joined by a comma; a $top error names the value', () => {
    expect(listRequest(GLOBAL, { select: ['a b', "c'd"] }).url).toBe(`${GLOBAL}${PATH}?$select=a%20b,c%27d`);
    expect(getRequest(GLOBAL, ID, ['a b', "c'd"]).url).toBe(`${GLOBAL}${PATH}/${ID}?$select=a%20b,c%27d`);
    expect(listRequest(GLOBAL, { top: 2 }).url).toBe(`${GLOBAL}${PATH}?$top=2`);
    expect(listRequest(GLOBAL, { filter: 'x', top: 3 }).url).toBe(`${GLOBAL}${PATH}?$filter=x&$top=3`);
    expect((caught(() => listRequest(GLOBAL, { top: 0 })) as Error).message).toBe('list top: expected a positive integer, received 0');
  });

  it('an id error says what was received', () => {
    expect((caught(() => getRequest(GLOBAL, '')) as Error).message).toBe('configuration id: expected a non-empty string, received an empty one');
    expect((caught(() => getRequest(GLOBAL, 5 as unknown as string)) as Error).message).toBe('configuration id: expected a non-empty string, received number');
  });

  it('a JSON text body is sent as it is, not serialized again', () => {
    expect(createRequest(GLOBAL, '{"a":1}').body).toBe('{"a":1}');
    expect(updateRequest(GLOBAL, ID, '{"b":2}').body).toBe('{"b":2}');
    expect(createRequest(GLOBAL, ['x']).body).toBe('["x"]');
  });
});

describe('responses: details', () => {
  it('the message: status and Graph code, the message cut at 300 characters, and the hint', () => {
    expect(apiError('create', response(400, errorBody('Request_BadRequest', 'Bad cert.'))).message).toBe('Graph create: expected success, received 400 Request_BadRequest: Bad cert.');
    expect(apiError('get', response(500, '')).message).toBe('Graph get: expected success, received HTTP 500');
    expect(apiError('get', response(404, '')).message).toBe('Graph get: expected success, received HTTP 404 (no mutualTlsOauthConfiguration has this id in the tenant)');
    const long = apiError('update', response(400, errorBody('Request_BadRequest', 'y'.repeat(400))));
    expect(long.message).toBe(`Graph update: expected success, received 400 Request_BadRequest: ${'y'.repeat(300)}`);
  });

  it('each status has its own hint', () => {
    expect(apiError('get', response(401, '')).hint).toBe('the token is missing, expired, or issued for another resource; get a token for Graph');
    expect(apiError('get', response(404, '')).hint).toBe('no mutualTlsOauthConfiguration has this id in the tenant');
    expect(apiError('update', response(409, '')).hint).toBe('another change to the directory object was in progress; retry after a short wait');
    expect(apiError('list', response(429, '')).hint).toBe('throttled: wait as Retry-After says before the next request');
    expect(apiError('delete', response(400, '')).hint).toBe('delete every deviceTemplate that links to this configuration, and the devices created from them, first');
    expect(apiError('get', response(403, '')).hint).toBe('the caller needs the MutualTlsOauthConfiguration.Read.All (or ReadWrite.All) permission; delegated callers also need the Cloud Device Administrator or IoT Device Administrator role');
    expect(apiError('update', response(403, '')).hint).toBe(`the caller needs the ${WRITE_PERMISSION} permission; delegated callers also need the Cloud Device Administrator or IoT Device Administrator role`);
  });

  it('a redirect (3xx) or an opaque browser redirect (status 0) has the redirect hint; 2xx, 4xx and 5xx around it do not', () => {
    const redirect = 'Graph does not redirect these calls; the redirect was not followed, so the token went nowhere else: check the base URL';
    for (const status of [0, 300, 301, 302, 307, 308, 399]) expect(apiError('get', response(status, '')).hint, String(status)).toBe(redirect);
    for (const status of [200, 299, 400, 402, 499, 500, 502, 503]) expect(apiError('get', response(status, '')).hint, String(status)).toBeUndefined();
  });

  it('the innerError key is found in any case, and only inside error', () => {
    const e = apiError('get', response(500, { error: { code: 'X', message: 'm', InnerError: { 'request-id': 'r-any-case' } } }));
    expect(e.requestId).toBe('r-any-case');
    const outside = apiError('get', response(500, { error: { code: 'X' }, innerError: { 'request-id': 'r-outside' } }, { 'request-id': 'r-header' }));
    expect(outside.requestId).toBe('r-header');
    const nonString = apiError('get', response(500, { error: { code: 'X', innerError: { 'request-id': 5, date: null } } }, { 'request-id': 'r-header', date: 'd-header' }));
    expect(nonString.requestId).toBe('r-header');
    expect(nonString.date).toBe('d-header');
  });

  it('inherited names are not fields: an error body of a bare array or a prototype key', () => {
    const e = apiError('get', response(500, '{"error":{"__proto__":{"code":"Injected"}}}'));
    expect(e.graphCode).toBeUndefined();
    expect(apiError('get', response(500, '[{"error":{"code":"X"}}]')).graphCode).toBeUndefined();
  });

  it('the body is parsed after credentials are taken out of it', () => {
    const e = apiError('get', response(400, { error: { code: 'BadRequest', message: 'Authorization: Bearer abc.def-ghi was refused' } }));
    expect(e.graphMessage).toBe('Authorization: Bearer [REDACTED] was refused');
    expect(e.body).toEqual({ error: { code: 'BadRequest', message: 'Authorization: Bearer [REDACTED] was refused' } });
  });

  it('readEntity says whether the body was empty', () => {
    expect((caught(() => readEntity('create', response(201, ''))) as Error).message).toBe('Graph create: expected a mutualTlsOauthConfiguration with an id, received an empty body');
    expect((caught(() => readEntity('get', response(200, '{}'))) as Error).message).toBe('Graph get: expected a mutualTlsOauthConfiguration with an id, received another body');
    expect(caught(() => readEntity('get', response(202, { id: ID })))).toBeInstanceOf(GraphApiError);
  });

  it('readCollection ignores a nextLink that is not a string, and refuses any status but 200', () => {
    expect(readCollection(response(200, { value: [], '@odata.nextLink': 5 })).nextLink).toBeUndefined();
    expect(caught(() => readCollection(response(201, { value: [] })))).toBeInstanceOf(GraphApiError);
    expect((caught(() => readCollection(response(200, '{}'))) as Error).message).toBe('Graph list: expected a collection with value[], received another body');
  });

  it('readUpdate of a 201 returns the entity; readDelete refuses 202 and 404', () => {
    expect(readUpdate(response(201, { id: ID }))).toEqual({ id: ID });
    expect(caught(() => readUpdate(response(202, { id: ID })))).toBeInstanceOf(GraphApiError);
    for (const status of [201, 202, 404]) expect((caught(() => readDelete(response(status, ''))) as GraphApiError).status).toBe(status);
  });
});

describe('redactSecrets', () => {
  it.each([
    ['Bearer abc', 'Bearer [REDACTED]'],
    ['bearer abc', 'bearer [REDACTED]'],
    ['BEARER\t\tabc.def~ghi+/x== tail', 'BEARER [REDACTED] tail'],
    ['Authorization: Bearer a-b_c.d', 'Authorization: Bearer [REDACTED]'],
    ['xBearer abc', 'xBearer abc'],
    ['Bearer', 'Bearer'],
    ['Bearer  ', 'Bearer  '],
    ['eyJabcd.efgh.ijkl', '[REDACTED JWT]'],
    ['eyJabcd.efgh.', '[REDACTED JWT]'],
    ['see eyJa-_d.e_-h.sig-_x!', 'see [REDACTED JWT]!'],
    ['eyJabc.efgh.ijkl', 'eyJabc.efgh.ijkl'],
    ['eyJabcd.efg.ijkl', 'eyJabcd.efg.ijkl'],
    ['xeyJabcd.efgh.ijkl', 'xeyJabcd.efgh.ijkl'],
    ['eyJabcd.efgh', 'eyJabcd.efgh'],
    ['two: eyJaaaa.bbbb.cccc and eyJdddd.eeee.ffff', 'two: [REDACTED JWT] and [REDACTED JWT]'],
    ['Bearer one; Bearer two', 'Bearer [REDACTED]; Bearer [REDACTED]'],
    ['nothing secret', 'nothing secret'],
  ])('%j → %j', (input, output) => {
    expect(redactSecrets(input)).toBe(output);
  });
});

describe('retry: details', () => {
  it('POST: 2xx and 4xx (but 429) are done; just outside those ranges the outcome is unknown', () => {
    for (const status of [199, 300, 399, 500]) expect(decideRetry(outcome('POST', status), DEFAULT_RETRY_POLICY).action, String(status)).toBe('verify');
    for (const status of [200, 299, 400, 499]) expect(decideRetry(outcome('POST', status), DEFAULT_RETRY_POLICY).action, String(status)).toBe('done');
  });

  it('verify waits the backoff when there is no Retry-After', () => {
    expect(decideRetry(outcome('POST', 502, { attempts: 2, random: 0 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'verify', delayMs: 1000 });
    expect(decideRetry(outcome('POST', undefined, { random: 0 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'verify', delayMs: 500 });
  });

  it('retryStatuses of the policy decide what is retried', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, retryStatuses: [500] };
    expect(decideRetry(outcome('GET', 500), policy).action).toBe('retry');
    expect(decideRetry(outcome('GET', 503), policy)).toEqual({ action: 'done' });
    expect(decideRetry(outcome('GET', undefined), policy).action).toBe('retry');
  });

  it('the give-up reasons name the failure, the attempts and the limits', () => {
    expect(decideRetry(outcome('GET', 503, { attempts: 4 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'give-up', reason: 'HTTP 503 after 4 attempts (at most 3 retries)' });
    expect(decideRetry(outcome('GET', undefined, { attempts: 4 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'give-up', reason: 'a network failure after 4 attempts (at most 3 retries)' });
    expect(decideRetry(outcome('GET', 429, { headers: { 'retry-after': '2' }, elapsedMs: 179_000 }), DEFAULT_RETRY_POLICY)).toEqual({
      action: 'give-up',
      reason: 'HTTP 429; waiting 2000 ms more would pass the 180000 ms limit',
    });
  });

  it('parseRetryAfter: the asctime form with a two-digit day; dates Date.parse reads without a month or day name are refused', () => {
    expect(parseRetryAfter('Sun Jun 01 12:00:30 2025', T0)).toBe(30_000);
    expect(parseRetryAfter('Sun Jun 11 12:00:00 2025', T0)).toBe(10 * 86_400_000);
    // Date.parse reads these, but they hold no month or weekday name: not HTTP dates.
    expect(parseRetryAfter('2025-06-01 12:00:30', T0)).toBeUndefined();
    expect(parseRetryAfter('2025/06/01 12:00:30 GMT', T0)).toBeUndefined();
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', new Date(T0.getTime() + 30_000))).toBe(0);
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', new Date(T0.getTime() + 29_000))).toBe(1000);
    expect(parseRetryAfter('\t5\t', T0)).toBe(5000);
    expect(parseRetryAfter('5 s', T0)).toBeUndefined();
    expect(parseRetryAfter('Sun, 99 Jun 2025 12:00:30 GMT', T0)).toBeUndefined();
  });
});

describe('token: details', () => {
  const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };

  it('an audience with several trailing slashes is still Graph; a non-string audience is not judged', () => {
    expect(codes(jwt(claims({ ...scp, aud: 'https://graph.microsoft.com//' })))).toEqual([]);
    expect(codes(jwt(claims({ ...scp, aud: ['https://graph.microsoft.us'] })))).toEqual([]);
    expect(codes(jwt(claims({ ...scp, aud: 5 })))).toEqual([]);
  });

  it('claims that are not UTF-8, or JSON null, are TOKEN_NOT_A_JWT', () => {
    const notUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url');
    expect(codes(`${b64url({ alg: 'RS256' })}.${notUtf8}.${SIGNATURE}`)).toEqual(['TOKEN_NOT_A_JWT']);
    expect(codes(`${b64url({ alg: 'RS256' })}.${b64url(null)}.${SIGNATURE}`)).toEqual(['TOKEN_NOT_A_JWT']);
    expect(codes(`${b64url({ alg: 'RS256' })}.${b64url(5)}.${SIGNATURE}`)).toEqual(['TOKEN_NOT_A_JWT']);
  });

  it('scopes split on spaces, roles only as strings; the message lists what was granted', () => {
    const t = jwt(claims({ scp: '  User.Read   Directory.Read.All ', roles: ['Application.Read.All', 5, null] }));
    const [w] = inspectToken(t, { now: NOW, access: 'write' });
    expect(w).toEqual({ code: 'TOKEN_MISSING_PERMISSION', message: `the token grants User.Read, Directory.Read.All, Application.Read.All; writing needs ${WRITE_PERMISSION}` });
    const [r] = inspectToken(jwt(claims()), { now: NOW, access: 'read' });
    expect(r).toEqual({ code: 'TOKEN_MISSING_PERMISSION', message: `the token grants no scope or role; reading needs ${READ_PERMISSIONS.join(' or ')}` });
    expect(codes(jwt(claims({ scp: 5 })))).toEqual(['TOKEN_MISSING_PERMISSION']);
  });

  it('the expiry, audience and account messages', () => {
    const [e] = inspectToken(jwt(claims({ ...scp, exp: NOW_S - 60 })), { now: NOW });
    expect(e).toEqual({ code: 'TOKEN_EXPIRED', message: 'the token expired at 2025-06-01T11:59:00.000Z' });
    const [a] = inspectToken(jwt(claims({ ...scp, aud: 'https://graph.microsoft.us' })), { now: NOW });
    expect(a).toEqual({ code: 'TOKEN_WRONG_AUDIENCE', message: "the token is for 'https://graph.microsoft.us', not https://graph.microsoft.com" });
    expect(codes(jwt(claims({ ...scp, exp: String(NOW_S - 60) })))).toEqual([]);
    expect(codes(jwt(claims({ ...scp, idp: 'https://sts.windows.net/x/' })))).toEqual([]);
  });
});

describe('responses: odd error bodies', () => {
  it('an error that is null, a body that is null, and a null innerError are read without failing', () => {
    for (const body of ['{"error":null}', 'null', '{"error":{"code":"X","innerError":null}}']) {
      const e = apiError('get', response(500, body, { 'request-id': 'r-header' }));
      expect(e.code, body).toBe('ERR_GRAPH_RESPONSE');
      expect(e.requestId).toBe('r-header');
    }
  });

  it('without an innerError, a property named "undefined" is not read as one', () => {
    const e = apiError('get', response(500, { error: { code: 'X', undefined: { 'request-id': 'r-wrong' } } }, { 'request-id': 'r-header' }));
    expect(e.requestId).toBe('r-header');
  });

  it('the device-template hint is for a 400 on delete only', () => {
    expect(apiError('delete', response(500, '')).hint).toBeUndefined();
    expect(apiError('delete', response(409, '')).hint).toBe('another change to the directory object was in progress; retry after a short wait');
  });
});

describe('retry: Retry-After dates are read as GMT whatever the local time zone', () => {
  /** Date.parse as in a process whose local time is UTC-5: text without a zone is 5 hours later. */
  function inUtcMinus5<T>(fn: () => T): T {
    const real = Date.parse;
    const spy = vi.spyOn(Date, 'parse').mockImplementation((s: string) => real(s) + (/\b(GMT|UTC)\b|Z$|[+-]\d{4}$/.test(s) ? 0 : 5 * 3_600_000));
    try {
      return fn();
    } finally {
      spy.mockRestore();
    }
  }

  it('the asctime form (one- or two-digit day) is GMT', () => {
    inUtcMinus5(() => {
      expect(parseRetryAfter('Sun Jun  1 12:00:30 2025', T0)).toBe(30_000);
      expect(parseRetryAfter('Sun Jun 01 12:00:30 2025', T0)).toBe(30_000);
      expect(parseRetryAfter('Wed Jun 11 12:00:30 2025', T0)).toBe(10 * 86_400_000 + 30_000);
      expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', T0)).toBe(30_000);
    });
  });

  it('text that is not exactly the asctime form is left to Date.parse (local time when it names no zone)', () => {
    inUtcMinus5(() => {
      const local = 5 * 3_600_000 + 30_000;
      expect(parseRetryAfter('X Sun Jun  1 12:00:30 2025', T0)).toBe(local);
      expect(parseRetryAfter('Sun Jun  1 12:00:30 2025 (c)', T0)).toBe(local);
    });
  });

  it('a date whose only letters are a one- or two-letter word is not an HTTP date', () => {
    expect(Date.parse('2025/06/01 12:00:30 PM GMT')).not.toBeNaN();
    expect(parseRetryAfter('2025/06/01 12:00:30 PM GMT', T0)).toBeUndefined();
  });

  it('resolvePolicy without a policy gives the frozen defaults', () => {
    expect(Object.isFrozen(resolvePolicy(undefined))).toBe(true);
    expect(Object.isFrozen(resolvePolicy({}))).toBe(false);
  });
});

describe('token: a long audience is cut in the message', () => {
  it('to 100 characters', () => {
    const aud = `https://${'a'.repeat(200)}`;
    const [w] = inspectToken(jwt(claims({ scp: 'MutualTlsOauthConfiguration.ReadWrite.All', aud })), { now: NOW });
    expect(w).toEqual({ code: 'TOKEN_WRONG_AUDIENCE', message: `the token is for '${aud.slice(0, 100)}', not https://graph.microsoft.com` });
  });
});
