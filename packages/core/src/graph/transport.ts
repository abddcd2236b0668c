// The one fetch-to-GraphResponse executor both adapters use: a bearer token checked before it
// goes into a header (RFC 6750 §2.1), a client-request-id per request, a timeout, redirects
// never followed (a redirect could carry the token elsewhere: its answer goes back to the client
// as it is, an error there), and the answer read as text with the token scrubbed out of it.
// The fetch function (`fetcher`), the timeout signal and the id come from the adapter, so this
// file needs no host global.

import { ArgumentError, GraphError } from '../errors.ts';
import type { GraphRequest } from './requests.ts';
import type { GraphResponse } from './responses.ts';

/** What the executor needs of a fetch Response. */
export interface FetchResponseLike {
  readonly status: number;
  /** 'opaqueredirect' when a browser stopped at a redirect. */
  readonly type?: string;
  readonly headers: { forEach(callback: (value: string, key: string) => void): void };
  text(): Promise<string>;
}

/** The part of fetch the executor uses. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: unknown; redirect: 'manual' },
) => Promise<FetchResponseLike>;

/** A bearer token, or an object holding one: MSAL's AuthenticationResult (`accessToken`) or an @azure/core-auth AccessToken (`token`). */
export type AccessToken = string | { readonly accessToken: string } | { readonly token: string };

/** What createFetchTransport sends with: the fetch, the token, the timeout and the request ids. */
export interface FetchTransportOptions {
  /** The runtime's fetch (or a wrapper), injected: the core names no host global. */
  readonly fetcher: FetchLike;
  /** A token for Graph; called before every request, so a credential may refresh it. */
  readonly getToken: () => Promise<AccessToken | null | undefined> | AccessToken | null | undefined;
  /** Where the token came from, for messages: "the credential", "GRAPH_TOKEN". */
  readonly tokenSource: string;
  readonly timeoutMs: number;
  /** An AbortSignal that fires after `ms` (AbortSignal.timeout or a timer). */
  readonly timeoutSignal: (ms: number) => unknown;
  /** A new client-request-id (a v4 UUID). */
  readonly requestId: () => string;
  /** How a failed fetch is described; the browser adds that CORS may be the cause. */
  readonly failureText?: string;
}

/** A send function for createGraphClient's environment. */
export function createFetchTransport(options: FetchTransportOptions): (request: GraphRequest) => Promise<GraphResponse> {
  const failureText = options.failureText ?? 'the connection failed';
  return async (request) => {
    const token = checkToken(await options.getToken(), options.tokenSource);
    const clientRequestId = options.requestId();
    const where = `Graph ${request.method} ${request.url.split('?')[0]}`;
    let response: FetchResponseLike;
    try {
      response = await options.fetcher(request.url, {
        method: request.method,
        headers: { ...request.headers, authorization: `Bearer ${token}`, 'client-request-id': clientRequestId },
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: options.timeoutSignal(options.timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      // Say what failed, never with the headers (they hold the token).
      const timedOut = (error as { name?: unknown } | undefined)?.name === 'TimeoutError';
      throw new GraphError('ERR_GRAPH_TRANSPORT', undefined, `${where}: ${timedOut ? `no answer within ${options.timeoutMs} ms` : failureText} (client-request-id ${clientRequestId})`, {
        clientRequestId,
        cause: timedOut ? undefined : errorName(error),
      });
    }
    let body: string;
    try {
      body = await response.text();
    } catch {
      throw new GraphError('ERR_GRAPH_TRANSPORT', undefined, `${where}: the answer was cut off (client-request-id ${clientRequestId})`, { clientRequestId });
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = scrub(value, token);
    });
    return { status: response.status, headers, body: scrub(body, token) };
  };
}

/**
 * The token's text, checked against RFC 6750's b64token (visible ASCII, no spaces): a line
 * break or a non-Latin-1 character is a configuration mistake to name at once, not a network
 * failure to retry. The message gives the position, never the token.
 */
export function checkToken(value: AccessToken | null | undefined, source: string): string {
  const text = typeof value === 'string' ? value : value !== null && typeof value === 'object' ? ('accessToken' in value ? value.accessToken : 'token' in value ? value.token : undefined) : undefined;
  if (typeof text !== 'string' || text === '') throw new ArgumentError('ERR_INVALID_ARGUMENT', `Graph token: expected a token from ${source}, received none`);
  const bad = /[^\x21-\x7e]/u.exec(text);
  if (bad !== null) {
    const c = bad[0].codePointAt(0)!;
    const what = c === 0x0a || c === 0x0d ? 'a line break' : c === 0x20 || c === 0x09 ? 'a space' : c > 0xff ? 'a non-Latin-1 character' : 'a character that is not visible ASCII';
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `Graph token: expected visible ASCII without spaces (RFC 6750 §2.1) from ${source}, received ${what} (U+${c.toString(16).toUpperCase().padStart(4, '0')}) at position ${bad.index + 1} of ${text.length}`);
  }
  return text;
}

/** The token taken out of server text (a server may echo the Authorization header); a token too short to be real is left, lest it cut into the body's data. */
function scrub(text: string, token: string): string {
  return token.length >= 8 && text.includes(token) ? text.split(token).join('[REDACTED]') : text;
}

/** A network error's name and code, without anything request-shaped that could carry the token. */
function errorName(error: unknown): Error {
  const name = typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : typeof error;
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return new Error(`${name}${typeof code === 'string' ? ` ${code}` : ''}`);
}
