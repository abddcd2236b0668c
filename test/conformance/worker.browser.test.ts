// The conformance suite in a dedicated Web Worker started from a Chromium page: the worker
// (conformance.worker.ts) posts back its result, which must equal expected.json exactly.

import { describe, expect, it } from 'vitest';
import expected from './expected.json' with { type: 'json' };
import type { ConformanceWorkerMessage } from './conformance.worker.ts';

function runWorker(timeoutMs: number): Promise<ConformanceWorkerMessage> {
  const worker = new Worker(new URL('./conformance.worker.ts', import.meta.url), { type: 'module' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise<ConformanceWorkerMessage>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`worker gave no answer in ${timeoutMs} ms`)), timeoutMs);
    worker.onmessage = (event: MessageEvent<ConformanceWorkerMessage>) => resolve(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      reject(new Error(`worker failed: ${event.message || 'error loading or running conformance.worker.ts'}`));
    };
    worker.onmessageerror = () => reject(new Error('worker message could not be deserialized'));
  }).finally(() => {
    clearTimeout(timer);
    worker.terminate();
  });
}

describe('conformance (Web Worker)', () => {
  it('gives exactly the expected results in a DedicatedWorkerGlobalScope', async () => {
    const message = await runWorker(25_000);
    if ('error' in message) throw new Error(`conformance worker threw: ${message.error}`);
    expect(message.scope).toBe('DedicatedWorkerGlobalScope');
    expect(message.hasDocument).toBe(false);
    expect(message.userAgent).toMatch(/HeadlessChrome\/|Chrome\//);
    expect(message.result).toEqual(expected);
  });
});
