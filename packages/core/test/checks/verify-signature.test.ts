// createWebCryptoVerifier (checks/verify-signature.ts), scheme by scheme (issue 12): what it asks
// SubtleCrypto for (a recording stand-in), which schemes it declines (undefined: not verified),
// how an ECDSA-Sig-Value becomes r||s, and real WebCrypto answers for good and altered signatures.

import { describe, expect, it } from 'vitest';
import { createWebCryptoVerifier, type SubtleCryptoLike, type VerifyInput, type WebCryptoAlgorithm } from '../../src/checks/verify-signature.ts';
import { DerReader } from '../../src/encoding/der.ts';
import { decodeAlgorithmIdentifier, type AlgorithmIdentifier } from '../../src/x509/algorithm.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import type { PublicKeyInfo } from '../../src/x509/public-key.ts';
import { getKey, makeRootCa, type KeyKind } from '@graph-mtls/test/fixtures/certificates.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';

const real = createWebCryptoVerifier(globalThis.crypto.subtle);

function alg(der: Uint8Array): AlgorithmIdentifier {
  return decodeAlgorithmIdentifier(new DerReader(der), 'algorithm');
}

async function publicKey(kind: KeyKind): Promise<PublicKeyInfo> {
  const key = await getKey(kind);
  return parseCertificate(d.buildCertificate({ signingKey: key.privateKey })).publicKey;
}

interface Call {
  readonly importAlg: WebCryptoAlgorithm;
  readonly spki: Uint8Array;
  readonly verifyAlg?: WebCryptoAlgorithm;
  readonly signature?: Uint8Array;
  readonly data?: Uint8Array;
}

/** A SubtleCrypto stand-in that records what it is asked and answers `answer`. */
function recorder(answer: boolean | 'import-fails' | 'verify-throws' = true): { subtle: SubtleCryptoLike; calls: Call[] } {
  const calls: Call[] = [];
  const subtle: SubtleCryptoLike = {
    importKey(format, keyData, algorithm, extractable, usages) {
      expect([format, extractable, usages]).toEqual(['spki', false, ['verify']]);
      calls.push({ importAlg: algorithm, spki: keyData });
      return answer === 'import-fails' ? Promise.reject(new Error('unsupported')) : Promise.resolve({ token: 'key' });
    },
    verify(algorithm, key, signature, data) {
      expect(key).toEqual({ token: 'key' });
      Object.assign(calls[calls.length - 1]!, { verifyAlg: algorithm, signature, data });
      return answer === 'verify-throws' ? Promise.reject(new Error('bad')) : Promise.resolve(answer === true);
    },
  };
  return { subtle, calls };
}

const DATA = Uint8Array.of(1, 2, 3, 4, 5);
const SIG = Uint8Array.of(9, 8, 7);
/** An ECDSA-Sig-Value with small r and s. */
const ECDSA_SIG = d.seq(d.int(0x0102), d.int(0x03));

