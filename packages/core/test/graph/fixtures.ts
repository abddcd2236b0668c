// What the Graph protocol tests share: the collection path, an id, a response as data, the
// query of a URL, and what a call throws.

import type { GraphResponse } from '../../src/graph/responses.ts';

export const PATH = '/directory/certificateAuthorities/mutualTlsOauthConfigurations';
export const ID = '0b2e4c6a-1111-4222-a333-444455556666';

/** A GraphResponse; a body that is not a string is sent as its JSON. */
export function response(status: number, body: unknown = '', headers: Record<string, string> = {}): GraphResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/** What `fn` throws; fails the test when it returns. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** The query string of a URL, as name → decoded value. */
export function queryOf(url: string): Record<string, string> {
  const q = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const out: Record<string, string> = {};
  for (const part of q.split('&').filter((p) => p.length > 0)) {
    const eq = part.indexOf('=');
    out[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1));
  }
  return out;
}
