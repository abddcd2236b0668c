// Timing a pass: warm-up, then repeated passes until enough time has gone by; the median.
// The benchmark runs with --expose-gc set from inside (setFlagsFromString) so memory figures
// can start from a collected heap.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { spread } from './cli.ts';

setFlagsFromString('--expose-gc');
/** A full garbage collection. */
export const gc = runInNewContext('gc') as () => void;

/** Keeps results alive so no work is optimized away; printed at the end. */
let sink = 0;

/** Counts a result into the checksum, so the work that made it cannot be optimized away. */
export function keep(value: unknown): void {
  sink += Number(value) || 1;
}

/** The checksum of every result kept. */
export function checksum(): number {
  return sink;
}

export interface Timing {
  readonly seconds: number;
  readonly reps: number;
}

export interface Reps {
  readonly warmMs: number;
  readonly minReps: number;
  readonly maxReps: number;
  readonly minSeconds: number;
}

/** Warm up (passes over a small prefix until warmMs, at least one), then repeat the full pass; the median. */
export async function timeIt(warm: () => unknown, pass: () => unknown, opts: Reps): Promise<Timing> {
  gc();
  const warmStart = performance.now();
  do keep(await warm());
  while (performance.now() - warmStart < opts.warmMs);
  const times: number[] = [];
  let total = 0;
  // No forced GC between passes: a full GC resets V8's heap sizing and slows the next pass.
  while (times.length < opts.minReps || (total < opts.minSeconds * 1000 && times.length < opts.maxReps)) {
    const t0 = performance.now();
    keep(await pass());
    const dt = performance.now() - t0;
    times.push(dt);
    total += dt;
  }
  return { seconds: spread(times).median / 1000, reps: times.length };
}
