// The signature verifier of a lint run: WebCrypto (node:crypto's), with imported public keys
// kept by their SPKI bytes and algorithm, so a root that appears in thousands of files or
// bundle blocks is imported once per thread (importing a key costs more than verifying with
// it). The results are those of WebCrypto itself: same key, same algorithm, same answer.

import { webcrypto } from 'node:crypto';
import { createWebCryptoVerifier, type SignatureVerifier, type SubtleCryptoLike } from '@graph-mtls/core';

/** Keys kept at most (the oldest goes first). */
const KEYS = 512;

export function createVerifier(subtle: SubtleCryptoLike = webcrypto.subtle as unknown as SubtleCryptoLike): SignatureVerifier {
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
