// Signature verification through an injected WebCrypto-style verifier, so the core stays free
// of globals: pass `globalThis.crypto.subtle` where it exists (Node, browsers, workers); where
// none exists (QuickJS) results say "not verified" instead of failing. Covers RSASSA-PKCS1-v1_5,
// RSASSA-PSS (RFC 4055), ECDSA P-256/P-384/P-521 (RFC 5758; DER signatures converted to the
// raw r||s WebCrypto expects) and Ed25519/Ed448 (RFC 8410).

import { DerReader, TAG_INTEGER, TAG_SEQUENCE } from '../encoding/der.ts';
import { signatureScheme } from '../x509/algorithm.ts';
import type { AlgorithmIdentifier, SignatureScheme } from '../x509/algorithm.ts';
import type { PublicKeyInfo } from '../x509/public-key.ts';

/** What a signature check needs: the algorithm, the signer's public key, the signature and the signed bytes. */
export interface VerifyInput {
  readonly algorithm: AlgorithmIdentifier;
  readonly publicKey: PublicKeyInfo;
  readonly signature: Uint8Array;
  readonly data: Uint8Array;
}

/** Resolves true or false, or undefined when the algorithm or key cannot be checked here. */
export interface SignatureVerifier {
  verify(input: VerifyInput): Promise<boolean | undefined>;
}

export interface WebCryptoAlgorithm {
  readonly name: string;
  readonly [parameter: string]: unknown;
}

/** The part of WebCrypto's SubtleCrypto the verifier uses (`crypto.subtle` satisfies it). */
export interface SubtleCryptoLike {
  importKey(format: 'spki', keyData: Uint8Array<ArrayBuffer>, algorithm: WebCryptoAlgorithm, extractable: false, usages: ['verify']): Promise<unknown>;
  verify(algorithm: WebCryptoAlgorithm, key: never, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean>;
}

const FIELD_BYTES: Record<string, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };
/** The digests WebCrypto defines; MD2, MD5 and SHA-224 are never verified (a runtime might still accept them). */
const WEBCRYPTO_HASHES: Partial<Record<NonNullable<SignatureScheme['hash']>, string>> = { 'SHA-1': 'SHA-1', 'SHA-256': 'SHA-256', 'SHA-384': 'SHA-384', 'SHA-512': 'SHA-512' };

/**
 * A SignatureVerifier over WebCrypto's SubtleCrypto: RSA PKCS#1 v1.5 and PSS, ECDSA on P-256,
 * P-384 and P-521, Ed25519 and Ed448. MD2, MD5 and SHA-224 are never verified (undefined).
 * @example
 * const report = await lint(pemText, { now: new Date(), verifier: createWebCryptoVerifier(crypto.subtle) });
 */
