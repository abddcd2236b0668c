// End-to-end tests of `graph-mtls build` (packages/node/src/commands/build.ts): the POST body
// from CA files, the PATCH body with --update/--remove, and what happens when Graph would
// reject the body (exit 1, nothing on stdout, the reproduced 400 body and our reasons on stderr).

import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_CERTIFICATE_ERROR } from '@graph-mtls/core';
import { getKey, makeCertificate, makeIntermediateCa, makeRootCa, pemBundle, pkcs8Der, toPem, type GeneratedCertificate } from '@graph-mtls/test/fixtures/certificates.ts';
import { TempDir, b64, fingerprint, parseJson, runCli, type RunResult } from './cli-harness.ts';

interface Entry {
  certificate: string;
  isRootAuthority: boolean;
  [k: string]: unknown;
}
interface Body {
  displayName?: string;
  tlsClientAuthParameter?: string;
  certificateAuthorities?: Entry[];
  [k: string]: unknown;
}

const dir = new TempDir();
let root: GeneratedCertificate;
let inter: GeneratedCertificate;
let root2: GeneratedCertificate;
let noSki: GeneratedCertificate;

beforeAll(async () => {
  const keys = await Promise.all([30, 31, 32, 33, 34, 35, 36, 37].map((n) => getKey('p256', n)));
  root = await makeRootCa({ key: keys[0]!, subject: 'CN=Build Root A, O=graph-mtls tests' });
  inter = await makeIntermediateCa(root, { key: keys[1]!, subject: 'CN=Build Intermediate B, O=graph-mtls tests' });
  root2 = await makeRootCa({ key: keys[2]!, subject: 'CN=Build Root C, O=graph-mtls tests' });
  const expired = await makeRootCa({ key: keys[3]!, subject: 'CN=Build Expired Root', notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2021, 0, 1)) });
  const nonCa = await makeCertificate({ key: keys[4]!, subject: 'CN=Build Leaf', issuer: root });
  dir.write('ca/root.pem', root.pem);
  dir.write('ca/inter.der', inter.der);
  dir.write('ca/chain.pem', pemBundle([root, inter]));
  dir.write('ca/root2.pem', root2.pem);
  dir.write('ca/expired.pem', expired.pem);
  dir.write('ca/nonca.pem', nonCa.pem);
  dir.write('ca/key.pem', toPem(pkcs8Der(root.key.privateKey), 'PRIVATE KEY'));
  // One CA name, two keys: the new key's certificate signed by the old key, without AKI.
  const oldRoot = await makeRootCa({ key: keys[5]!, subject: 'CN=Build Rollover CA' });
  const newWithOld = await makeRootCa({ key: keys[6]!, subject: 'CN=Build Rollover CA', issuer: oldRoot, authorityKeyIdentifier: 'omit' });
  dir.write('ca/rollover.pem', pemBundle([oldRoot, newWithOld]));
  noSki = await makeRootCa({ key: keys[7]!, subject: 'CN=Build No SKI Root', subjectKeyIdentifier: 'omit', authorityKeyIdentifier: 'omit' });
  dir.write('ca/noski.pem', noSki.pem);
  // The configuration as GET returns it: read-only properties included.
  dir.write(
    'current.json',
    JSON.stringify({
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#directory/certificateAuthorities/mutualTlsOauthConfigurations/$entity',
      id: '6f0a3b1e-0000-4000-8000-000000000001',
      deletedDateTime: null,
      displayName: 'Door cameras',
      tlsClientAuthParameter: 'tls_client_auth_san_uri',
      certificateAuthorities: [
        { certificate: b64(root.der), isRootAuthority: true, certificateRevocationListUrl: null, deltaCertificateRevocationListUrl: null, issuer: 'CN=Build Root A, O=graph-mtls tests', issuerSki: 'AA' },
        { certificate: b64(inter.der), isRootAuthority: false, certificateRevocationListUrl: null, deltaCertificateRevocationListUrl: null, issuer: 'CN=Build Intermediate B', issuerSki: 'BB' },
      ],
    }),
  );
});

afterAll(() => dir.remove());

const build = (args: readonly string[]): Promise<RunResult> => runCli(['build', ...args], { cwd: dir.path });
const sha256Of = (g: GeneratedCertificate): string => fingerprint(new X509Certificate(g.der).fingerprint256);

