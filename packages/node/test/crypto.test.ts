// What the Node adapter injects into the core must not change a result: node:crypto's SHA-256
// gives the pure one's fingerprints, and the node:crypto verifier answers every self-signature
// (every scheme, good, tampered, signed by another key, a key of the wrong curve) exactly as
// WebCrypto's crypto.subtle does.

import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebCryptoVerifier, parseCertificate, verifySelfSignature, type Certificate, type SubtleCryptoLike } from '@graph-mtls/core';
import { getKey, makeRootCa, type KeyKind } from '@graph-mtls/test/fixtures/certificates.ts';
import { createVerifier, nodeSha256 } from '../src/crypto.ts';

const KINDS: readonly KeyKind[] = ['rsa2048', 'rsa3072', 'p256', 'p384', 'p521', 'ed25519', 'ed448', 'secp256k1', 'rsa1024'];
const certificates: { label: string; cert: Certificate }[] = [];

beforeAll(async () => {
  for (const [i, kind] of KINDS.entries()) {
    const key = await getKey(kind, 30 + i);
    const other = await getKey(kind, 60 + i);
    const good = await makeRootCa({ key, subject: `CN=Crypto ${kind}` });
    certificates.push({ label: `${kind} self-signed`, cert: parseCertificate(good.der) });
    const tampered = good.der.slice();
    tampered[tampered.length - 5]! ^= 0x01;
    certificates.push({ label: `${kind} tampered signature`, cert: parseCertificate(tampered) });
    certificates.push({ label: `${kind} signed by another key`, cert: parseCertificate((await makeRootCa({ key, signingKey: other, subject: `CN=Crypto ${kind} other` })).der) });
  }
  for (const [hash, saltLength] of [['SHA-256', 32], ['SHA-384', 48], ['SHA-256', 20]] as const) {
    const pss = await makeRootCa({ key: await getKey('rsa2048', 90), rsaPss: { saltLength }, signatureHash: hash, subject: `CN=Crypto PSS ${hash} ${saltLength}` });
    certificates.push({ label: `RSA-PSS ${hash} salt ${saltLength}`, cert: parseCertificate(pss.der) });
  }
  for (const hash of ['SHA-1', 'SHA-384', 'SHA-512'] as const) {
    certificates.push({ label: `RSA PKCS#1 ${hash}`, cert: parseCertificate((await makeRootCa({ key: await getKey('rsa2048', 91), signatureHash: hash, subject: `CN=Crypto ${hash}` })).der) });
    certificates.push({ label: `P-256 with ${hash}`, cert: parseCertificate((await makeRootCa({ key: await getKey('p256', 92), signatureHash: hash, subject: `CN=Crypto P-256 ${hash}` })).der) });
  }
});

describe('the node:crypto verifier', () => {
  it('answers every self-signature as crypto.subtle does', async () => {
    const webCrypto = createWebCryptoVerifier(webcrypto.subtle as unknown as SubtleCryptoLike);
    const ours = createVerifier();
    const seen = new Set<string>();
    for (const { label, cert } of certificates) {
      const expected = await verifySelfSignature(cert, webCrypto);
      expect(await verifySelfSignature(cert, ours), label).toBe(expected);
      seen.add(expected);
    }
    // The cases above cover every answer: valid, invalid and not verified (secp256k1).
    expect([...seen].sort()).toEqual(['invalid', 'not-verified', 'valid']);
  });

  it('answers the same when a key comes from its cache', async () => {
    const ours = createVerifier();
    const first = await Promise.all(certificates.map(({ cert }) => verifySelfSignature(cert, ours)));
    const again = await Promise.all(certificates.map(({ cert }) => verifySelfSignature(cert, ours)));
    expect(again).toEqual(first);
  });
});

describe("node:crypto's SHA-256", () => {
  it('gives the fingerprints of the pure SHA-256', () => {
    for (const { cert } of certificates) expect(parseCertificate(cert.der, { sha256: nodeSha256 }).sha256).toBe(cert.sha256);
    expect(Buffer.from(nodeSha256(new Uint8Array(0))).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