export function createWebCryptoVerifier(subtle: SubtleCryptoLike): SignatureVerifier {
  // Keys imported once per public key and algorithm: a CA's key verifies every certificate it
  // issued, and importKey costs more than a verification in some browsers.
  const keys = new WeakMap<PublicKeyInfo, Map<WebCryptoAlgorithm, Promise<unknown>>>();
  const importKey = (publicKey: PublicKeyInfo, algorithm: WebCryptoAlgorithm): Promise<unknown> => {
    let byAlgorithm = keys.get(publicKey);
    if (byAlgorithm === undefined) keys.set(publicKey, (byAlgorithm = new Map()));
    let key = byAlgorithm.get(algorithm);
    if (key === undefined) {
      key = subtle.importKey('spki', arrayBufferView(publicKey.spki), algorithm, false, ['verify']);
      key.catch(() => undefined); // awaited by each caller
      byAlgorithm.set(algorithm, key);
    }
    return key;
  };
  return {
    async verify({ algorithm, publicKey, signature, data }) {
      const scheme = signatureScheme(algorithm);
      if (scheme === undefined) return undefined;
      const hash = scheme.hash === undefined ? undefined : WEBCRYPTO_HASHES[scheme.hash];
      let importAlg: WebCryptoAlgorithm;
      let verifyAlg: WebCryptoAlgorithm;
      let sig = arrayBufferView(signature);
      switch (scheme.key) {
        case 'rsa':
          if (hash === undefined) return undefined;
          importAlg = RSA_IMPORT[hash]!;
          verifyAlg = RSA_VERIFY;
          break;
        case 'rsa-pss':
          if (hash === undefined) return undefined;
          importAlg = PSS_IMPORT[hash]!;
          verifyAlg = { name: 'RSA-PSS', saltLength: scheme.saltLength ?? 20 };
          break;
        case 'ec': {
          // Stryker disable next-line ConditionalExpression: FIELD_BYTES[undefined] is undefined as well
          const size = publicKey.curve === undefined ? undefined : FIELD_BYTES[publicKey.curve];
          if (size === undefined || hash === undefined) return undefined;
          const raw = ecdsaRaw(signature, size);
          if (raw === undefined) return false;
          sig = raw;
          importAlg = EC_IMPORT[publicKey.curve!]!;
          verifyAlg = ECDSA_VERIFY[hash]!;
          break;
        }
        case 'ed25519':
          importAlg = verifyAlg = ED25519;
          break;
        case 'ed448':
          importAlg = verifyAlg = ED448;
          break;
        default:
          return undefined;
      }
      let key: unknown;
      try {
        key = await importKey(publicKey, importAlg);
      } catch {
        return undefined;
      }
      try {
        return await subtle.verify(verifyAlg, key as never, sig, arrayBufferView(data));
      } catch {
        return false;
      }
    },
  };
}

/** WebCrypto's algorithm objects, one per parameter set: the key cache finds them by identity. */
function byHash(make: (hash: string) => WebCryptoAlgorithm): Record<string, WebCryptoAlgorithm> {
  return Object.fromEntries(Object.values(WEBCRYPTO_HASHES).map((h) => [h, Object.freeze(make(h!))]));
}
const RSA_IMPORT = byHash((hash) => ({ name: 'RSASSA-PKCS1-v1_5', hash }));
const RSA_VERIFY: WebCryptoAlgorithm = Object.freeze({ name: 'RSASSA-PKCS1-v1_5' });
const PSS_IMPORT = byHash((hash) => ({ name: 'RSA-PSS', hash }));
const ECDSA_VERIFY = byHash((hash) => ({ name: 'ECDSA', hash }));
const EC_IMPORT: Record<string, WebCryptoAlgorithm> = Object.fromEntries(Object.keys(FIELD_BYTES).map((namedCurve) => [namedCurve, Object.freeze({ name: 'ECDSA', namedCurve })]));
const ED25519: WebCryptoAlgorithm = Object.freeze({ name: 'Ed25519' });
const ED448: WebCryptoAlgorithm = Object.freeze({ name: 'Ed448' });

/**
 * The bytes as WebCrypto takes them: a view of an ArrayBuffer (views into the DER are passed as
 * they are, so the same key bytes are the same object every time); a copy otherwise (a
 * SharedArrayBuffer, which WebCrypto refuses).
 */
function arrayBufferView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5758 §3.2) to r||s of `size` bytes each. */
function ecdsaRaw(der: Uint8Array, size: number): Uint8Array<ArrayBuffer> | undefined {
  try {
    const r = new DerReader(der);
    const seq = r.enter(TAG_SEQUENCE, 'ECDSA-Sig-Value');
    r.finish('ECDSA-Sig-Value');
    const out = new Uint8Array(2 * size);
    for (let i = 0; i < 2; i++) {
      seq.expect(TAG_INTEGER, 'ECDSA-Sig-Value');
      let v = seq.integerBytes('ECDSA-Sig-Value');
      if (v[0]! >= 0x80) return undefined;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: stripping a lone zero leaves the zeros out[] holds
      while (v.length > 1 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) return undefined;
      out.set(v, (i + 1) * size - v.length);
    }
    seq.finish('ECDSA-Sig-Value');
    return out;
    // Stryker disable next-line BlockStatement: an empty catch block returns undefined all the same
  } catch {
    return undefined;
  }
}
