// What node:crypto does faster than the core's pure code, injected into it: SHA-256 for
// fingerprints, and the signature verifier of a run (WebCrypto's contract answered by
// node:crypto's one-shot calls, with public keys kept by their SPKI bytes and algorithm, so a
// root that appears in thousands of files or bundle blocks is parsed once per thread). The
// results are those of the pure code and of crypto.subtle; tests compare them.

import * as nodeCrypto from 'node:crypto';
import { constants, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createWebCryptoVerifier, type Sha256, type SignatureVerifier, type SubtleCryptoLike } from '@graph-mtls/core';

/**
 * SHA-256 by OpenSSL: the same digest as the core's @noble/hashes, about 6 times faster on a
 * certificate (crypto.hash, Node 20.12 and later; createHash before).
 */
export const nodeSha256: Sha256 =
  typeof (nodeCrypto as { hash?: unknown }).hash === 'function'
    ? (data) => (nodeCrypto as unknown as { hash(algorithm: string, data: Uint8Array, encoding: 'buffer'): Buffer }).hash('sha256', data, 'buffer')
    : (data) => createHash('sha256').update(data).digest();

/** Keys kept at most (the oldest goes first). */
const KEYS = 512;

export function createVerifier(subtle: SubtleCryptoLike = nodeSubtle()): SignatureVerifier {
  const keys = new Map<string, Promise<unknown>>();
  const cached: SubtleCryptoLike = {
    importKey(format, keyData, algorithm, extractable, usages) {
      const id = `${format}|${JSON.stringify(algorithm)}|${Buffer.from(keyData.buffer, keyData.byteOffset, keyData.byteLength).toString('base64')}`;
      let key = keys.get(id);
      if (key === undefined) {
        key = subtle.importKey(format, keyData, algorithm, extractable, usages);
        key.catch(() => undefined);
        if (keys.size >= KEYS) keys.delete(keys.keys().next().value!);
        keys.set(id, key);
      }
      return key;
    },
    verify: (algorithm, key, signature, data) => subtle.verify(algorithm, key, signature, data),
  };
  return createWebCryptoVerifier(cached);
}

/**
 * WebCrypto's verify, done by node:crypto's synchronous one-shot calls: the core's verifier
 * maps algorithms and signature encodings exactly as it does for crypto.subtle, and this
 * answers each call as crypto.subtle would, without its per-call JavaScript overhead (about
 * 30 µs a verification on a small VM). Keys are parsed once per SPKI and algorithm.
 */
export function nodeSubtle(): SubtleCryptoLike {
  return {
    async importKey(_format, keyData, algorithm) {
      const key = createPublicKey({ key: Buffer.from(keyData.buffer, keyData.byteOffset, keyData.byteLength), format: 'der', type: 'spki' });
      const type = key.asymmetricKeyType;
      const ok =
        algorithm.name === 'RSASSA-PKCS1-v1_5' || algorithm.name === 'RSA-PSS' ? type === 'rsa' || type === 'rsa-pss' :
        algorithm.name === 'ECDSA' ? type === 'ec' && CURVES[algorithm['namedCurve'] as string] === key.asymmetricKeyDetails?.namedCurve :
        algorithm.name === 'Ed25519' ? type === 'ed25519' :
        algorithm.name === 'Ed448' ? type === 'ed448' :
        false;
      if (!ok) throw new Error(`${algorithm.name}: the key does not fit`);
      return { key, algorithm } satisfies NodeKey;
    },
    async verify(algorithm, handle, signature, data) {
      const { key, algorithm: imported } = handle as unknown as NodeKey;
      switch (algorithm.name) {
        case 'RSASSA-PKCS1-v1_5':
          return verify(HASHES[imported['hash'] as string] ?? null, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
        case 'RSA-PSS':
          return verify(HASHES[imported['hash'] as string] ?? null, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm['saltLength'] as number }, signature);
        case 'ECDSA':
          return verify(HASHES[algorithm['hash'] as string] ?? null, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
        default:
          return verify(null, data, key, signature);
      }
    },
  };
}

interface NodeKey {
  readonly key: KeyObject;
  readonly algorithm: { readonly name: string; readonly [parameter: string]: unknown };
}

const CURVES: Record<string, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };
const HASHES: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
