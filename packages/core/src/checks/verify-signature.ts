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
  return {
    async verify({ algorithm, publicKey, signature, data }) {
      const scheme = signatureScheme(algorithm);
      if (scheme === undefined) return undefined;
      const hash = scheme.hash === undefined ? undefined : WEBCRYPTO_HASHES[scheme.hash];
      let importAlg: WebCryptoAlgorithm;
      let verifyAlg: WebCryptoAlgorithm;
      // Copies: WebCrypto takes ArrayBuffer-backed views, and these are views into the DER.
      let sig = new Uint8Array(signature);
      switch (scheme.key) {
        case 'rsa':
          if (hash === undefined) return undefined;
          importAlg = { name: 'RSASSA-PKCS1-v1_5', hash };
          verifyAlg = { name: 'RSASSA-PKCS1-v1_5' };
          break;
        case 'rsa-pss':
          if (hash === undefined) return undefined;
          importAlg = { name: 'RSA-PSS', hash };
          verifyAlg = { name: 'RSA-PSS', saltLength: scheme.saltLength ?? 20 };
          break;
        case 'ec': {
          // Stryker disable next-line ConditionalExpression: FIELD_BYTES[undefined] is undefined as well
          const size = publicKey.curve === undefined ? undefined : FIELD_BYTES[publicKey.curve];
          if (size === undefined || hash === undefined) return undefined;
          const raw = ecdsaRaw(signature, size);
          if (raw === undefined) return false;
          sig = raw;
          importAlg = { name: 'ECDSA', namedCurve: publicKey.curve };
          verifyAlg = { name: 'ECDSA', hash };
          break;
        }
        case 'ed25519':
          importAlg = verifyAlg = { name: 'Ed25519' };
          break;
        case 'ed448':
          importAlg = verifyAlg = { name: 'Ed448' };
          break;
        default:
          return undefined;
      }
      let key: unknown;
      try {
        key = await subtle.importKey('spki', new Uint8Array(publicKey.spki), importAlg, false, ['verify']);
      } catch {
        return undefined;
      }
      try {
        return await subtle.verify(verifyAlg, key as never, sig, new Uint8Array(data));
      } catch {
        return false;
      }
    },
  };
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
