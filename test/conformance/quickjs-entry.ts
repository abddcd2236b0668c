// The conformance suite's entry inside QuickJS-WASM: strings in, strings out, so the host
// crosses the engine boundary with nothing but JSON text. No verifier: QuickJS has no WebCrypto.

import { runConformance, type ConformanceFixtures } from './suite.ts';

export async function runConformanceJson(fixturesJson: string): Promise<string> {
  return JSON.stringify(await runConformance(JSON.parse(fixturesJson) as ConformanceFixtures));
}
