// Packaging gates for every published package: `publint --strict` and
// `@arethetypeswrong/cli` (ESM-only profile) on what `npm pack` would publish. Needs the
// build (`pnpm build`), which the test command runs first.

import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../', import.meta.url).pathname;
const bin = (name: string): string => `${root}node_modules/.bin/${name}`;

const packages = readdirSync(`${root}packages`)
  .map((name) => ({ name, dir: `${root}packages/${name}` }))
  .filter(({ dir }) => {
    try {
      return !(JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { private?: boolean }).private;
    } catch {
      return false;
    }
  });

describe.concurrent('packaging', () => {
  it('finds the packages', () => {
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(['core', 'node']));
  });

  for (const { name, dir } of packages) {
    it(`${name}: publint --strict finds nothing`, async () => {
      const { stdout } = await run(bin('publint'), ['--strict', '--pack', 'npm'], { cwd: dir });
      expect(stdout).toContain('All good!');
    }, 60_000);

    it(`${name}: arethetypeswrong (esm-only) finds no problem`, async () => {
      // attw exits 1 on any problem the profile counts (node10 and require() are out of scope
      // for an ESM-only package); execFile rejects then, failing the test.
      const { stdout } = await run(bin('attw'), ['--pack', '.', '--profile', 'esm-only'], { cwd: dir });
      expect(stdout).toContain('node16 (from ESM)');
    }, 60_000);
  }
});
