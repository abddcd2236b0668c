// The Graph client on the browser's fetch: core's client and fetch executor with a token from a caller-supplied
// getter (MSAL's acquireTokenSilent result works as is), a client-request-id per request, an
// AbortSignal timeout and setTimeout sleeps between retries. Graph answers CORS, so the calls
// go straight from the page. Tokens never reach a message or a log.

import { ArgumentError } from '@graph-mtls/core';
import { CLOUDS, createFetchTransport, createGraphClient, type FetchClientOptions, type FetchLike, type GraphClient } from '@graph-mtls/core/graph';

/** A bearer token, or an object holding one: MSAL's AuthenticationResult (`accessToken`) or an @azure/core-auth AccessToken (`token`). */
export type BrowserAccessToken = string | { readonly accessToken: string } | { readonly token: string };

/** Returns a token for the scopes, e.g. `(scopes) => msal.acquireTokenSilent({ scopes, account })`. */
export type TokenGetter = (scopes: string[]) => Promise<BrowserAccessToken | null | undefined> | BrowserAccessToken | null | undefined;

/** The core's client options (baseUrl: https, or http to a loopback host only; fetch: the page's or worker's, looked up at each call), and where the token comes from. */
export interface BrowserClientOptions extends FetchClientOptions {
  readonly getToken: TokenGetter;
  readonly fetch?: typeof globalThis.fetch;
}

export function createClient(options: BrowserClientOptions): GraphClient {
  if (typeof options?.getToken !== 'function') {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `createClient getToken: expected a function returning a token, received ${options === undefined || options === null ? String(options) : typeof options.getToken}`);
  }
  const scopes = [CLOUDS[options.cloud ?? 'global'].scope];
  // Called unbound: a browser's fetch throws "Illegal invocation" when called on another object.
  const given = options.fetch;
  const doFetch = (given === undefined ? (input, init) => globalThis.fetch(input, init) : (input, init) => given(input, init)) as typeof globalThis.fetch;
  const send = createFetchTransport({
    fetcher: doFetch as unknown as FetchLike,
    getToken: () => options.getToken([...scopes]),
    tokenSource: 'getToken',
    timeoutMs: options.timeoutMs ?? 30_000,
    timeoutSignal,
    requestId: uuid,
    // A browser tells a CORS refusal from a network failure apart to no one, so the message names both.
    failureText: 'the request failed (network error, or the browser refused the answer under CORS)',
  });
  // The adapter's options carry core's (cloud, baseUrl, retry, preflight, onWarning) by the same names.
  return createGraphClient({ send, sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)), now: () => new Date(), random: Math.random }, options);
}

/** AbortSignal.timeout where the browser has it (Chromium 103+, Safari 16+), else a timer. */
function timeoutSignal(ms: number): AbortSignal {
  if (typeof AbortSignal.timeout === 'function') return AbortSignal.timeout(ms);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  return controller.signal;
}

/** A v4 UUID (RFC 9562 §5.4); crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
function uuid(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
