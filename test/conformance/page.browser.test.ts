// The conformance suite in a Chromium page (vitest browser mode): results must equal
// expected.json exactly, with the page's own WebCrypto verifying the self-signatures.

import { describe, expect, it } from 'vitest';
import { createWebCryptoVerifier, type SubtleCryptoLike } from '@graph-mtls/core';
import { runConformance, type ConformanceFixtures } from './suite.ts';
import fixtures from './fixtures.json' with { type: 'json' };
import expected from './expected.json' with { type: 'json' };

describe('conformance (Chromium page)', () => {
  it('gives exactly the expected results in a Chromium page', async () => {
    // Really a browser page, not Node: Chromium's user agent, a DOM, and no Node `process`
    // (at most a bundler shim without `versions.node`).
    expect(navigator.userAgent).toMatch(/HeadlessChrome\/|Chrome\//);
    expect(typeof document).toBe('object');
    const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
    expect(proc?.versions?.node).toBeUndefined();

    const verifier = createWebCryptoVerifier(crypto.subtle as unknown as SubtleCryptoLike);
    const input = fixtures as unknown as ConformanceFixtures;
    expect(input.certificates.length).toBeGreaterThan(30);
    expect(await runConformance(input, verifier)).toEqual(expected);
  });
});
