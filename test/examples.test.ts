// The @example of every doc comment in packages/core/src runs, as written, against generated
// certificates: an example that no longer matches the API fails here. The main entry points must
// have one. Examples are plain JavaScript using the package's exports and these inputs:
// pemText (a root and an issuing CA), deviceDer, crlDer and crlPemText (the issuing CA's CRL), chunks (pemText in pieces), requestBody (a
// create body as text), currentJson (a GET answer as text) and env (a ClientEnvironment whose
// Graph answers an empty list).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@graph-mtls/core';
import * as encoding from '@graph-mtls/core/encoding';
import * as graph from '@graph-mtls/core/graph';
import * as verify from '@graph-mtls/core/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCrl, makeDeviceCert, makeIntermediateCa, makeRootCa } from './fixtures/certificates.ts';

const SRC = fileURLToPath(new URL('../packages/core/src/', import.meta.url));
const MUST_HAVE = ['lint', 'lintStream', 'readCertificates', 'parseCertificate', 'identify', 'matches', 'buildCreate', 'buildUpdate', 'checkPayload', 'createGraphClient', 'createWebCryptoVerifier'];

interface Example {
  readonly name: string;
  readonly file: string;
  readonly code: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Each @example, with the name of the export its doc comment documents. */
function examples(): Example[] {
  const out: Example[] = [];
  for (const path of sources(SRC)) {
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*export\s+(?:async\s+)?(?:function\*?|class|const)\s*(\w+)/g)) {
      const lines = m[1]!.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
      const at = lines.findIndex((l) => l.startsWith('@example'));
      if (at === -1) continue;
      const end = lines.findIndex((l, i) => i > at && l.startsWith('@'));
      out.push({ name: m[2]!, file: relative(SRC, path), code: lines.slice(at + 1, end === -1 ? undefined : end).join('\n').trim() });
    }
  }
  return out;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
const found = examples();

describe('@example blocks', () => {
  let inputs: Record<string, unknown>;

  beforeAll(async () => {
    const now = new Date();
    const root = await makeRootCa({ key: 'p256', notBefore: new Date(now.getTime() - 86_400_000), notAfter: new Date(now.getTime() + 3650 * 86_400_000) });
    const issuing = await makeIntermediateCa(root, { key: 'p256', notBefore: new Date(now.getTime() - 86_400_000), notAfter: new Date(now.getTime() + 1825 * 86_400_000) });
    const device = await makeDeviceCert(issuing, { key: 'p256', notBefore: new Date(now.getTime() - 86_400_000), notAfter: new Date(now.getTime() + 365 * 86_400_000) });
    const pemText = root.pem + issuing.pem;
    const crl = await makeCrl(issuing.keys.privateKey, issuing.subjectDer, ['01']);
    const created = core.buildCreate({ displayName: 'Door cameras', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [{ certificate: pemText }] }, { now });
    const current = {
      id: '0b6d7c6e-0000-4000-8000-000000000001',
      ...created.body,
      certificateAuthorities: created.body.certificateAuthorities.map((ca, i) => ({ ...ca, issuer: created.authorities[i]!.issuer, issuerSki: created.authorities[i]!.issuerSki })),
    };
    const bytes = new TextEncoder().encode(pemText);
    const env: graph.ClientEnvironment = {
      send: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"value":[]}' }),
      sleep: async () => {},
      now: () => new Date(),
      random: () => 0.5,
    };
    inputs = {
      pemText,
      deviceDer: device.der,
      crlDer: crl.der,
      crlPemText: crl.pem,
      chunks: [bytes.subarray(0, 100), bytes.subarray(100, 1000), bytes.subarray(1000)],
      requestBody: JSON.stringify(created.body),
      currentJson: JSON.stringify(current),
      env,
      crypto: globalThis.crypto,
    };
  });

  it('the main entry points have one', () => {
    expect(MUST_HAVE.filter((name) => !found.some((e) => e.name === name))).toEqual([]);
  });

  it.each(found.map((e) => [`${e.name} (${e.file})`, e] as const))('%s runs', async (_label, example) => {
    const scope: Record<string, unknown> = { ...core, ...encoding, ...graph, ...verify, ...inputs };
    const run = new AsyncFunction(...Object.keys(scope), example.code);
    await expect(run(...Object.values(scope))).resolves.toBeUndefined();
  });
});
