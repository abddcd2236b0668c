// The library's predictions against the emulator's verdicts, over real HTTP: for every payload
// case where issue 14 corrected a prediction (base64 that .NET reads leniently, @odata.type
// without '#', null read-only properties, tlsClientAuthParameter in a PATCH, an update that
// removes every CA, key-rollover certificates, a CA without an SKI), checkPayload predicts a 400
// exactly when the emulator answers one, with the same body. The emulator decides with Node's
// X509Certificate and its own rules; only the wording of the bodies is shared (graph-errors.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPayload, previewCertificateAuthority, parseCertificate, type GraphErrorBody } from '@graph-mtls/core';
import { getKey, makeRootCa, makeIntermediateCa, type GeneratedCertificate } from '../fixtures/certificates.ts';
import { COLLECTION_PATH, startEmulator, type Emulator } from './server.ts';

const TOKEN = 'agreement-token';
const DAY = 86_400_000;
const b64 = (g: GeneratedCertificate): string => Buffer.from(g.der).toString('base64');

let emu: Emulator;
let root: GeneratedCertificate;
let inter: GeneratedCertificate;
let noSki: GeneratedCertificate;
let padded: GeneratedCertificate;
let rollover: GeneratedCertificate;

beforeAll(async () => {
  emu = await startEmulator({ tokens: { [TOKEN]: { scopes: ['MutualTlsOauthConfiguration.ReadWrite.All'] } } });
  const validity = { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 3650 * DAY) };
  root = await makeRootCa({ ...validity, key: await getKey('p256', 20) });
  inter = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 21) });
  noSki = await makeRootCa({ ...validity, key: await getKey('p256', 22), subjectKeyIdentifier: 'omit', authorityKeyIdentifier: 'omit' });
  // A root whose base64 ends in padding, so a padding bit can be set.
  for (let slot = 23; !b64((padded ??= root)).endsWith('=') || padded === root; slot++) padded = await makeRootCa({ ...validity, key: await getKey('p256', slot) });
  const subject = 'CN=Agreement Rollover CA, O=graph-mtls tests';
  const oldRoot = await makeRootCa({ ...validity, subject, key: await getKey('p256', 40) });
  rollover = await makeRootCa({ ...validity, subject, key: await getKey('p256', 41), issuer: oldRoot });
});
afterAll(() => emu.close());

interface Verdict {
  readonly status: 'accepted' | 400;
  readonly body?: GraphErrorBody['error'];
}

/** What checkPayload predicts: the first error that carries Graph's body, else acceptance. */
function predicted(body: Record<string, unknown>, kind: 'create' | 'update'): Verdict {
  const refused = checkPayload(body, kind, { now: new Date() }).find((f) => f.severity === 'error' && f.graphError !== undefined);
  return refused === undefined ? { status: 'accepted' } : { status: 400, body: refused.graphError!.error };
}

