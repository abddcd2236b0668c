// The Graph client on the browser's fetch: core's protocol with a token from a caller-supplied
// getter (MSAL's acquireTokenSilent result works as is), a client-request-id per request, an
// AbortSignal timeout and setTimeout sleeps between retries. Graph answers CORS, so the calls
// go straight from the page. Tokens never reach a message or a log.

import {
  CLOUDS,
  GraphMtlsError,
  createGraphClient,
  type Cloud,
  type GraphClient,
  type GraphRequest,
  type GraphResponse,
  type RetryPolicy,
} from '@graph-mtls/core';

/** A bearer token, or an object holding one: MSAL's AuthenticationResult (`accessToken`) or an @azure/core-auth AccessToken (`token`). */
export type BrowserAccessToken = string | { readonly accessToken: string } | { readonly token: string };

/** Returns a token for the scopes, e.g. `(scopes) => msal.acquireTokenSilent({ scopes, account })`. */
export type TokenGetter = (scopes: string[]) => Promise<BrowserAccessToken | null | undefined> | BrowserAccessToken | null | undefined;

export interface BrowserClientOptions {
  readonly getToken: TokenGetter;
  readonly cloud?: Cloud;
  /** Graph's root without /beta, e.g. an emulator's URL. */
  readonly baseUrl?: string;
  /** Default: the page's (or worker's) global fetch, looked up at each call. */
  readonly fetch?: typeof globalThis.fetch;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly preflight?: boolean;
  readonly onWarning?: (message: string) => void;
}

export function createClient(options: BrowserClientOptions): GraphClient {
  if (typeof options?.getToken !== 'function') {
    throw new GraphMtlsError('ERR_INVALID_ARGUMENT', `createClient getToken: expected a function returning a token, received ${options === undefined || options === null ? String(options) : typeof options.getToken}`);
  }
  const scopes = [CLOUDS[options.cloud ?? 'global'].scope];
  const getToken = tokenSource(options.getToken);
  // Called unbound: a browser's fetch throws "Illegal invocation" when called on another object.
  const given = options.fetch;
  const doFetch: typeof globalThis.fetch = given === undefined ? (input, init) => globalThis.fetch(input, init) : (input, init) => given(input, init);
  const timeoutMs = options.timeoutMs ?? 30_000;
  return createGraphClient(
    {
      send: (request) => send(doFetch, request, getToken, scopes, timeoutMs),
      sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      now: () => new Date(),
      random: Math.random,
    },
    // The adapter's options carry core's (cloud, baseUrl, retry, preflight, onWarning) by the same names.
    options,
  );
}

function tokenSource(getter: TokenGetter): (scopes: string[]) => Promise<string> {
  return async (scopes) => {
    const t = await getter([...scopes]);
    const value = typeof t === 'string' ? t : t !== null && typeof t === 'object' ? ('accessToken' in t ? t.accessToken : 'token' in t ? t.token : undefined) : undefined;
    if (typeof value !== 'string' || value === '') throw new GraphMtlsError('ERR_INVALID_ARGUMENT', 'Graph token: expected a token from getToken, received none');
    return value;
  };
}

async function send(
  doFetch: typeof globalThis.fetch,
  request: GraphRequest,
  getToken: (scopes: string[]) => Promise<string>,
  scopes: string[],
  timeoutMs: number,
): Promise<GraphResponse> {
  const token = await getToken(scopes);
  const clientRequestId = uuid();
  const where = `Graph ${request.method} ${request.url.split('?')[0]}`;
  let response: Response;
  try {
    response = await doFetch(request.url, {
      method: request.method,
      headers: { ...request.headers, authorization: `Bearer ${token}`, 'client-request-id': clientRequestId },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: timeoutSignal(timeoutMs),
    });
  } catch (error) {
    // Say what failed, never with the headers (they hold the token). A browser tells a CORS
    // refusal from a network failure apart to no one, so the message names both.
    const timedOut = (error as Error | undefined)?.name === 'TimeoutError';
    throw new GraphMtlsError(
      'ERR_GRAPH_TRANSPORT',
      `${where}: ${timedOut ? `no answer within ${timeoutMs} ms` : 'the request failed (network error, or the browser refused the answer under CORS)'} (client-request-id ${clientRequestId})`,
      { cause: timedOut ? undefined : scrub(error) },
    );
  }
  let body: string;
  try {
    body = await response.text();
  } catch {
    throw new GraphMtlsError('ERR_GRAPH_TRANSPORT', `${where}: the answer was cut off (client-request-id ${clientRequestId})`);
  }
  const headers: Record<string, string> = {};
  // Only CORS-safelisted and exposed headers are visible here (Graph exposes retry-after, request-id).
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return { status: response.status, headers, body };
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

/** A network error's name only: nothing request-shaped that could carry the token. */
function scrub(error: unknown): Error {
  return new Error(error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error) ? String((error as { name: unknown }).name) : typeof error);
}
