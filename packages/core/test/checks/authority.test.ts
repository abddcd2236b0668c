// Root or intermediate (checks/authority.ts: RFC 5280 §3.2, §6.1): self-issued by names and key
// identifiers, and self-signatures verified through WebCrypto for every key type.

import { describe, expect, it } from 'vitest';
import { classifyAuthority, isRoot, isSelfIssued, presumeSelfSigned, verifySelfSignature, verifySelfSignatures } from '../../src/checks/authority.ts';
import { createWebCryptoVerifier, type SignatureVerifier, type SubtleCryptoLike } from '../../src/checks/verify-signature.ts';
import { InputError } from '../../src/errors.ts';
import { parseCertificate, type Certificate } from '../../src/x509/certificate.ts';
import {
  getKey,
  makeIntermediateCa,
  makeRootCa,
  type CertificateOptions,
  type GeneratedCertificate,
  type HashName,
  type KeyKind,
} from '@graph-mtls/test/fixtures/certificates.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';

const NOT_BEFORE = new Date(Date.UTC(2024, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2034, 0, 1));
const CRL_URL = 'http://crl.example.test/ca.crl';

const verifier = createWebCryptoVerifier(globalThis.crypto.subtle);

function root(opts: CertificateOptions = {}): Promise<GeneratedCertificate> {
  return makeRootCa({ key: 'p256', notBefore: NOT_BEFORE, notAfter: NOT_AFTER, crlDistributionPoints: [CRL_URL], ...opts });
}

function parse(t: GeneratedCertificate | Uint8Array): Certificate {
  return parseCertificate(t instanceof Uint8Array ? t : t.der);
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('indexOfBytes: not found');
}

describe('presumeSelfSigned: without a verifier, names and key identifiers decide', () => {
  it('same name and AKI == SKI', async () => {
    const cert = parse(await root());
    expect(cert.authorityKeyIdentifier?.keyIdentifier).toEqual(cert.subjectKeyIdentifier);
    expect(presumeSelfSigned(cert)).toBe(true);
  });

  it('same name and no AKI', async () => {
    expect(presumeSelfSigned(parse(await root({ authorityKeyIdentifier: 'omit' })))).toBe(true);
    expect(presumeSelfSigned(parse(await root({ authorityKeyIdentifier: 'omit', subjectKeyIdentifier: 'omit' })))).toBe(true);
  });

  it('same name and an AKI without keyIdentifier', async () => {
    const cert = await root({ authorityKeyIdentifier: { serialNumber: Uint8Array.of(1) } });
    expect(presumeSelfSigned(parse(cert))).toBe(true);
  });

  it('same name but AKI != SKI (what a key-rollover certificate looks like) is self-issued, not presumed self-signed', async () => {
    const cert = parse(await root({ authorityKeyIdentifier: Uint8Array.of(9, 9, 9, 9) }));
    expect([isSelfIssued(cert), presumeSelfSigned(cert), isRoot(cert)]).toEqual([true, false, false]);
  });

  it('same name, AKI but no SKI to compare with, is self-issued, not presumed self-signed', async () => {
    const cert = parse(await root({ subjectKeyIdentifier: 'omit', authorityKeyIdentifier: Uint8Array.of(9, 9) }));
    expect([isSelfIssued(cert), presumeSelfSigned(cert)]).toEqual([true, false]);
  });

  it('different subject and issuer', async () => {
    const r = await root();
    expect(presumeSelfSigned(parse(await makeIntermediateCa(r, { key: 'p256' })))).toBe(false);
    expect(presumeSelfSigned(parse(await root({ issuerName: 'CN=Someone Else' })))).toBe(false);
  });

  it('names equal under RFC 4517 matching but encoded differently', async () => {
    const cert = await root({
      subject: [['C', 'US'], ['CN', 'Example  Root CA', 'utf8']],
      issuerName: [['C', 'us'], ['CN', 'example root ca', 'printable']],
      authorityKeyIdentifier: 'omit',
    });
    const parsed = parse(cert);
    expect(parsed.subject.der).not.toEqual(parsed.issuer.der);
    expect(presumeSelfSigned(parsed)).toBe(true);
  });

  it('a malformed AKI leaves the names to decide', async () => {
    const cert = await root({ authorityKeyIdentifier: 'omit', extensions: [{ oid: d.OIDS.authorityKeyIdentifier, value: d.octet(Uint8Array.of(1)) }] });
    expect(presumeSelfSigned(parse(cert))).toBe(true);
  });

  it('a malformed SKI beside a good AKI leaves the names to decide', async () => {
    const cert = parse(await root({ subjectKeyIdentifier: 'omit', authorityKeyIdentifier: Uint8Array.of(9, 9), extensions: [{ oid: d.OIDS.subjectKeyIdentifier, value: d.int(5) }] }));
    expect(cert.authorityKeyIdentifier?.keyIdentifier).toEqual(Uint8Array.of(9, 9));
    expect(() => cert.subjectKeyIdentifier).toThrow(InputError);
    expect(presumeSelfSigned(cert)).toBe(true);
  });
});

