// The Graph client on Node's fetch: core's protocol with a token, a client-request-id per
// request, an AbortSignal timeout, and real sleeps between retries. Credentials: any object
// with getToken(scopes) (as @azure/identity credentials have), a getToken function, a static
// token, or the name of an environment variable. Tokens never reach a message or a log.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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

export type AccessToken = string | { readonly token: string };

export interface TokenCredential {
  getToken(scopes: string | string[]): Promise<AccessToken | null>;
}

export interface NodeClientOptions {
  /** An @azure/identity-style credential. */
  readonly credential?: TokenCredential;
  /** A function returning a token for the given scopes. */
  readonly getToken?: (scopes: string[]) => Promise<AccessToken> | AccessToken;
  /** A static bearer token. */
  readonly token?: string;
  /** Read the token from this environment variable (default GRAPH_TOKEN when nothing else is given). */
  readonly tokenEnv?: string;
  readonly cloud?: Cloud;
  /** Graph's root without /beta, e.g. an emulator's URL. */
  readonly baseUrl?: string;
  readonly fetch?: typeof globalThis.fetch;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly preflight?: boolean;
  readonly onWarning?: (message: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function createClient(options: NodeClientOptions = {}): GraphClient {
  const scopes = [CLOUDS[options.cloud ?? 'global'].scope];
  const getToken = tokenSource(options);
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return createGraphClient(
    {
      send: (request) => send(doFetch, request, getToken, scopes, timeoutMs),
      sleep: (ms) => sleep(ms),
      now: () => new Date(),
      random: Math.random,
    },
    // The adapter's options carry core's (cloud, baseUrl, retry, preflight, onWarning) by the same names.
    options,
  );
}

function tokenSource(options: NodeClientOptions): (scopes: string[]) => Promise<string> {
  const text = (t: AccessToken | null): string => {
    const value = typeof t === 'string' ? t : t?.token;
    if (value === undefined || value === '') throw new GraphMtlsError('ERR_INVALID_ARGUMENT', 'Graph token: expected a token from the credential, received none');
    return value;
  };
  if (options.credential !== undefined) return async (s) => text(await options.credential!.getToken(s));
  if (options.getToken !== undefined) return async (s) => text(await options.getToken!(s));
  if (options.token !== undefined) return async () => text(options.token!);
  const name = options.tokenEnv ?? 'GRAPH_TOKEN';
  return async () => {
    const value = (options.env ?? process.env)[name];
    if (value === undefined || value === '') throw new GraphMtlsError('ERR_INVALID_ARGUMENT', `Graph token: expected the environment variable ${name} to hold a token, received none`);
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
  const clientRequestId = randomUUID();
  let response: Response;
  try {
    response = await doFetch(request.url, {
      method: request.method,
      headers: { ...request.headers, authorization: `Bearer ${token}`, 'client-request-id': clientRequestId },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // Say what failed, never with the headers (they hold the token).
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new GraphMtlsError('ERR_GRAPH_TRANSPORT', `Graph ${request.method} ${request.url.split('?')[0]}: ${timedOut ? `no answer within ${timeoutMs} ms` : 'the connection failed'} (client-request-id ${clientRequestId})`, { cause: timedOut ? undefined : scrub(error) });
  }
  let body: string;
  try {
    body = await response.text();
  } catch {
    throw new GraphMtlsError('ERR_GRAPH_TRANSPORT', `Graph ${request.method} ${request.url.split('?')[0]}: the answer was cut off (client-request-id ${clientRequestId})`);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return { status: response.status, headers, body };
}

/** A network error's name and code, without anything request-shaped that could carry the token. */
function scrub(error: unknown): Error {
  const cause = (error as { cause?: { code?: string } }).cause;
  return new Error(`${(error as Error).name}${cause?.code === undefined ? '' : ` ${cause.code}`}`);
}
