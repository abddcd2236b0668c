// Optional token pre-flight: decode (never verify, never print) a JWT access token (RFC 7519)
// and warn when Graph would refuse it: no MutualTlsOauthConfiguration permission, a personal
// Microsoft account, expired, or meant for another cloud's Graph (spec/graph-api.md §2.6, §2.7).

import { decodeBase64Url } from '../encoding/base64.ts';
import { parseJsonOrUndefined } from '../encoding/json.ts';
import { decodeUtf8 } from '../encoding/utf8.ts';
import { CLOUDS, READ_PERMISSIONS, WRITE_PERMISSION, type Cloud } from './clouds.ts';

/** What inspectToken can warn about. */
export type TokenWarningCode =
  | 'TOKEN_NOT_A_JWT'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_MISSING_PERMISSION'
  | 'TOKEN_PERSONAL_ACCOUNT'
  | 'TOKEN_WRONG_AUDIENCE';

/** One warning about a token, with a message that never holds the token. */
export interface TokenWarning {
  readonly code: TokenWarningCode;
  /** Names claims, never the token or its signature. */
  readonly message: string;
}

/** The tenant of personal Microsoft accounts (MSA). */
const MSA_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * What a JWT access token says before it is used, read without verifying it: wrong audience,
 * expired, missing permission or directory role, a personal account. Opaque tokens get one
 * warning. Never throws, and never puts the token in a message.
 */
export function inspectToken(token: string, options: { readonly cloud?: Cloud; readonly access?: 'read' | 'write'; readonly now: Date }): TokenWarning[] {
  const parts = token.split('.');
  const claims = parts.length === 3 ? decodeClaims(parts[1]!) : undefined;
  if (claims === undefined) return [{ code: 'TOKEN_NOT_A_JWT', message: 'the token is not a JWT with readable claims (opaque tokens cannot be checked before the call)' }];
  const out: TokenWarning[] = [];
  const exp = claims['exp'];
  if (typeof exp === 'number' && exp * 1000 <= options.now.getTime()) out.push({ code: 'TOKEN_EXPIRED', message: `the token expired at ${new Date(exp * 1000).toISOString()}` });
  const granted = [...words(claims['scp']), ...(Array.isArray(claims['roles']) ? claims['roles'].filter((r): r is string => typeof r === 'string') : [])];
  const needed = options.access === 'read' ? READ_PERMISSIONS : [WRITE_PERMISSION];
  if (!needed.some((p) => granted.includes(p))) {
    out.push({ code: 'TOKEN_MISSING_PERMISSION', message: `the token grants ${granted.length === 0 ? 'no scope or role' : granted.join(', ')}; ${options.access === 'read' ? 'reading' : 'writing'} needs ${needed.join(' or ')}` });
  }
  if (claims['tid'] === MSA_TENANT || claims['idp'] === 'live.com') {
    out.push({ code: 'TOKEN_PERSONAL_ACCOUNT', message: 'the token is for a personal Microsoft account, which this API does not support' });
  }
  const aud = claims['aud'];
  const graph = CLOUDS[options.cloud ?? 'global'].graph;
  const graphAppId = '00000003-0000-0000-c000-000000000000';
  if (typeof aud === 'string' && aud !== graphAppId && aud.replace(/\/+$/, '') !== graph) {
    out.push({ code: 'TOKEN_WRONG_AUDIENCE', message: `the token is for '${aud.slice(0, 100)}', not ${graph}` });
  }
  return out;
}

function decodeClaims(segment: string): Record<string, unknown> | undefined {
  let text: string | undefined;
  try {
    text = decodeUtf8(decodeBase64Url(segment, 'JWT claims'));
    // Stryker disable next-line BlockStatement: an empty catch block leaves text undefined, which gives undefined all the same
  } catch {
    return undefined;
  }
  const claims = parseJsonOrUndefined(text);
  return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
}

function words(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter((w) => w.length > 0) : [];
}
