// Tests of the shared fetch executor (graph/transport.ts) with a recording fake fetch: the
// token is checked before it goes into a header (RFC 6750 §2.1) and a bad one is named at once,
// never sent; redirects are not followed; the exact token is scrubbed from everything the
// server says; a failed or timed-out fetch is a coded transport error without the headers.

import { describe, expect, it } from 'vitest';
import { GraphMtlsError } from '../../src/errors.ts';
import { checkToken, createFetchTransport, type FetchLike, type FetchTransportOptions } from '../../src/graph/transport.ts';
import type { GraphRequest } from '../../src/graph/requests.ts';
import { rejectionOf as rejection } from '@graph-mtls/test/helpers.ts';

const TOKEN = 'eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.Secret-Signature_42';
const REQUEST: GraphRequest = { method: 'GET', url: 'https://graph.microsoft.com/beta/directory/x?$top=1', headers: { accept: 'application/json' } };

interface Call {
  url: string;
  init: Parameters<FetchLike>[1];
}

function fakeFetch(answer: (call: Call) => Promise<Awaited<ReturnType<FetchLike>>> | Awaited<ReturnType<FetchLike>>): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return answer({ url, init });
    },
  };
}

function response(status: number, body: string, headers: Record<string, string> = {}, type?: string): Awaited<ReturnType<FetchLike>> {
  return {
    status,
    ...(type === undefined ? {} : { type }),
    headers: { forEach: (cb) => Object.entries(headers).forEach(([k, v]) => cb(v, k)) },
    text: async () => body,
  };
}

function transport(fetch: FetchLike, overrides: Partial<FetchTransportOptions> = {}): ReturnType<typeof createFetchTransport> {
  return createFetchTransport({ fetcher: fetch, getToken: () => TOKEN, tokenSource: 'the test', timeoutMs: 1234, timeoutSignal: (ms) => ({ ms }), requestId: () => 'req-1', ...overrides });
}