/** The JSON body printed after "Graph would answer: 400 ..." on stderr. */
function graph400(stderr: string): unknown {
  const at = stderr.search(/400/);
  if (at < 0) throw new Error(`stderr has no 400 body:\n${stderr}`);
  const open = stderr.indexOf('{', at);
  let depth = 0;
  for (let i = open; i < stderr.length; i++) {
    if (stderr[i] === '{') depth++;
    else if (stderr[i] === '}' && --depth === 0) return JSON.parse(stderr.slice(open, i + 1)) as unknown;
  }
  throw new Error(`unterminated 400 body:\n${stderr}`);
}

describe.concurrent('build (create)', () => {
  it('prints the ready-to-POST JSON with base64 certificates and derived isRootAuthority', async () => {
    const r = await build(['--display-name', 'Door cameras', '--param', 'tls_client_auth_san_uri', 'ca/root.pem', 'ca/inter.der']);
    expect(r.code).toBe(0);
    const body = parseJson<Body>(r);
    expect(body).toEqual({
      displayName: 'Door cameras',
      tlsClientAuthParameter: 'tls_client_auth_san_uri',
      certificateAuthorities: [
        { certificate: b64(root.der), isRootAuthority: true },
        { certificate: b64(inter.der), isRootAuthority: false },
      ],
    });
    expect(Buffer.from(body.certificateAuthorities![1]!.certificate, 'base64')).toEqual(Buffer.from(inter.der));
  });

  it('gives a bundle one entry per certificate, and omits displayName when not given', async () => {
    const r = await build(['--param', 'tls_client_auth_subject_dn', 'ca/chain.pem', 'ca/root2.pem']);
    expect(r.code).toBe(0);
    const body = parseJson<Body>(r);
    expect(Object.keys(body).sort()).toEqual(['certificateAuthorities', 'tlsClientAuthParameter']);
    expect(body.certificateAuthorities).toEqual([
      { certificate: b64(root.der), isRootAuthority: true },
      { certificate: b64(inter.der), isRootAuthority: false },
      { certificate: b64(root2.der), isRootAuthority: true },
    ]);
  });

  it('a key-rollover certificate (self-issued, signed by the old key) is an intermediate: node:crypto verifies the self-signatures', async () => {
    const r = await build(['--param', 'tls_client_auth_san_uri', 'ca/rollover.pem']);
    expect(r.code).toBe(0);
    expect(parseJson<Body>(r).certificateAuthorities!.map((e) => e.isRootAuthority)).toEqual([true, false]);
    expect(r.stderr).not.toContain('PAYLOAD_ROOT_FLAG_MISMATCH');
  });

  it('lists the issuerSki Graph will compute for a CA without an SKI, marked as computed', async () => {
    const r = await build(['--param', 'tls_client_auth_san_uri', 'ca/noski.pem']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/root +CN=Build No SKI Root +issuerSki [0-9A-F]{40} \(no SKI extension: computed as \.NET does, inferred\)/);
  });

  it('--output writes the JSON to a file and nothing to stdout', async () => {
    const r = await build(['--param', 'tls_client_auth_san_dns', '--output', 'payload.json', 'ca/root.pem']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const body = JSON.parse(readFileSync(`${dir.path}/payload.json`, 'utf8')) as Body;
    expect(body).toEqual({ tlsClientAuthParameter: 'tls_client_auth_san_dns', certificateAuthorities: [{ certificate: b64(root.der), isRootAuthority: true }] });
  });

  it('refuses an expired CA: exit 1, empty stdout, no --output file, the 400 body and our reason on stderr', async () => {
    const r = await build(['--param', 'tls_client_auth_san_uri', '--output', 'not-written.json', 'ca/expired.pem', 'ca/root.pem']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(existsSync(`${dir.path}/not-written.json`)).toBe(false);
    expect(r.stderr).toContain('CERT_EXPIRED');
    expect(r.stderr).toContain('ca/expired.pem');
    expect(graph400(r.stderr)).toEqual(GRAPH_CERTIFICATE_ERROR);
  });

  it('refuses a certificate that is not a CA', async () => {
    const r = await build(['--param', 'tls_client_auth_san_uri', 'ca/nonca.pem']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('CA_BASIC_CONSTRAINTS_MISSING');
    expect(graph400(r.stderr)).toEqual(GRAPH_CERTIFICATE_ERROR);
  });

  it('refuses a private key given as a CA, with the 400 body Graph would answer', async () => {
    const r = await build(['--param', 'tls_client_auth_san_uri', 'ca/key.pem', 'ca/root.pem']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('INPUT_PRIVATE_KEY');
    expect(r.stderr).not.toContain(b64(pkcs8Der(root.key.privateKey)).slice(20, 60));
    expect(graph400(r.stderr)).toEqual(GRAPH_CERTIFICATE_ERROR);
  });
});

describe.concurrent('build --update', () => {
  it('prints the PATCH body and lists the added, kept and removed CAs on stderr (--remove by SHA-256)', async () => {
    const interSha = new X509Certificate(inter.der).fingerprint256; // "AB:CD:..." form
    const r = await build(['--update', 'current.json', 'ca/root2.pem', '--remove', interSha]);
    expect(r.code).toBe(0);
    const body = parseJson<Body>(r);
    // Only what PATCH takes: no id, no tlsClientAuthParameter, no read-only issuer/issuerSki.
    expect(Object.keys(body)).toEqual(['certificateAuthorities']);
    expect(body.certificateAuthorities!.map((e) => [e.certificate, e.isRootAuthority])).toEqual([
      [b64(root.der), true],
      [b64(root2.der), true],
    ]);
    for (const e of body.certificateAuthorities!) {
      expect(e).not.toHaveProperty('issuer');
      expect(e).not.toHaveProperty('issuerSki');
    }
    const line = (mark: string, cn: string): void => {
      expect(r.stderr.split('\n').some((l) => new RegExp(`\\b${mark}\\b`).test(l) && l.includes(cn)), `${mark} ${cn} in:\n${r.stderr}`).toBe(true);
    };
    line('added', 'CN=Build Root C');
    line('kept', 'CN=Build Root A');
    line('removed', 'CN=Build Intermediate B');
    expect(r.stderr).not.toMatch(/\b(added|removed)\b.*CN=Build Root A/);
  });

  it('--remove takes the bare lower-case SHA-256 too', async () => {
    const r = await build(['--update', 'current.json', '--remove', sha256Of(root)]);
    expect(r.code).toBe(0);
    const body = parseJson<Body>(r);
    expect(body.certificateAuthorities).toEqual([{ certificate: b64(inter.der), isRootAuthority: false, certificateRevocationListUrl: null, deltaCertificateRevocationListUrl: null }]);
    expect(r.stderr).toMatch(/removed.*CN=Build Root A/);
  });

  it('--remove with a value that matches no CA fails (exit 1), writes nothing and names the value', async () => {
    const r = await build(['--update', 'current.json', '--remove', sha256Of(root), '--remove', 'ab'.repeat(20)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: --remove ${'ab'.repeat(20)} matched no CA of the configuration`);
  });

  it('--remove finds a CA without an SKI extension by the issuerSki GET returned for it', async () => {
    const ski = createHash('sha1').update(new X509Certificate(noSki.der).publicKey.export({ type: 'spki', format: 'der' }).subarray(-65)).digest('hex').toUpperCase();
    dir.write('current-noski.json', JSON.stringify({ displayName: 'x', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: [
      { certificate: b64(root.der), isRootAuthority: true, issuerSki: 'AA' },
      { certificate: b64(noSki.der), isRootAuthority: true, issuerSki: ski },
    ] }));
    const r = await build(['--update', 'current-noski.json', '--remove', ski]);
    expect(r.code).toBe(0);
    expect(parseJson<Body>(r).certificateAuthorities).toEqual([{ certificate: b64(root.der), isRootAuthority: true }]);
    expect(r.stderr).toMatch(/removed.*CN=Build No SKI Root/);
  });

  it('changes only displayName when that is all that is asked', async () => {
    const r = await build(['--update', 'current.json', '--display-name', 'Door cameras v2']);
    expect(r.code).toBe(0);
    expect(parseJson<Body>(r)).toEqual({ displayName: 'Door cameras v2' });
  });

  it('refuses to change --param in an update: exit 2 with a usage message', async () => {
    const r = await build(['--update', 'current.json', '--param', 'tls_client_auth_san_dns']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('tlsClientAuthParameter');
    expect(r.stderr).toContain('tls_client_auth_san_dns');
    expect(r.stderr).toContain("graph-mtls build --help");
  });
});

describe.concurrent('build usage errors exit 2', () => {
  const cases: readonly (readonly [string, readonly string[], string])[] = [
    ['no --param on create', ['ca/root.pem'], '--param'],
    ['a bad --param', ['--param', 'tls_client_auth_bogus', 'ca/root.pem'], 'tls_client_auth_bogus'],
    ['an unknown option', ['--param', 'tls_client_auth_san_uri', '--frob', 'ca/root.pem'], '--frob'],
    ['--remove without --update', ['--param', 'tls_client_auth_san_uri', '--remove', 'abcd', 'ca/root.pem'], '--update'],
  ];
  it.each(cases)('%s', async (_name, args, mention) => {
    const r = await build(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(mention);
  });
});
