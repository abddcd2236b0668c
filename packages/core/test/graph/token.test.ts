// The token pre-flight (graph/token.ts, spec §2.6, §2.7): JWT claims per RFC 7519, never
// verified, never echoed.

import { describe, expect, it } from 'vitest';
import { CLOUDS, READ_PERMISSIONS, WRITE_PERMISSION, type Cloud } from '../../src/graph/clouds.ts';

import { inspectToken, type TokenWarningCode } from '../../src/graph/token.ts';
import { codeOf as code } from '@graph-mtls/test/helpers.ts';

const T0 = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));

const NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
const NOW_S = NOW.getTime() / 1000;
const SIGNATURE = 'c2lnbmF0dXJlLXNlZ21lbnQtdGhhdC1tdXN0LW5ldmVyLWxlYWs';
const MSA_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function jwt(claims: Record<string, unknown>, signature = SIGNATURE): string {
  return `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${b64url(claims)}.${signature}`;
}

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { aud: 'https://graph.microsoft.com', iss: 'https://sts.windows.net/tenant/', tid: '72f988bf-86f1-41af-91ab-2d7cd011db47', exp: NOW_S + 3600, ...extra };
}

function codes(token: string, options: { cloud?: Cloud; access?: 'read' | 'write' } = {}): TokenWarningCode[] {
  return inspectToken(token, { ...options, now: NOW }).map((w) => w.code).sort();
}

