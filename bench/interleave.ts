// Passes of the compared libraries run in turn (A B A B ...), not one after the other, so a
// ratio compares passes taken seconds apart: on a shared VM whose speed drifts by tens of per
// cent over a minute, this keeps the ratio steady where back-to-back measurements did not.

export interface Pass {
  readonly name: string;
  /** A short pass first, so code is compiled before it is timed. */
  readonly warm: () => unknown;
  readonly run: () => unknown;
}

/** Seconds of each round of each pass, by name; `sink` keeps results alive. */
export async function interleave(passes: readonly Pass[], rounds: number, warmMs: number, sink: (value: unknown) => void): Promise<Map<string, number[]>> {
  for (const p of passes) {
    const start = performance.now();
    do sink(await p.warm());
    while (performance.now() - start < warmMs);
  }
  const times = new Map<string, number[]>(passes.map((p) => [p.name, []]));
  for (let r = 0; r < rounds; r++) {
    // Alternate the order, so neither pass always follows the other's garbage.
    for (const p of r % 2 === 0 ? passes : [...passes].reverse()) {
      const t0 = performance.now();
      sink(await p.run());
      times.get(p.name)!.push((performance.now() - t0) / 1000);
    }
  }
  return times;
}

/** Per-round ratios b/a of two interleaved passes (a faster pass gives a larger ratio). */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => b[i]! / x);
}
