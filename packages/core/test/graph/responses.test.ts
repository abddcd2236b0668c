// The response readers and GraphApiError (graph/responses.ts, spec §3.1): Graph's error JSON with
// innerError or innererror, header fallbacks, hints, and credentials scrubbed from server text.

import { describe, expect, it } from 'vitest';
import { GraphMtlsError } from '../../src/errors.ts';
import { ADMIN_ROLES, WRITE_PERMISSION, type Cloud } from '../../src/graph/clouds.ts';
import {
  GraphApiError,
  readCollection,
  readDelete,
  readEntity,
  readUpdate,
  redactSecrets,
  type GraphResponse,
  type Operation,
} from '../../src/graph/responses.ts';
import { PATH, ID, response, caught } from './fixtures.ts';
import { codeOf as code } from '@graph-mtls/test/helpers.ts';

const GLOBAL = 'https://graph.microsoft.com/beta';
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

const T0 = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));

const NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
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
