// Samples of the corpus and the in-process measurements of each library on them: (a) parse,
// (b) full inspection, (c) a PEM bundle to certificates or to findings.

import { bundleOf } from './corpus.ts';
import type { Library } from './libraries.ts';
import { timeIt, type Reps, type Timing } from './timing.ts';

export interface Sample {
  readonly key: string;
  readonly description: string;
  readonly ders: readonly Uint8Array[];
  readonly derBytes: number;
  readonly bundle: string;
  /** A prefix of at most WARM_COUNT certificates, for warm-up passes. */
  readonly warm?: Sample;
}

const WARM_COUNT = 400;

export type Scenario = 'parse' | 'inspect' | 'bundle' | 'lint';

export const SCENARIO_LABEL: Record<Scenario, string> = {
  parse: '(a) parse only',
  inspect: '(b) full inspection',
  bundle: '(c) PEM bundle -> certs',
  lint: '(c) PEM bundle -> findings',
};

export interface Measurement {
  readonly lib: Library;
  readonly scenario: Scenario;
  readonly sample: Sample;
  readonly timing: Timing;
  readonly certsPerSecond: number;
  readonly mbPerSecond: number;
}

const measured = new Map<string, Measurement>();

/** One pass of (b) full inspection over a sample. */
export function passInspect(lib: Library, sample: Sample): number {
  let n = 0;
  for (let i = 0; i < sample.ders.length; i++) n += lib.inspect(sample.ders[i]!);
  return n;
}

export async function measure(lib: Library, scenario: Scenario, sample: Sample, reps: Reps): Promise<Measurement> {
  const key = `${lib.id}/${scenario}/${sample.key}`;
  const done = measured.get(key);
  if (done) return done;
  const passOf = ({ ders, bundle }: Sample): (() => unknown) => {
    switch (scenario) {
      case 'parse':
        return () => {
          let n = 0;
          for (let i = 0; i < ders.length; i++) if (lib.parse(ders[i]!) !== undefined) n++;
          return n;
        };
      case 'inspect':
        return () => {
          let n = 0;
          for (let i = 0; i < ders.length; i++) n += lib.inspect(ders[i]!);
          return n;
        };
      case 'bundle':
        return () => lib.bundle(bundle).length;
      case 'lint':
        return () => lib.lintBundle!(bundle);
    }
  };
  const pass = passOf(sample);
  const timing = await timeIt(passOf(sample.warm ?? sample), pass, reps);
  const bytes = scenario === 'bundle' || scenario === 'lint' ? sample.bundle.length : sample.derBytes;
  const m: Measurement = {
    lib,
    scenario,
    sample,
    timing,
    certsPerSecond: sample.ders.length / timing.seconds,
    mbPerSecond: bytes / 1e6 / timing.seconds,
  };
  measured.set(key, m);
  return m;
}

/** A sample of the corpus, with a prefix of it for warm-up passes. */
export function sampleOf(key: string, description: string, ders: readonly Uint8Array[], withWarm = true): Sample {
  let derBytes = 0;
  for (const d of ders) derBytes += d.length;
  const warm = withWarm && ders.length > WARM_COUNT ? sampleOf(`${key}/warm`, 'warm-up', ders.slice(0, WARM_COUNT), false) : undefined;
  return { key, description, ders, derBytes, bundle: bundleOf(ders), ...(warm ? { warm } : {}) };
}