interface KeyCase {
  readonly name: string;
  readonly key: KeyKind;
  readonly hash?: HashName;
  readonly pss?: boolean | { readonly saltLength: number };
}

const KEY_CASES: readonly KeyCase[] = [
  { name: 'RSA PKCS#1 v1.5 SHA-256', key: 'rsa2048', hash: 'SHA-256' },
  { name: 'RSA PKCS#1 v1.5 SHA-384', key: 'rsa2048', hash: 'SHA-384' },
  { name: 'RSA PKCS#1 v1.5 SHA-512', key: 'rsa3072', hash: 'SHA-512' },
  { name: 'RSA PKCS#1 v1.5 SHA-1', key: 'rsa2048', hash: 'SHA-1' },
  { name: 'RSA-PSS SHA-256 (salt 32)', key: 'rsa2048', hash: 'SHA-256', pss: true },
  { name: 'RSA-PSS SHA-384 (salt 48)', key: 'rsa2048', hash: 'SHA-384', pss: true },
  { name: 'RSA-PSS SHA-512 (salt 64)', key: 'rsa4096', hash: 'SHA-512', pss: true },
  { name: 'RSA-PSS SHA-256 (default salt 20)', key: 'rsa2048', hash: 'SHA-256', pss: { saltLength: 20 } },
  { name: 'RSA-PSS SHA-1 (all defaults)', key: 'rsa2048', hash: 'SHA-1', pss: true },
  { name: 'ECDSA P-256 SHA-256', key: 'p256' },
  { name: 'ECDSA P-256 SHA-384', key: 'p256', hash: 'SHA-384' },
  { name: 'ECDSA P-384 SHA-384', key: 'p384' },
  { name: 'ECDSA P-521 SHA-512', key: 'p521' },
  { name: 'ECDSA P-521 SHA-256', key: 'p521', hash: 'SHA-256' },
  { name: 'Ed25519', key: 'ed25519' },
  { name: 'Ed448', key: 'ed448' },
];

function rootFor(c: KeyCase): Promise<GeneratedCertificate> {
  return root({ key: c.key, ...(c.hash ? { signatureHash: c.hash } : {}), ...(c.pss ? { rsaPss: c.pss } : {}) });
}

describe('isRoot: the self-signature decides when it was verified', () => {
  it('valid means root even when the AKI differs from the SKI; invalid means intermediate even without an AKI', async () => {
    const odd = parse(await root({ authorityKeyIdentifier: Uint8Array.of(9, 9, 9, 9) }));
    expect([isRoot(odd, 'valid'), isRoot(odd, 'not-verified')]).toEqual([true, false]);
    const plain = parse(await root({ authorityKeyIdentifier: 'omit' }));
    expect([isRoot(plain, 'invalid'), isRoot(plain, 'not-verified'), isRoot(plain)]).toEqual([false, true, true]);
  });

  it('a certificate that is not self-issued is never a root', async () => {
    const r = await root();
    const inter = parse(await makeIntermediateCa(r, { key: 'p256' }));
    expect([isRoot(inter, 'valid'), isRoot(inter, 'not-verified')]).toEqual([false, false]);
  });

  it('verifySelfSignatures checks only self-issued certificates, once per SHA-256', async () => {
    const r = await root();
    const inter = await makeIntermediateCa(r, { key: 'p256' });
    const altered = d.tamperSignature(r.der);
    const calls: unknown[] = [];
    const counting: SignatureVerifier = { verify: (input) => (calls.push(input), verifier.verify(input)) };
    const map = await verifySelfSignatures([parse(r), parse(r), parse(inter), parse(altered)], counting);
    expect([...map.values()]).toEqual(['valid', 'invalid']);
    expect(map.get(parse(r).sha256)).toBe('valid');
    expect(calls).toHaveLength(2);
  });
});

