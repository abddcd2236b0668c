// The fuzz harness (test/fuzz/) in the test run: a short seeded run of every target (the seeds,
// then mutants), and a replay of every input saved in test/fuzz/corpus/. `pnpm fuzz` runs the
// same targets for as long as asked with the strict budget of 100 ms per 100 KB; here calls
// get ten times that (at least 1 s each, and a call over it is run twice more before it
// counts), so a busy machine does not fail the test while a real hang or blow-up still does.

import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCorpus, runOne, TargetRun, type FailureRecord, type Input } from './fuzz/harness.ts';
import { KNOWN_ISSUES, LIMITS, TARGETS } from './fuzz/targets.ts';

const CORPUS = fileURLToPath(new URL('./fuzz/corpus/', import.meta.url));
const SEED = 20261207;
const BUDGET_SCALE = 10;
const REPEATS = 2;

/** Mutants per target after its seeds: about 2 s in all on an idle 2-core machine. */
const MUTANTS: Readonly<Record<string, number>> = { der: 30, pkcs7: 30, pem: 20, payload: 20, dn: 150, ip: 300, base64: 300, graph: 60 };

function show(input: Input): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 200 ? `${input.slice(0, 200)}…` : input);
  return `${Buffer.from(input.subarray(0, 100)).toString('hex')}${input.length > 100 ? '…' : ''} (${input.length} bytes)`;
}

function describeFailure(f: FailureRecord): string {
  return `${f.target} input #${f.iteration}: ${f.failure.message}\n  input: ${show(f.input)}\n  reproduce: pnpm fuzz -- --seed ${SEED} --target ${f.target} --iterations ${f.iteration + 1} --max-size ${LIMITS.quick.maxSize}`;
}

function newRun(target: (typeof TARGETS)[number]): TargetRun {
  return new TargetRun(target, { seed: SEED, limits: LIMITS.quick, budgetScale: BUDGET_SCALE, repeats: REPEATS, knownIssues: KNOWN_ISSUES });
}

describe('fuzz: a short seeded run of every target', () => {
  it('covers the targets the harness has', () => {
    expect(Object.keys(MUTANTS).sort()).toEqual(TARGETS.map((t) => t.name).sort());
  });

  for (const target of TARGETS) {
    const mutants = MUTANTS[target.name] ?? 50;
    it(`${target.name}: the seeds and ${mutants} mutants raise only coded errors, in time, and keep the properties`, async () => {
      const run = newRun(target);
      const failures = await run.runFor(Infinity, run.stats.seeds + mutants);
      expect(failures.map(describeFailure)).toEqual([]);
      expect(run.stats.inputs).toBe(run.stats.seeds + mutants);
      // Both outcomes occur: the mutants are neither all accepted nor all refused.
      expect(run.stats.accepted).toBeGreaterThan(0);
      expect(run.stats.rejected).toBeGreaterThan(0);
    });
  }

  it('makes the same inputs from the same seed', async () => {
    const pkcs7 = TARGETS.find((t) => t.name === 'pkcs7')!;
    const [a, b] = [newRun(pkcs7), newRun(pkcs7)];
    const n = a.stats.seeds + 10;
    await a.runFor(Infinity, n);
    await b.runFor(Infinity, n);
    expect(a.inputsDigest()).toBe(b.inputsDigest());
  });
});

describe('fuzz: corpus replay', () => {
  const files = readCorpus(CORPUS, TARGETS);

  it('has a corpus directory', () => {
    expect(existsSync(CORPUS)).toBe(true);
  });

  for (const file of files) {
    it(`${file.target}: ${basename(file.file)}`, async () => {
      const result = await runOne(TARGETS.find((t) => t.name === file.target)!, file.input, { budgetScale: BUDGET_SCALE, repeats: REPEATS });
      expect(result.failure?.message).toBeUndefined();
    });
  }
});