describe('token', () => {
  it('accepts a delegated token with the write scope, for read and write', () => {
    const t = jwt(claims({ scp: 'User.Read MutualTlsOauthConfiguration.ReadWrite.All' }));
    expect(codes(t, { access: 'write' })).toEqual([]);
    expect(codes(t, { access: 'read' })).toEqual([]);
    expect(codes(t)).toEqual([]);
  });

  it('accepts an application token with the permission in roles', () => {
    expect(codes(jwt(claims({ roles: ['MutualTlsOauthConfiguration.ReadWrite.All'] })), { access: 'write' })).toEqual([]);
    expect(codes(jwt(claims({ roles: ['MutualTlsOauthConfiguration.Read.All'] })), { access: 'read' })).toEqual([]);
  });

  it('accepts each read permission for reading', () => {
    for (const p of READ_PERMISSIONS) expect(codes(jwt(claims({ scp: p })), { access: 'read' })).toEqual([]);
  });

  it('warns when reading without any read permission', () => {
    for (const c of [claims(), claims({ scp: 'User.Read Directory.AccessAsUser.All' }), claims({ roles: ['Application.Read.All'] }), claims({ scp: 'MutualTlsOauthConfiguration.Read.AllX' })]) {
      expect(codes(jwt(c), { access: 'read' })).toEqual(['TOKEN_MISSING_PERMISSION']);
    }
  });

  it('warns when writing with only a read permission (default access is write)', () => {
    const t = jwt(claims({ scp: 'MutualTlsOauthConfiguration.Read.All Directory.Read.All' }));
    expect(codes(t, { access: 'write' })).toEqual(['TOKEN_MISSING_PERMISSION']);
    expect(codes(t)).toEqual(['TOKEN_MISSING_PERMISSION']);
    expect(codes(jwt(claims({ roles: ['MutualTlsOauthConfiguration.Read.All'] })), { access: 'write' })).toEqual(['TOKEN_MISSING_PERMISSION']);
    expect(codes(jwt(claims({ roles: 'MutualTlsOauthConfiguration.ReadWrite.All' })), { access: 'write' })).toEqual(['TOKEN_MISSING_PERMISSION']);
  });

  it('warns when the token has expired', () => {
    const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };
    expect(codes(jwt(claims({ ...scp, exp: NOW_S - 60 })))).toEqual(['TOKEN_EXPIRED']);
    expect(codes(jwt(claims({ ...scp, exp: NOW_S })))).toEqual(['TOKEN_EXPIRED']);
    expect(codes(jwt(claims({ ...scp, exp: NOW_S + 1 })))).toEqual([]);
  });

  it('warns for a personal Microsoft account (MSA tenant)', () => {
    const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };
    expect(codes(jwt(claims({ ...scp, tid: MSA_TENANT })))).toEqual(['TOKEN_PERSONAL_ACCOUNT']);
    expect(codes(jwt(claims({ ...scp, idp: 'live.com' })))).toEqual(['TOKEN_PERSONAL_ACCOUNT']);
  });

  it("warns for a token meant for another cloud's Graph", () => {
    const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };
    const usGov = jwt(claims({ ...scp, aud: 'https://graph.microsoft.us' }));
    expect(codes(usGov)).toEqual(['TOKEN_WRONG_AUDIENCE']);
    expect(codes(usGov, { cloud: 'global' })).toEqual(['TOKEN_WRONG_AUDIENCE']);
    expect(codes(usGov, { cloud: 'usGov' })).toEqual([]);
    expect(codes(usGov, { cloud: 'usGovDoD' })).toEqual(['TOKEN_WRONG_AUDIENCE']);
    expect(codes(jwt(claims(scp)), { cloud: 'china' })).toEqual(['TOKEN_WRONG_AUDIENCE']);
    expect(codes(jwt(claims({ ...scp, aud: 'https://management.azure.com' })))).toEqual(['TOKEN_WRONG_AUDIENCE']);
  });

  it("accepts Graph's app id and a trailing slash as the audience", () => {
    const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };
    expect(codes(jwt(claims({ ...scp, aud: '00000003-0000-0000-c000-000000000000' })))).toEqual([]);
    expect(codes(jwt(claims({ ...scp, aud: 'https://graph.microsoft.com/' })))).toEqual([]);
    for (const cloud of Object.keys(CLOUDS) as Cloud[]) {
      expect(codes(jwt(claims({ ...scp, aud: CLOUDS[cloud].graph })), { cloud })).toEqual([]);
    }
  });

  it.each([
    ['an opaque token', 'EwBwA8l6BAAUO9chh8cJscQLmU+LSWpbnr0vmwwAAQ'],
    ['two segments', 'eyJhbGciOiJub25lIn0.eyJzY3AiOiJ4In0'],
    ['a JWE (five segments)', 'a.b.c.d.e'],
    ['claims that are not base64url', `${b64url({ alg: 'RS256' })}.%%%%.${SIGNATURE}`],
    ['padded claims', `${b64url({ alg: 'RS256' })}.${Buffer.from('{"a":1}').toString('base64')}.${SIGNATURE}`],
    ['claims that are not JSON', `${b64url({ alg: 'RS256' })}.${Buffer.from('not json').toString('base64url')}.${SIGNATURE}`],
    ['claims that are a JSON array', `${b64url({ alg: 'RS256' })}.${b64url(['scp'])}.${SIGNATURE}`],
    ['empty', ''],
  ])('reports %s as TOKEN_NOT_A_JWT', (_name, token) => {
    const warnings = inspectToken(token, { now: NOW });
    expect(warnings.map((w) => w.code)).toEqual(['TOKEN_NOT_A_JWT']);
    if (token.length > 0) expect(warnings[0]!.message).not.toContain(token);
  });

  it('never puts the token, its claims segment or its signature in a message', () => {
    const t = jwt(claims({ tid: MSA_TENANT, exp: NOW_S - 10, aud: 'https://graph.microsoft.us', scp: 'User.Read' }));
    const [header, claimSegment, signature] = t.split('.');
    const warnings = inspectToken(t, { now: NOW, access: 'write' });
    expect(warnings.map((w) => w.code).sort()).toEqual(['TOKEN_EXPIRED', 'TOKEN_MISSING_PERMISSION', 'TOKEN_PERSONAL_ACCOUNT', 'TOKEN_WRONG_AUDIENCE']);
    for (const w of warnings) {
      expect(w.message.length).toBeGreaterThan(0);
      expect(w.message).not.toContain(t);
      expect(w.message).not.toContain(signature!);
      expect(w.message).not.toContain(claimSegment!);
      expect(w.message).not.toContain(header!);
      expect(w.message).not.toContain(SIGNATURE.slice(0, 16));
    }
  });

  it('does not verify the signature (any signature segment is read the same)', () => {
    const c = claims({ scp: 'MutualTlsOauthConfiguration.ReadWrite.All' });
    expect(codes(jwt(c, ''))).toEqual([]);
    expect(codes(jwt(c, 'not-a-real-signature'))).toEqual([]);
  });
});