describe('createFetchTransport', () => {
  it('sends the bearer token, a client-request-id, the timeout signal, and never follows redirects', async () => {
    const f = fakeFetch(() => response(200, '{"value":[]}', { 'Request-Id': 'r1' }));
    const answer = await transport(f.fetch)({ ...REQUEST, method: 'POST', body: '{}' });
    expect(answer).toEqual({ status: 200, headers: { 'request-id': 'r1' }, body: '{"value":[]}' });
    expect(f.calls).toHaveLength(1);
    const init = f.calls[0]!.init;
    expect(init.headers).toEqual({ accept: 'application/json', authorization: `Bearer ${TOKEN}`, 'client-request-id': 'req-1' });
    expect(init.redirect).toBe('manual');
    expect(init.signal).toEqual({ ms: 1234 });
    expect(init.body).toBe('{}');
    expect(init.method).toBe('POST');
  });

  it('takes the token from a string, { accessToken } (MSAL) or { token } (@azure/core-auth)', async () => {
    for (const given of [TOKEN, { accessToken: TOKEN }, { token: TOKEN }]) {
      const f = fakeFetch(() => response(204, ''));
      await transport(f.fetch, { getToken: async () => given })(REQUEST);
      expect(f.calls[0]!.init.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    }
  });

  it('scrubs the exact token from the body and every header the server echoes it in', async () => {
    const f = fakeFetch(() => response(400, `{"error":{"code":"BadRequest","message":"bad header ${TOKEN}"}}`, { 'x-echo': `Bearer ${TOKEN}` }));
    const answer = await transport(f.fetch)(REQUEST);
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
    expect(answer.body).toContain('bad header [REDACTED]');
    expect(answer.headers['x-echo']).toBe('Bearer [REDACTED]');
  });

  it.each([
    ['a trailing line break', `${TOKEN}\n`, /a line break \(U\+000A\) at position 55 of 55/],
    ['a carriage return', `abc\rdef`, /a line break \(U\+000D\) at position 4 of 7/],
    ['a space', 'abc def', /a space \(U\+0020\) at position 4/],
    ['a non-Latin-1 character', 'abc\u2028def', /a non-Latin-1 character \(U\+2028\)/],
    ['a Latin-1 letter', 'abcédef', /not visible ASCII \(U\+00E9\)/],
  ])('a token with %s is refused with ERR_INVALID_ARGUMENT before anything is sent, and not echoed', async (_what, token, reason) => {
    const f = fakeFetch(() => response(200, ''));
    const e = await rejection(transport(f.fetch, { getToken: () => token })(REQUEST));
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
    expect(e.message).toMatch(reason);
    expect(e.message).toContain('from the test');
    expect(e.message).not.toContain('abc');
    expect(e.message).not.toContain(TOKEN);
    expect(f.calls).toHaveLength(0);
  });

  it.each([undefined, null, '', { other: 'x' }])('no token (%j) is ERR_INVALID_ARGUMENT naming the source', async (given) => {
    const f = fakeFetch(() => response(200, ''));
    const e = await rejection(transport(f.fetch, { getToken: () => given as never })(REQUEST));
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
    expect(e.message).toBe('Graph token: expected a token from the test, received none');
    expect(f.calls).toHaveLength(0);
  });

  it('a redirect is handed back as it is (the client refuses it), never followed', async () => {
    const f = fakeFetch(() => response(307, '', { location: 'https://evil.example/steal' }));
    const answer = await transport(f.fetch)(REQUEST);
    expect(answer.status).toBe(307);
    expect(f.calls).toHaveLength(1);
  });

  it('a fetch that throws is ERR_GRAPH_TRANSPORT naming the method, the URL without its query and the request id, with the error name only as cause', async () => {
    const f = fakeFetch(() => {
      throw Object.assign(new TypeError(`fetch failed with header Bearer ${TOKEN}`), { cause: { code: 'ECONNRESET' } });
    });
    const e = await rejection(transport(f.fetch, { failureText: 'the request failed (or CORS)' })(REQUEST));
    expect(e.code).toBe('ERR_GRAPH_TRANSPORT');
    expect(e.message).toBe('Graph GET https://graph.microsoft.com/beta/directory/x: the request failed (or CORS) (client-request-id req-1)');
    expect((e.cause as Error).message).toBe('TypeError ECONNRESET');
    expect(JSON.stringify(e, Object.getOwnPropertyNames(e))).not.toContain(TOKEN);
  });

  it('a timeout is ERR_GRAPH_TRANSPORT "no answer within N ms", without a cause', async () => {
    const f = fakeFetch(() => {
      throw Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    });
    const e = await rejection(transport(f.fetch)(REQUEST));
    expect(e.code).toBe('ERR_GRAPH_TRANSPORT');
    expect(e.message).toBe('Graph GET https://graph.microsoft.com/beta/directory/x: no answer within 1234 ms (client-request-id req-1)');
    expect(e.cause).toBeUndefined();
  });

  it('a body cut off while reading is ERR_GRAPH_TRANSPORT', async () => {
    const f = fakeFetch(() => ({ ...response(200, ''), text: async () => Promise.reject(new Error('terminated')) }));
    const e = await rejection(transport(f.fetch)(REQUEST));
    expect(e.code).toBe('ERR_GRAPH_TRANSPORT');
    expect(e.message).toContain('the answer was cut off (client-request-id req-1)');
  });

  it('the token is read before every request, so a credential may refresh it', async () => {
    let n = 0;
    const f = fakeFetch(() => response(204, ''));
    const send = transport(f.fetch, { getToken: () => `token-number-${++n}` });
    await send(REQUEST);
    await send(REQUEST);
    expect(f.calls.map((c) => c.init.headers['authorization'])).toEqual(['Bearer token-number-1', 'Bearer token-number-2']);
  });
});

describe('checkToken', () => {
  it('returns the text of a good token', () => {
    expect(checkToken('abc.DEF-_~+/=', 'x')).toBe('abc.DEF-_~+/=');
  });
  it('a GraphMtlsError for anything else', () => {
    expect(() => checkToken('a b', 'x')).toThrow(GraphMtlsError);
  });
});

describe('createFetchTransport: details pinned', () => {
  it('a request without a body sends no body key; the method and the URL (query included) go as given', async () => {
    const f = fakeFetch(() => response(200, '{}'));
    await transport(f.fetch)(REQUEST);
    expect(f.calls[0]!.url).toBe(REQUEST.url);
    expect(f.calls[0]!.init.method).toBe('GET');
    expect('body' in f.calls[0]!.init).toBe(false);
    expect(Object.keys(f.calls[0]!.init).sort()).toEqual(['headers', 'method', 'redirect', 'signal']);
  });

  it('the default failure text is "the connection failed"', async () => {
    const f = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const e = await rejection(transport(f.fetch)(REQUEST));
    expect(e.message).toBe('Graph GET https://graph.microsoft.com/beta/directory/x: the connection failed (client-request-id req-1)');
    expect((e.cause as Error).message).toBe('TypeError');
  });

  it.each([
    ['a thrown string', 'boom', 'string'],
    ['a thrown undefined', undefined, 'undefined'],
    ['a thrown null', null, 'object'],
    ['an object without a string name', { name: 42 }, 'object'],
    ['an error whose cause code is not a string', Object.assign(new RangeError('x'), { cause: { code: 7 } }), 'RangeError'],
    ['an error whose cause has no code', Object.assign(new Error('x'), { cause: 'ECONNREFUSED' }), 'Error'],
    ['an object with a name and a cause code', { name: 'AbortError', cause: { code: 'UND_ERR_SOCKET' } }, 'AbortError UND_ERR_SOCKET'],
  ])('the cause of %s is named by its name (or type) and code only', async (_what, thrown, cause) => {
    const f = fakeFetch(() => {
      throw thrown;
    });
    const e = await rejection(transport(f.fetch)(REQUEST));
    expect(e.code).toBe('ERR_GRAPH_TRANSPORT');
    expect(e.message).toContain(': the connection failed (client-request-id req-1)');
    expect(e.cause).toBeInstanceOf(Error);
    expect((e.cause as Error).message).toBe(cause);
  });

  it('a TimeoutError-named object that is not an Error still reads as a timeout', async () => {
    const f = fakeFetch(() => {
      throw { name: 'TimeoutError' };
    });
    const e = await rejection(transport(f.fetch, { timeoutMs: 50 })(REQUEST));
    expect(e.message).toBe('Graph GET https://graph.microsoft.com/beta/directory/x: no answer within 50 ms (client-request-id req-1)');
    expect(e.cause).toBeUndefined();
  });

  it('the cut-off message names the method, the URL without its query and the request id', async () => {
    const f = fakeFetch(() => ({ ...response(200, ''), text: async () => Promise.reject(new Error('terminated')) }));
    const e = await rejection(transport(f.fetch, { requestId: () => 'rid-7' })({ ...REQUEST, method: 'DELETE' }));
    expect(e.message).toBe('Graph DELETE https://graph.microsoft.com/beta/directory/x: the answer was cut off (client-request-id rid-7)');
    expect(e.cause).toBeUndefined();
  });

  it('header names are lower-cased; values and the status are kept', async () => {
    const f = fakeFetch(() => response(429, 'slow down', { 'Retry-After': '7', 'X-MS-AG': 'Mixed' }));
    expect(await transport(f.fetch)(REQUEST)).toEqual({ status: 429, headers: { 'retry-after': '7', 'x-ms-ag': 'Mixed' }, body: 'slow down' });
  });

  it('a token of 8 characters or more is scrubbed everywhere it appears; a shorter one is left alone', async () => {
    const eight = 'abcdefgh';
    const f = fakeFetch(() => response(200, `${eight}-${eight}`, { echo: `x${eight}y` }));
    expect(await transport(f.fetch, { getToken: () => eight })(REQUEST)).toEqual({ status: 200, headers: { echo: 'x[REDACTED]y' }, body: '[REDACTED]-[REDACTED]' });
    const seven = 'abcdefg';
    const g = fakeFetch(() => response(200, `${seven}-${seven}`, { echo: seven }));
    expect(await transport(g.fetch, { getToken: () => seven })(REQUEST)).toEqual({ status: 200, headers: { echo: seven }, body: `${seven}-${seven}` });
  });

  it('a body that does not hold the token is returned as it is', async () => {
    const f = fakeFetch(() => response(200, '{"value":[]}'));
    expect((await transport(f.fetch)(REQUEST)).body).toBe('{"value":[]}');
  });

  it('the same client-request-id is sent and named in the error of one request', async () => {
    let n = 0;
    const f = fakeFetch(() => {
      throw new TypeError('x');
    });
    const e = await rejection(transport(f.fetch, { requestId: () => `id-${++n}` })(REQUEST));
    expect(f.calls[0]!.init.headers['client-request-id']).toBe('id-1');
    expect(e.message).toContain('(client-request-id id-1)');
    expect(n).toBe(1);
  });
});

describe('checkToken: what is named, exactly', () => {
  it.each([
    ['a tab', 'ab\tc', 'a space (U+0009) at position 3 of 4'],
    ['a space first', ' abc', 'a space (U+0020) at position 1 of 4'],
    ['a line feed', 'a\nb', 'a line break (U+000A) at position 2 of 3'],
    ['a carriage return', 'a\rb', 'a line break (U+000D) at position 2 of 3'],
    ['DEL', 'a\u007f', 'a character that is not visible ASCII (U+007F) at position 2 of 2'],
    ['NUL', '\u0000', 'a character that is not visible ASCII (U+0000) at position 1 of 1'],
    ['U+00FF', 'a\u00ff', 'a character that is not visible ASCII (U+00FF) at position 2 of 2'],
    ['U+0100', 'a\u0100', 'a non-Latin-1 character (U+0100) at position 2 of 2'],
  ])('%s', (_what, token, tail) => {
    let error: unknown;
    try {
      checkToken(token, 'GRAPH_TOKEN');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphMtlsError);
    expect((error as GraphMtlsError).code).toBe('ERR_INVALID_ARGUMENT');
    expect((error as GraphMtlsError).message).toBe(`Graph token: expected visible ASCII without spaces (RFC 6750 §2.1) from GRAPH_TOKEN, received ${tail}`);
  });

  it('reads accessToken before token; a non-string or empty field is no token', () => {
    expect(checkToken({ accessToken: 'from-msal', token: 'other' } as never, 's')).toBe('from-msal');
    expect(checkToken({ token: 'from-core-auth' }, 's')).toBe('from-core-auth');
    expect(checkToken('!~', 's')).toBe('!~');
    for (const none of [{ accessToken: 5 }, { token: null }, { accessToken: '' }, {}, 7, true]) {
      expect(() => checkToken(none as never, 'the credential')).toThrow('Graph token: expected a token from the credential, received none');
    }
  });
});
