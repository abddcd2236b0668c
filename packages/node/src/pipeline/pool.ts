// Where tasks run: in this thread (--jobs 1, or small runs) or on a pool of worker threads
// (node:worker_threads), each running the same TaskRunner on its share of the tasks.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JobOptions, ResultOf, Task, TaskRunner } from './tasks.ts';

export interface Executor {
  /** Threads that work: 1 in-process. */
  readonly threads: number;
  run<T extends Task>(task: T, transfer?: readonly ArrayBuffer[]): Promise<ResultOf<T>>;
  close(): Promise<void>;
}

export function inProcess(runner: TaskRunner): Executor {
  return {
    threads: 1,
    run: (task) => runner.run(task),
    close: async () => undefined,
  };
}

interface Pending {
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/** Set by the CLI bundle (scripts/build-cli.mjs): where its worker bundle is, from the CLI's. */
declare const GRAPH_MTLS_WORKER: string | undefined;

/** The built worker script; from the sources (tests driving main() in-process), the build's. */
function workerUrl(): URL {
  if (typeof GRAPH_MTLS_WORKER === 'string') return new URL(GRAPH_MTLS_WORKER, import.meta.url);
  const here = new URL('./worker.js', import.meta.url);
  if (import.meta.url.endsWith('.ts') && !existsSync(fileURLToPath(here))) return new URL('../../dist/pipeline/worker.js', import.meta.url);
  return here;
}

export function workerPool(size: number, job: JobOptions): Executor {
  const slots: Slot[] = [];
  let nextId = 0;
  let failure: Error | undefined;
  const fail = (slot: Slot, error: Error): void => {
    failure ??= error;
    for (const p of slot.pending.values()) p.reject(error);
    slot.pending.clear();
  };
  for (let i = 0; i < size; i++) {
    // A young generation of 16 MB: on a million certificates as fast as larger ones, and about
    // 70 MB less resident memory across two workers than V8's default.
    const worker = new Worker(workerUrl(), { workerData: { job }, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const p = slot.pending.get(message.id);
      if (p === undefined) return;
      slot.pending.delete(message.id);
      if (message.error !== undefined) p.reject(new Error(`graph-mtls worker: ${message.error}`));
      else p.resolve(message.result as never);
    });
    worker.on('error', (error) => fail(slot, error));
    worker.on('exit', (code) => {
      if (slot.pending.size > 0) fail(slot, new Error(`graph-mtls worker exited (code ${code}) with ${slot.pending.size} tasks unfinished`));
    });
    slots.push(slot);
  }
  return {
    threads: size,
    run<T extends Task>(task: T, transfer: readonly ArrayBuffer[] = []): Promise<ResultOf<T>> {
      if (failure !== undefined) return Promise.reject(failure);
      // The least busy worker; the caller bounds how many tasks are out at once.
      let slot = slots[0]!;
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      const id = nextId++;
      return new Promise<ResultOf<T>>((resolve, reject) => {
        slot.pending.set(id, { resolve: resolve as (value: never) => void, reject });
        slot.worker.postMessage({ id, task }, [...transfer]);
      });
    },
    async close(): Promise<void> {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