describe('token: details', () => {
  const scp = { scp: 'MutualTlsOauthConfiguration.ReadWrite.All' };

  it('an audience with several trailing slashes is still Graph; a non-string audience is not judged', () => {
    expect(codes(jwt(claims({ ...scp, aud: 'https://graph.microsoft.com//' })))).toEqual([]);
    expect(codes(jwt(claims({ ...scp, aud: ['https://graph.microsoft.us'] })))).toEqual([]);
    expect(codes(jwt(claims({ ...scp, aud: 5 })))).toEqual([]);
  });

  it('claims that are not UTF-8, or JSON null, are TOKEN_NOT_A_JWT', () => {
    const notUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url');
    expect(codes(`${b64url({ alg: 'RS256' })}.${notUtf8}.${SIGNATURE}`)).toEqual(['TOKEN_NOT_A_JWT']);
    expect(codes(`${b64url({ alg: 'RS256' })}.${b64url(null)}.${SIGNATURE}`)).toEqual(['TOKEN_NOT_A_JWT']);
    expect(codes(`${b64url({ alg: 'RS256' })}.${b64url(5)}.${SIGNATURE}`)).toEqual(['TOKEN_NOT_A_JWT']);
  });

  it('scopes split on spaces, roles only as strings; the message lists what was granted', () => {
    const t = jwt(claims({ scp: '  User.Read   Directory.Read.All ', roles: ['Application.Read.All', 5, null] }));
    const [w] = inspectToken(t, { now: NOW, access: 'write' });
    expect(w).toEqual({ code: 'TOKEN_MISSING_PERMISSION', message: `the token grants User.Read, Directory.Read.All, Application.Read.All; writing needs ${WRITE_PERMISSION}` });
    const [r] = inspectToken(jwt(claims()), { now: NOW, access: 'read' });
    expect(r).toEqual({ code: 'TOKEN_MISSING_PERMISSION', message: `the token grants no scope or role; reading needs ${READ_PERMISSIONS.join(' or ')}` });
    expect(codes(jwt(claims({ scp: 5 })))).toEqual(['TOKEN_MISSING_PERMISSION']);
  });

  it('the expiry, audience and account messages', () => {
    const [e] = inspectToken(jwt(claims({ ...scp, exp: NOW_S - 60 })), { now: NOW });
    expect(e).toEqual({ code: 'TOKEN_EXPIRED', message: 'the token expired at 2025-06-01T11:59:00.000Z' });
    const [a] = inspectToken(jwt(claims({ ...scp, aud: 'https://graph.microsoft.us' })), { now: NOW });
    expect(a).toEqual({ code: 'TOKEN_WRONG_AUDIENCE', message: "the token is for 'https://graph.microsoft.us', not https://graph.microsoft.com" });
    expect(codes(jwt(claims({ ...scp, exp: String(NOW_S - 60) })))).toEqual([]);
    expect(codes(jwt(claims({ ...scp, idp: 'https://sts.windows.net/x/' })))).toEqual([]);
  });
});

describe('token: a long audience is cut in the message', () => {
  it('to 100 characters', () => {
    const aud = `https://${'a'.repeat(200)}`;
    const [w] = inspectToken(jwt(claims({ scp: 'MutualTlsOauthConfiguration.ReadWrite.All', aud })), { now: NOW });
    expect(w).toEqual({ code: 'TOKEN_WRONG_AUDIENCE', message: `the token is for '${aud.slice(0, 100)}', not https://graph.microsoft.com` });
  });
});
