// The conformance suite in Node: results must equal expected.json exactly. With
// UPDATE_CONFORMANCE=1 the fixtures are generated anew and both files rewritten; commit them.
// With UPDATE_CONFORMANCE=expected only the expected results are rewritten, from the same fixtures.
// The other runtimes (Chromium page, Web Worker, QuickJS-WASM) compare with the same file.

import { readFileSync, writeFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebCryptoVerifier, parseCertificate, type SubtleCryptoLike } from '@graph-mtls/core';
import { encodeBase64 } from '@graph-mtls/core/encoding';
import { getKey, makeCorpus, makeCsr, makeDeviceCert, makeIntermediateCa, makeRootCa, pemBundle, pkcs8Der, toPem, makePkcs7 } from '../fixtures/certificates.ts';
import { tamperSignature } from '../fixtures/der-builder.ts';
import { runConformance, type ConformanceFixtures } from './suite.ts';

const FIXTURES = new URL('./fixtures.json', import.meta.url);
const EXPECTED = new URL('./expected.json', import.meta.url);

async function generate(): Promise<ConformanceFixtures> {
  // Ed448 signatures are left out: Chromium's WebCrypto cannot verify them, Node's can.
  const corpus = (await makeCorpus(48, 7)).filter((c) => parseCertificate(c.der).signatureAlgorithm.oid !== '1.3.101.113');
  // A self-signed root for each signature scheme every WebCrypto runtime verifies.
  const schemes = [
    ['rsa-pkcs1-sha256', { key: 'rsa2048', signatureHash: 'SHA-256' }],
    ['rsa-pkcs1-sha512', { key: 'rsa3072', signatureHash: 'SHA-512' }],
    ['rsa-pss-sha256', { key: 'rsa2048', signatureHash: 'SHA-256', rsaPss: true }],
    ['rsa-pss-sha384-salt48', { key: 'rsa2048', signatureHash: 'SHA-384', rsaPss: { saltLength: 48 } }],
    ['ecdsa-p256', { key: 'p256' }],
    ['ecdsa-p384', { key: 'p384' }],
    ['ecdsa-p521', { key: 'p521' }],
    ['ed25519', { key: 'ed25519' }],
  ] as const;
  const signed = await Promise.all(schemes.map(async ([label, opts]) => ({ label: `signature:${label}`, der: (await makeRootCa({ ...opts, subject: `CN=${label} root` })).der })));
  const certificates = [
    ...corpus.map((c, i) => ({ label: `${i}:${c.label}`, base64: encodeBase64(c.der) })),
    ...signed.map((c) => ({ label: c.label, base64: encodeBase64(c.der) })),
  ];
  const roots = corpus.filter((c) => /root/.test(c.label)).slice(0, 2);
  const key = await getKey('p256');
  const csr = await makeCsr((await makeRootCa()).keys);
  const bundle = pemBundle([corpus[0]!, corpus[1]!, corpus[2]!], { eol: '\r\n', preamble: 'subject=CN = example\r\n', between: 'explanatory text\r\n' });
  const inputs = [
    { label: 'bundle-crlf.pem', text: bundle },
    { label: 'with-key.pem', text: corpus[0]!.pem + toPem(pkcs8Der(key.privateKey), 'PRIVATE KEY') + corpus[1]!.pem },
    { label: 'csr.pem', text: csr.pem },
    { label: 'garbage.txt', text: 'not a certificate at all\n' },
    { label: 'bad-base64.pem', text: '-----BEGIN CERTIFICATE-----\nMIIB*invalid\n-----END CERTIFICATE-----\n' },
    { label: 'bundle.p7b', base64: encodeBase64(makePkcs7([corpus[0]!.der, corpus[1]!.der]).der) },
    { label: 'truncated.der', base64: encodeBase64(corpus[3]!.der.subarray(0, 100)) },
    { label: 'trailing.der', base64: encodeBase64(Uint8Array.from([...corpus[4]!.der, 0])) },
    { label: 'key.der', base64: encodeBase64(pkcs8Der(key.privateKey)) },
  ];
  const ca = (c: (typeof corpus)[number], isRootAuthority: boolean): Record<string, unknown> => ({ certificate: encodeBase64(c.der), isRootAuthority });
  const payloads = [
    { label: 'create', kind: 'create' as const, json: JSON.stringify({ displayName: 'x', tlsClientAuthParameter: 'tls_client_auth_san_uri', certificateAuthorities: roots.map((r) => ca(r, true)) }) },
    { label: 'docs-placeholder', kind: 'create' as const, json: '{"displayName":"DoorCamera","tlsClientAuthParameter":"tls_client_auth_san_uri","certificateAuthorities":[{"@odata.type":"microsoft.graph.certificateAuthority"}]}' },
    { label: 'docs-update', kind: 'update' as const, json: JSON.stringify({ certificateAuthorities: [{ ...ca(roots[0]!, true), issuerSubjectkeyIdentifier: 'SKI' }] }) },
    { label: 'hostile', kind: 'create' as const, json: '{"__proto__":{"polluted":1},"constructor":1,"tlsClientAuthParameter":"unknownFutureValue","certificateAuthorities":[[],{"certificate":"-----BEGIN CERTIFICATE-----","isRootAuthority":"yes"}]}' },
    { label: 'not-json', kind: 'create' as const, json: '{"displayName":' },
  ];
  const names = [
    'CN=Doe\\, John+UID=jd,O=Example\\2C Inc.,DC=example,DC=com',
    'CN=Ünïcødé 日本,O=\\#hash\\ ,C=DE',
    'CN=certauthority.com, OU=IoT Org, O=Microsoft Corporation, L=Redmond, S=WA, C=US',
    'C = US, O = Example, CN = x',
    '/C=US/O=Example/CN=x',
    '1.2.840.113549.1.9.1=#160b6140622e6578616d706c65,CN=x',
    'CN=unterminated\\',
  ];
  const ips = ['2001:0db8:0000:0000:0000:0000:0000:0001', '::ffff:192.0.2.1', '2001:db8:0:1:1:1:1:1', '192.0.2.01', 'fe80::1%eth0', '::', '1:0:0:1:0:0:0:1'];
  const device = corpus.find((c) => /device/.test(c.label)) ?? corpus[2]!;
  const dev = parseCertificate(device.der);
  const matches = [
    { certificate: certificates[corpus.indexOf(device)]!.label, parameter: 'tls_client_auth_subject_dn', expected: dev.subjectDn },
    { certificate: certificates[corpus.indexOf(device)]!.label, parameter: 'tls_client_auth_subject_dn', expected: dev.subjectDn.toUpperCase() },
    { certificate: certificates[0]!.label, parameter: 'tls_client_auth_san_ip', expected: '::1' },
    { certificate: certificates[0]!.label, parameter: 'unknownFutureValue', expected: 'x' },
  ];
  return { now: '2026-06-01T00:00:00.000Z', certificates, inputs, payloads, names, ips, matches, verifications: await verificationFixtures() };
}

