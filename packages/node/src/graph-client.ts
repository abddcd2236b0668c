// The Graph client on Node's fetch: core's client and fetch executor (graph/transport.ts) with
// a token source, a client-request-id per request, an AbortSignal timeout and real sleeps
// between retries. Credentials: any object with getToken(scopes) (as @azure/identity
// credentials have), a getToken function, a static token, or the name of an environment
// variable. Tokens never reach a message or a log.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ArgumentError } from '@graph-mtls/core';
import { CLOUDS, createFetchTransport, createGraphClient, type FetchClientOptions, type FetchLike, type GraphClient } from '@graph-mtls/core/graph';

export type AccessToken = string | { readonly token: string };

export interface TokenCredential {
  getToken(scopes: string | string[]): Promise<AccessToken | null>;
}

/** The core's client options (baseUrl: https, or http to a loopback host only), and where the token comes from. */
export interface NodeClientOptions extends FetchClientOptions {
  /** An @azure/identity-style credential. */
  readonly credential?: TokenCredential;
  /** A function returning a token for the given scopes. */
  readonly getToken?: (scopes: string[]) => Promise<AccessToken> | AccessToken;
  /** A static bearer token. */
  readonly token?: string;
  /** Read the token from this environment variable (default GRAPH_TOKEN when nothing else is given). */
  readonly tokenEnv?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: the global fetch. */
  readonly fetch?: typeof globalThis.fetch;
}

export function createClient(options: NodeClientOptions = {}): GraphClient {
  const scopes = [CLOUDS[options.cloud ?? 'global'].scope];
  const send = createFetchTransport({
    fetcher: (options.fetch ?? globalThis.fetch) as unknown as FetchLike,
    ...tokenSource(options, scopes),
    timeoutMs: options.timeoutMs ?? 30_000,
    timeoutSignal: (ms) => AbortSignal.timeout(ms),
    requestId: randomUUID,
  });
  // The adapter's options carry core's (cloud, baseUrl, retry, preflight, onWarning) by the same names.
  return createGraphClient({ send, sleep: (ms) => sleep(ms), now: () => new Date(), random: Math.random }, options);
}

function tokenSource(options: NodeClientOptions, scopes: string[]): { getToken: () => Promise<AccessToken | null | undefined>; tokenSource: string } {
  if (options.credential !== undefined) return { getToken: () => options.credential!.getToken(scopes), tokenSource: 'the credential' };
  if (options.getToken !== undefined) return { getToken: async () => options.getToken!([...scopes]), tokenSource: 'getToken' };
  if (options.token !== undefined) return { getToken: async () => options.token, tokenSource: 'the token option' };
  const name = options.tokenEnv ?? 'GRAPH_TOKEN';
  return {
    getToken: async () => {
      const value = (options.env ?? process.env)[name];
      if (value === undefined || value === '') throw new ArgumentError('ERR_INVALID_ARGUMENT', `Graph token: expected the environment variable ${name} to hold a token, received none`);
      return value;
    },
    tokenSource: `the environment variable ${name}`,
  };
}