describe('what each scheme asks SubtleCrypto for', () => {
  const RSA = (oid: string): Uint8Array => d.algId(oid, null);
  const cases: readonly (readonly [string, KeyKind, Uint8Array, WebCryptoAlgorithm, WebCryptoAlgorithm])[] = [
    ['sha1WithRSAEncryption', 'rsa2048', RSA(d.OIDS.sha1WithRSAEncryption), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }, { name: 'RSASSA-PKCS1-v1_5' }],
    ['sha256WithRSAEncryption', 'rsa2048', RSA(d.OIDS.sha256WithRSAEncryption), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }],
    ['sha384WithRSAEncryption', 'rsa2048', RSA(d.OIDS.sha384WithRSAEncryption), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, { name: 'RSASSA-PKCS1-v1_5' }],
    ['sha512WithRSAEncryption', 'rsa2048', RSA(d.OIDS.sha512WithRSAEncryption), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, { name: 'RSASSA-PKCS1-v1_5' }],
    ['RSASSA-PSS, default parameters', 'rsa2048', d.algId(d.OIDS.rsassaPss, d.seq()), { name: 'RSA-PSS', hash: 'SHA-1' }, { name: 'RSA-PSS', saltLength: 20 }],
    ['RSASSA-PSS, SHA-256, salt 32', 'rsa2048', d.algId(d.OIDS.rsassaPss, d.pssParams('SHA-256')), { name: 'RSA-PSS', hash: 'SHA-256' }, { name: 'RSA-PSS', saltLength: 32 }],
    ['RSASSA-PSS, SHA-384, salt 7', 'rsa2048', d.algId(d.OIDS.rsassaPss, d.pssParams('SHA-384', 7)), { name: 'RSA-PSS', hash: 'SHA-384' }, { name: 'RSA-PSS', saltLength: 7 }],
    ['Ed25519', 'ed25519', d.algId(d.OIDS.ed25519), { name: 'Ed25519' }, { name: 'Ed25519' }],
    ['Ed448', 'ed448', d.algId(d.OIDS.ed448), { name: 'Ed448' }, { name: 'Ed448' }],
  ];

  it.each(cases)('%s', async (_name, kind, algorithm, importAlg, verifyAlg) => {
    const { subtle, calls } = recorder();
    const key = await publicKey(kind);
    expect(await createWebCryptoVerifier(subtle).verify({ algorithm: alg(algorithm), publicKey: key, signature: SIG, data: DATA })).toBe(true);
    expect(calls).toEqual([{ importAlg, spki: key.spki, verifyAlg, signature: SIG, data: DATA }]);
    // Views of an ArrayBuffer go as they are (WebCrypto copies what it is given): no copy per call.
    expect(calls[0]!.spki).toBe(key.spki);
    expect(calls[0]!.signature).toBe(SIG);
    expect(calls[0]!.data).toBe(DATA);
  });

  it('copies bytes over a SharedArrayBuffer, which WebCrypto refuses, into their own ArrayBuffer', async () => {
    const { subtle, calls } = recorder();
    const key = await publicKey('rsa2048');
    const shared = (bytes: Uint8Array): Uint8Array => {
      const view = new Uint8Array(new SharedArrayBuffer(bytes.length));
      view.set(bytes);
      return view;
    };
    const data = shared(DATA);
    const signature = shared(SIG);
    expect(await createWebCryptoVerifier(subtle).verify({ algorithm: alg(RSA(d.OIDS.sha256WithRSAEncryption)), publicKey: key, signature, data })).toBe(true);
    expect(calls[0]!.data).toEqual(DATA);
    expect(calls[0]!.data!.buffer).toBeInstanceOf(ArrayBuffer);
    expect(calls[0]!.signature).toEqual(SIG);
    expect(calls[0]!.signature!.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('imports a key once per public key and algorithm, for every signature it verifies', async () => {
    const { subtle, calls } = recorder();
    const imports: WebCryptoAlgorithm[] = [];
    const counting: SubtleCryptoLike = { ...subtle, importKey: (...args) => (imports.push(args[2]), subtle.importKey(...args)) };
    const verifier = createWebCryptoVerifier(counting);
    const key = await publicKey('rsa2048');
    const other = await publicKey('p256');
    for (let i = 0; i < 3; i++) expect(await verifier.verify({ algorithm: alg(RSA(d.OIDS.sha256WithRSAEncryption)), publicKey: key, signature: SIG, data: DATA })).toBe(true);
    expect(await verifier.verify({ algorithm: alg(RSA(d.OIDS.sha384WithRSAEncryption)), publicKey: key, signature: SIG, data: DATA })).toBe(true);
    await verifier.verify({ algorithm: alg(d.algId(d.OIDS.ecdsaWithSha256)), publicKey: other, signature: ECDSA_SIG, data: DATA });
    expect(imports).toEqual([{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, { name: 'ECDSA', namedCurve: 'P-256' }]);
    expect(calls).toHaveLength(3);
    // Another verifier imports again: nothing is shared between verifiers.
    await createWebCryptoVerifier(counting).verify({ algorithm: alg(RSA(d.OIDS.sha256WithRSAEncryption)), publicKey: key, signature: SIG, data: DATA });
    expect(imports).toHaveLength(4);
  });

  it.each([
    ['P-256', 'p256', d.OIDS.ecdsaWithSha256, 'SHA-256', 32],
    ['P-384', 'p384', d.OIDS.ecdsaWithSha384, 'SHA-384', 48],
    ['P-521', 'p521', d.OIDS.ecdsaWithSha512, 'SHA-512', 66],
    ['P-256', 'p256', d.OIDS.ecdsaWithSha1, 'SHA-1', 32],
  ] as const)('ECDSA on %s (%s, %s, %s): the curve, the hash and r||s of the field size', async (curve, kind, oid, hash, size) => {
    const { subtle, calls } = recorder(false);
    const key = await publicKey(kind);
    expect(await createWebCryptoVerifier(subtle).verify({ algorithm: alg(d.algId(oid)), publicKey: key, signature: ECDSA_SIG, data: DATA })).toBe(false);
    const raw = new Uint8Array(2 * size);
    raw[size - 2] = 0x01;
    raw[size - 1] = 0x02;
    raw[2 * size - 1] = 0x03;
    expect(calls).toEqual([{ importAlg: { name: 'ECDSA', namedCurve: curve }, spki: key.spki, verifyAlg: { name: 'ECDSA', hash }, signature: raw, data: DATA }]);
  });
});

describe('schemes the verifier declines (undefined, SubtleCrypto never asked)', () => {
  it.each([
    ['md2WithRSAEncryption', 'rsa2048', d.algId('1.2.840.113549.1.1.2', null)],
    ['md5WithRSAEncryption', 'rsa2048', d.algId('1.2.840.113549.1.1.4', null)],
    ['sha224WithRSAEncryption', 'rsa2048', d.algId('1.2.840.113549.1.1.14', null)],
    ['RSASSA-PSS with SHA-224', 'rsa2048', d.algId(d.OIDS.rsassaPss, d.seq(d.explicit(0, d.algId('2.16.840.1.101.3.4.2.4', null))))],
    ['RSASSA-PSS with an unknown hash', 'rsa2048', d.algId(d.OIDS.rsassaPss, d.seq(d.explicit(0, d.algId('1.3.6.1.4.1.99999.3', null))))],
    ['ecdsaWithSHA224', 'p256', d.algId('1.2.840.10045.4.3.1')],
    ['ECDSA on secp256k1 (WebCrypto has no such curve)', 'secp256k1', d.algId(d.OIDS.ecdsaWithSha256)],
    ['ECDSA with an RSA key (no curve)', 'rsa2048', d.algId(d.OIDS.ecdsaWithSha256)],
    ['dsaWithSHA256', 'rsa2048', d.algId('2.16.840.1.101.3.4.3.2')],
    ['dsaWithSHA1', 'rsa2048', d.algId('1.2.840.10040.4.3')],
    ['an unknown algorithm', 'p256', d.algId('1.3.6.1.4.1.99999.1')],
  ] as const)('%s', async (_name, kind, algorithm) => {
    const { subtle, calls } = recorder();
    const input: VerifyInput = { algorithm: alg(algorithm), publicKey: await publicKey(kind), signature: ECDSA_SIG, data: DATA };
    expect(await createWebCryptoVerifier(subtle).verify(input)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('a key WebCrypto will not import: undefined; a verify that throws: false', async () => {
    const input: VerifyInput = { algorithm: alg(d.algId(d.OIDS.ed25519)), publicKey: await publicKey('ed25519'), signature: SIG, data: DATA };
    expect(await createWebCryptoVerifier(recorder('import-fails').subtle).verify(input)).toBeUndefined();
    expect(await createWebCryptoVerifier(recorder('verify-throws').subtle).verify(input)).toBe(false);
  });
});

describe('ECDSA-Sig-Value to r||s', () => {
  const P256 = alg(d.algId(d.OIDS.ecdsaWithSha256));
  async function convert(signature: Uint8Array): Promise<{ result: boolean | undefined; raw: Uint8Array | undefined }> {
    const { subtle, calls } = recorder();
    const result = await createWebCryptoVerifier(subtle).verify({ algorithm: P256, publicKey: await publicKey('p256'), signature, data: DATA });
    return { result, raw: calls[0]?.signature };
  }
  const n = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

  it('a 32-byte r with its sign octet and a 1-byte s fill their halves right-aligned', async () => {
    const r = d.concat(Uint8Array.of(0), n(32, 0xff));
    const { result, raw } = await convert(d.seq(d.tlv(0x02, r), d.int(5)));
    expect(result).toBe(true);
    expect(raw).toEqual(d.concat(n(32, 0xff), n(31, 0), Uint8Array.of(5)));
  });

  it('r and s of zero', async () => {
    expect((await convert(d.seq(d.int(0), d.int(0)))).raw).toEqual(n(64, 0));
  });

  it.each([
    ['a negative r', d.seq(d.tlv(0x02, Uint8Array.of(0x80, 1)), d.int(1))],
    ['a negative s', d.seq(d.int(1), d.tlv(0x02, Uint8Array.of(0xff)))],
    ['an r longer than the field', d.seq(d.tlv(0x02, d.concat(Uint8Array.of(0x01), n(32, 0))), d.int(1))],
    ['an s longer than the field', d.seq(d.int(1), d.tlv(0x02, d.concat(Uint8Array.of(0x7f), n(32, 0))))],
    ['a third INTEGER', d.seq(d.int(1), d.int(2), d.int(3))],
    ['only r', d.seq(d.int(1))],
    ['bytes after the SEQUENCE', d.concat(d.seq(d.int(1), d.int(2)), Uint8Array.of(0))],
    ['an OCTET STRING for s', d.seq(d.int(1), d.octet(Uint8Array.of(2)))],
    ['no SEQUENCE at all', d.int(1)],
    ['nothing', new Uint8Array(0)],
  ])('%s is a bad signature (false), without asking SubtleCrypto', async (_name, signature) => {
    expect(await convert(signature)).toEqual({ result: false, raw: undefined });
  });
});

describe('with real WebCrypto', () => {
  it.each(['p256', 'p384', 'p521', 'rsa2048', 'ed25519', 'ed448'] as const)('a %s self-signature verifies, an altered one does not', async (kind) => {
    const root = await makeRootCa({ key: kind });
    const cert = parseCertificate(root.der);
    const input = { algorithm: cert.signatureAlgorithm, publicKey: cert.publicKey, signature: cert.signature, data: cert.tbs };
    expect(await real.verify(input)).toBe(true);
    expect(await real.verify({ ...input, data: d.concat(cert.tbs, Uint8Array.of(0)) })).toBe(false);
  });

  it('RSASSA-PSS with SHA-256 and with the SHA-1 default', async () => {
    for (const signatureHash of ['SHA-256', 'SHA-1'] as const) {
      const cert = parseCertificate((await makeRootCa({ key: 'rsa2048', rsaPss: true, signatureHash })).der);
      expect(await real.verify({ algorithm: cert.signatureAlgorithm, publicKey: cert.publicKey, signature: cert.signature, data: cert.tbs }), signatureHash).toBe(true);
    }
  });
});
