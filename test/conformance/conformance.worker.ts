// The conformance suite in a dedicated Web Worker: runs once on load and posts back
// { scope, userAgent, result } (or { scope, error }); worker.browser.test.ts compares
// the result with expected.json.

import { createWebCryptoVerifier, type SubtleCryptoLike } from '@graph-mtls/core';
import { runConformance, type ConformanceFixtures } from './suite.ts';
import fixtures from './fixtures.json' with { type: 'json' };

// test/tsconfig.json has the DOM lib, not WebWorker (the two conflict): the little we use.
interface WorkerScope {
  readonly constructor: { readonly name: string };
  readonly navigator: { readonly userAgent: string };
  readonly crypto: { readonly subtle: unknown };
  postMessage(message: unknown): void;
}
const scope = self as unknown as WorkerScope;

export type ConformanceWorkerMessage =
  | { readonly scope: string; readonly userAgent: string; readonly hasDocument: boolean; readonly result: unknown }
  | { readonly scope: string; readonly error: string };

async function main(): Promise<ConformanceWorkerMessage> {
  const name = scope.constructor.name;
  try {
    const verifier = createWebCryptoVerifier(scope.crypto.subtle as SubtleCryptoLike);
    const result = await runConformance(fixtures as unknown as ConformanceFixtures, verifier);
    // A JSON round trip: exactly what crosses the boundary as text, nothing structured-cloned.
    return { scope: name, userAgent: scope.navigator.userAgent, hasDocument: typeof document !== 'undefined', result: JSON.parse(JSON.stringify(result)) as unknown };
  } catch (error) {
    return { scope: name, error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) };
  }
}

void main().then((message) => scope.postMessage(message));