/** Chains for verifyDevice: a configuration of two roots and an issuing CA, and devices that pass or fail for one reason each. */
async function verificationFixtures(): Promise<ConformanceFixtures['verifications']> {
  const validity = { notBefore: new Date(Date.UTC(2024, 0, 1)), notAfter: new Date(Date.UTC(2034, 0, 1)) };
  const root = await makeRootCa({ ...validity, key: 'p256', subject: 'CN=Conformance Root, O=graph-mtls tests' });
  const issuing = await makeIntermediateCa(root, { ...validity, key: 'p384', subject: 'CN=Conformance Issuing CA, O=graph-mtls tests' });
  const presented = await makeIntermediateCa(root, { ...validity, key: await getKey('p256', 1), subject: 'CN=Conformance Presented CA, O=graph-mtls tests' });
  const expiredCa = await makeIntermediateCa(root, { key: await getKey('p256', 2), subject: 'CN=Conformance Expired CA', notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2025, 0, 1)) });
  const rsaRoot = await makeRootCa({ ...validity, key: 'rsa2048', subject: 'CN=Conformance RSA Root' });
  const stranger = await makeRootCa({ ...validity, key: await getKey('p256', 3), subject: 'CN=Conformance Stranger Root' });
  const ed25519Device = await makeDeviceCert(issuing, { ...validity, key: 'ed25519' });
  const configuration = JSON.stringify({
    tlsClientAuthParameter: 'tls_client_auth_san_uri',
    certificateAuthorities: [root, rsaRoot].map((r) => ({ certificate: encodeBase64(r.der), isRootAuthority: true })).concat([{ certificate: encodeBase64(issuing.der), isRootAuthority: false }]),
  });
  const v = (label: string, device: Uint8Array, intermediates: readonly Uint8Array[] = [], expected?: string): ConformanceFixtures['verifications'][number] => ({
    label,
    configuration,
    device: encodeBase64(device),
    intermediates: intermediates.map(encodeBase64),
    ...(expected === undefined ? {} : { expected }),
  });
  return [
    v('ed25519 device, P-384 issuing CA, P-256 root', ed25519Device.der, [], (parseCertificate(ed25519Device.der).subjectAltName!.names[0] as { value: string }).value),
    v('an intermediate the device presents', (await makeDeviceCert(presented, { ...validity, key: 'p256' })).der, [presented.der]),
    v('a P-256 device under the RSA root', (await makeDeviceCert(rsaRoot, { ...validity, key: 'p256' })).der),
    v('an expired issuing CA', (await makeDeviceCert(expiredCa, { ...validity, key: 'p256' })).der, [expiredCa.der]),
    v('an issuer that is not configured', (await makeDeviceCert(stranger, { ...validity, key: 'p256' })).der),
    v('a device signature that does not verify', tamperSignature(ed25519Device.der)),
    v('another identity expected', ed25519Device.der, [], 'IntuneDeviceId://nobody'),
  ];
}