async function send(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<Response> {
  return fetch(`${emu.url}${COLLECTION_PATH}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** What the emulator answers: a create is POSTed, an update PATCHes a fresh configuration. */
async function answered(body: Record<string, unknown>, kind: 'create' | 'update'): Promise<Verdict> {
  let res: Response;
  if (kind === 'create') res = await send('POST', '', body);
  else {
    const made = await send('POST', '', { tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: b64(root), isRootAuthority: true }] });
    const { id } = (await made.json()) as { id: string };
    res = await send('PATCH', `/${id}`, body);
  }
  if (res.status < 300) return { status: 'accepted' };
  expect(res.status).toBe(400);
  const { error } = (await res.json()) as { error: GraphErrorBody['error'] };
  return { status: 400, body: { code: error.code, message: error.message } };
}

/** Graph quotes a bad Edm.Binary literal; the library does not (a pasted value may be a secret). */
function unquoted(v: Verdict): Verdict {
  return v.body === undefined ? v : { ...v, body: { ...v.body, message: v.body.message.replace(/^Cannot convert the literal '.*' to/s, "Cannot convert the literal '…' to") } };
}

const create = (entry: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  tlsClientAuthParameter: 'tls_client_auth_san_uri',
  certificateAuthorities: [{ certificate: b64(root), isRootAuthority: true }, entry],
  ...extra,
});

const CASES: readonly (readonly [string, () => Record<string, unknown>, 'create' | 'update', Verdict['status']])[] = [
  ['line-wrapped base64 (LF)', () => create({ certificate: b64(inter).replace(/.{64}/g, '$&\n'), isRootAuthority: false }), 'create', 'accepted'],
  ['base64 with CRLF, spaces and tabs', () => create({ certificate: ` ${b64(inter).replace(/.{76}/g, '$&\r\n')}\t`, isRootAuthority: false }), 'create', 'accepted'],
  ['set bits before the padding', () => create({ certificate: setPaddingBit(b64(padded)), isRootAuthority: true }), 'create', 'accepted'],
  ['base64url', () => create({ certificate: Buffer.from(inter.der).toString('base64url'), isRootAuthority: false }), 'create', 400],
  ["a misplaced '='", () => create({ certificate: `${b64(inter).slice(0, 8)}=${b64(inter).slice(9)}`, isRootAuthority: false }), 'create', 400],
  ['a length that is not a multiple of 4', () => create({ certificate: `${b64(inter)}QQ`, isRootAuthority: false }), 'create', 400],
  ["@odata.type without '#'", () => create({ '@odata.type': 'microsoft.graph.certificateAuthority', certificate: b64(inter), isRootAuthority: false }, { '@odata.type': 'microsoft.graph.mutualTlsOauthConfiguration' }), 'create', 'accepted'],
  ['@odata.type naming another type', () => create({ '@odata.type': '#microsoft.graph.somethingElse', certificate: b64(inter), isRootAuthority: false }), 'create', 400],
  ['issuer: null', () => create({ certificate: b64(inter), isRootAuthority: false, issuer: null }), 'create', 400],
  ['issuerSki: null', () => create({ certificate: b64(inter), isRootAuthority: false, issuerSki: null }), 'create', 400],
  ['issuer and issuerSki round-tripped as strings', () => create({ certificate: b64(inter), isRootAuthority: false, issuer: 'CN=x', issuerSki: 'AB' }), 'create', 'accepted'],
  ['tlsClientAuthParameter in a PATCH', () => ({ tlsClientAuthParameter: 'tls_client_auth_san_dns' }), 'update', 400],
  ['an update that removes every CA', () => ({ certificateAuthorities: [] }), 'update', 'accepted'],
  ['a key-rollover certificate as an intermediate', () => create({ certificate: b64(rollover), isRootAuthority: false }), 'create', 'accepted'],
  ['a CA without a subjectKeyIdentifier', () => create({ certificate: b64(noSki), isRootAuthority: true }), 'create', 'accepted'],
];

function setPaddingBit(text: string): string {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const at = text.endsWith('==') ? text.length - 3 : text.length - 2;
  return text.slice(0, at) + ALPHABET[ALPHABET.indexOf(text[at]!) | 1] + text.slice(at + 1);
}

describe('the library predicts a 400 exactly when the emulator answers one, with the same body', () => {
  it.each(CASES)('%s', async (_name, body, kind, expected) => {
    const ours = predicted(body(), kind);
    const theirs = await answered(body(), kind);
    expect(ours.status).toBe(expected);
    expect(unquoted(theirs)).toEqual(ours);
  });

  it('the issuerSki the library previews for a CA without an SKI is the one the emulator stores', async () => {
    const res = await send('POST', '', create({ certificate: b64(noSki), isRootAuthority: true }));
    const stored = ((await res.json()) as { certificateAuthorities: { issuerSki: string }[] }).certificateAuthorities[1]!.issuerSki;
    const preview = previewCertificateAuthority(parseCertificate(noSki.der));
    expect([preview.issuerSki, preview.issuerSkiComputed]).toEqual([stored, true]);
  });
});