describe('classifyAuthority with createWebCryptoVerifier(crypto.subtle)', () => {
  it.each(KEY_CASES.map((c) => [c.name, c] as const))('%s: a real self-signed root is valid', async (_name, c) => {
    const cert = parse(await rootFor(c));
    expect(await classifyAuthority(cert, verifier)).toEqual({ selfIssued: true, selfSignature: 'valid', isRootAuthority: true });
  });

  it.each(KEY_CASES.map((c) => [c.name, c] as const))('%s: an altered signature is invalid', async (_name, c) => {
    const cert = parse(d.tamperSignature((await rootFor(c)).der));
    expect(await classifyAuthority(cert, verifier)).toEqual({ selfIssued: true, selfSignature: 'invalid', isRootAuthority: false });
  });

  it.each(KEY_CASES.map((c) => [c.name, c] as const))('%s: without a verifier it is not verified, and still a root', async (_name, c) => {
    const cert = parse(d.tamperSignature((await rootFor(c)).der));
    expect(await classifyAuthority(cert)).toEqual({ selfIssued: true, selfSignature: 'not-verified', isRootAuthority: true });
    expect(await verifySelfSignature(cert, undefined)).toBe('not-verified');
  });

  it('a self-issued certificate signed by another key is invalid', async () => {
    const other = await getKey('p256', 1);
    const cert = parse(await root({ signingKey: other, authorityKeyIdentifier: 'omit' }));
    expect(await classifyAuthority(cert, verifier)).toEqual({ selfIssued: true, selfSignature: 'invalid', isRootAuthority: false });
  });

  it('an altered TBS (same signature) is invalid', async () => {
    const der = Uint8Array.from((await root()).der);
    const serial = parse(der).serialNumber;
    // Flip a bit in the middle of the serial number, which stays a positive DER INTEGER.
    const at = indexOfBytes(der, serial) + 5;
    der[at]! ^= 0x01;
    expect(await classifyAuthority(parse(der), verifier)).toMatchObject({ selfSignature: 'invalid', isRootAuthority: false });
  });

  it('an ECDSA signature that is not an Ecdsa-Sig-Value is invalid', async () => {
    const r = await root();
    const [tbs, alg] = d.children(r.der);
    const cert = parse(d.seq(tbs!, alg!, d.bits(Uint8Array.of(1, 2, 3, 4))));
    expect((await classifyAuthority(cert, verifier)).selfSignature).toBe('invalid');
  });

  it('an intermediate is not self-issued, so its signature is not checked', async () => {
    const r = await root();
    const i = await makeIntermediateCa(r, { key: 'p256' });
    expect(await classifyAuthority(parse(i), verifier)).toEqual({ selfIssued: false, selfSignature: 'not-verified', isRootAuthority: false });
    expect(await classifyAuthority(parse(d.tamperSignature(i.der)), verifier)).toEqual({ selfIssued: false, selfSignature: 'not-verified', isRootAuthority: false });
  });

  it('a secp256k1 root cannot be checked by WebCrypto: not verified', async () => {
    const cert = parse(await root({ key: 'secp256k1' }));
    expect(await classifyAuthority(cert, verifier)).toEqual({ selfIssued: true, selfSignature: 'not-verified', isRootAuthority: true });
  });

  it('an md5WithRSAEncryption root is not verified', async () => {
    const key = await getKey('rsa2048');
    const md5 = d.algId('1.2.840.113549.1.1.4', null);
    const der = d.buildCertificate({ signingKey: key.privateKey, signatureAlgorithm: md5, sign: { outerAlgorithm: md5, signature: new Uint8Array(256).fill(1) } });
    expect((await classifyAuthority(parse(der), verifier)).selfSignature).toBe('not-verified');
  });

  it('an unknown signature algorithm is not verified', async () => {
    const key = await getKey('p256');
    const alg = d.algId('1.3.6.1.4.1.99999.1');
    const der = d.buildCertificate({ signingKey: key.privateKey, signatureAlgorithm: alg, sign: { outerAlgorithm: alg } });
    expect((await classifyAuthority(parse(der), verifier)).selfSignature).toBe('not-verified');
  });

  it('a verifier that throws or answers undefined gives not-verified', async () => {
    const cert = parse(await root());
    const throwing: SignatureVerifier = { verify: () => Promise.reject(new Error('boom')) };
    const unsure: SignatureVerifier = { verify: () => Promise.resolve(undefined) };
    expect(await verifySelfSignature(cert, throwing)).toBe('not-verified');
    expect(await verifySelfSignature(cert, unsure)).toBe('not-verified');
    expect((await classifyAuthority(cert, throwing)).isRootAuthority).toBe(true);
  });

  it('a SubtleCrypto whose importKey fails gives not-verified; whose verify throws gives invalid', async () => {
    const cert = parse(await root());
    const noImport: SubtleCryptoLike = { importKey: () => Promise.reject(new Error('unsupported')), verify: () => Promise.resolve(true) };
    const badVerify: SubtleCryptoLike = { importKey: () => Promise.resolve({}), verify: () => Promise.reject(new Error('bad')) };
    expect(await verifySelfSignature(cert, createWebCryptoVerifier(noImport))).toBe('not-verified');
    expect(await verifySelfSignature(cert, createWebCryptoVerifier(badVerify))).toBe('invalid');
  });

  it('passes the key, the raw r||s signature and the TBS bytes to SubtleCrypto', async () => {
    const cert = parse(await root({ key: 'p384' }));
    const calls: { importAlg: object; verifyAlg: object; sig: Uint8Array; data: Uint8Array }[] = [];
    let importAlg: object = {};
    const spy: SubtleCryptoLike = {
      importKey: (_format, _key, algorithm) => {
        importAlg = algorithm;
        return Promise.resolve({});
      },
      verify: (algorithm, _key, signature, data) => {
        calls.push({ importAlg, verifyAlg: algorithm, sig: signature, data });
        return Promise.resolve(true);
      },
    };
    expect(await verifySelfSignature(cert, createWebCryptoVerifier(spy))).toBe('valid');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.importAlg).toEqual({ name: 'ECDSA', namedCurve: 'P-384' });
    expect(calls[0]!.verifyAlg).toEqual({ name: 'ECDSA', hash: 'SHA-384' });
    expect(calls[0]!.sig.length).toBe(96);
    expect(calls[0]!.data).toEqual(cert.tbs);
  });
});

function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  expect(at).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split('\n').length;
}
