// Tests of the shared fetch executor (graph/transport.ts) with a recording fake fetch: the
// token is checked before it goes into a header (RFC 6750 §2.1) and a bad one is named at once,
// never sent; redirects are not followed; the exact token is scrubbed from everything the
// server says; a failed or timed-out fetch is a coded transport error without the headers.

import { describe, expect, it } from 'vitest';
import { GraphMtlsError } from '../src/errors.ts';
import { checkToken, createFetchTransport, type FetchLike, type FetchTransportOptions } from '../src/graph/transport.ts';
import type { GraphRequest } from '../src/graph/requests.ts';
import { rejectionOf as rejection } from '../../../test/helpers.ts';

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
  return createFetchTransport({ fetch, getToken: () => TOKEN, tokenSource: 'the test', timeoutMs: 1234, timeoutSignal: (ms) => ({ ms }), requestId: () => 'req-1', ...overrides });
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