describe('conformance (Node)', () => {
  it('gives exactly the expected results', async () => {
    const verifier = createWebCryptoVerifier(webcrypto.subtle as unknown as SubtleCryptoLike);
    const update = process.env['UPDATE_CONFORMANCE'];
    if (update === 'expected') {
      // The same fixtures, the results rewritten (a new section of the suite, say).
      const fixtures = JSON.parse(readFileSync(FIXTURES, 'utf8')) as ConformanceFixtures;
      writeFileSync(EXPECTED, JSON.stringify(await runConformance(fixtures, verifier), null, 1) + '\n');
    } else if (update) {
      const fixtures = await generate();
      writeFileSync(FIXTURES, JSON.stringify(fixtures, null, 1) + '\n');
      writeFileSync(EXPECTED, JSON.stringify(await runConformance(fixtures, verifier), null, 1) + '\n');
    }
    const fixtures = JSON.parse(readFileSync(FIXTURES, 'utf8')) as ConformanceFixtures;
    const expected: unknown = JSON.parse(readFileSync(EXPECTED, 'utf8'));
    expect(fixtures.certificates.length).toBeGreaterThan(30);
    // Every signature scheme's root verifies here (the browsers must agree; QuickJS says not-verified).
    const results = (expected as { certificates: { label: string; lint: { selfSignature: string }[] }[] }).certificates;
    const schemes = results.filter((c) => c.label.startsWith('signature:'));
    expect(schemes.map((c) => c.lint[0]?.selfSignature)).toEqual(Array(8).fill('valid'));
    expect(await runConformance(fixtures, verifier)).toEqual(expected);
  });
});
