// Packaging gates for every published package: `publint --strict` and
// `@arethetypeswrong/cli` (ESM-only profile) on what `npm pack` would publish; the tarball's
// README, LICENSE (the root's, byte for byte) and manifest metadata (repository, homepage,
// engines.node the root's, which is the range @noble/hashes 2 declares); and require() of every
// entry where Node's require() loads ES modules. Needs the build (`pnpm build`), which the test
// command runs first.

import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../', import.meta.url).pathname;
const bin = (name: string): string => `${root}node_modules/.bin/${name}`;

interface Manifest {
  readonly name?: string;
  readonly private?: boolean;
  readonly repository?: unknown;
  readonly homepage?: unknown;
  readonly engines?: { readonly node?: unknown };
  readonly exports?: Readonly<Record<string, unknown>>;
}

/** What `npm pack --dry-run --json` prints: one entry per package packed. */
interface PackEntry {
  readonly name: string;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

const readManifest = (path: string): Manifest => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

const packages = readdirSync(`${root}packages`)
  .map((name) => ({ name, dir: `${root}packages/${name}` }))
  .filter(({ dir }) => {
    try {
      return !readManifest(`${dir}/package.json`).private;
    } catch {
      return false;
    }
  });

const rootManifest = readManifest(`${root}package.json`);
const rootLicense = readFileSync(`${root}LICENSE`);
const REPOSITORY_URL = 'git+https://github.com/graph-mtls/graph-mtls.git';
const HOMEPAGE = 'https://github.com/graph-mtls/graph-mtls#readme';
// Node 20.19+ and 22.12+ load ES modules with require() by default; elsewhere it is flagged or absent.
const requireModule = (process.features as { readonly require_module?: boolean }).require_module === true;

describe.concurrent('packaging', () => {
  it('finds the packages', () => {
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(['core', 'node', 'browser']));
  });

  it('the root engines.node is the range @noble/hashes (a dependency of the core) declares', () => {
    // @noble/hashes does not export ./package.json; read it through the core's node_modules.
    const noble = readManifest(`${root}packages/core/node_modules/@noble/hashes/package.json`);
    const range = (value: unknown): string => String(value).replace(/\s+/g, '');
    expect(typeof rootManifest.engines?.node).toBe('string');
    expect(range(rootManifest.engines?.node)).toBe(range(noble.engines?.node));
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

    it(`${name}: the tarball holds README.md, LICENSE (the root's) and package.json with repository, homepage and engines`, async () => {
      const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
      const entries = JSON.parse(stdout) as PackEntry[];
      expect(entries).toHaveLength(1);
      const files = new Map(entries[0]!.files.map((f) => [f.path, f.size]));
      expect([...files.keys()]).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));

      // npm packs the package's own files: the LICENSE in the tarball is the one in its folder.
      const license = readFileSync(`${dir}/LICENSE`);
      expect(license.equals(rootLicense), `packages/${name}/LICENSE differs from the root LICENSE`).toBe(true);
      expect(files.get('LICENSE')).toBe(rootLicense.length);

      const manifest = readManifest(`${dir}/package.json`);
      expect(entries[0]!.name).toBe(manifest.name);
      expect(manifest.repository).toEqual({ type: 'git', url: REPOSITORY_URL, directory: `packages/${name}` });
      expect(manifest.homepage).toBe(HOMEPAGE);
      expect(manifest.engines?.node).toBe(rootManifest.engines?.node);
    }, 120_000);

    it.runIf(requireModule)(`${name}: require() loads every entry (ESM only, through Node's require(esm))`, async () => {
      const manifest = readManifest(`${dir}/package.json`);
      const entries = Object.keys(manifest.exports ?? {})
        .filter((key) => key !== './package.json')
        .map((key) => `${manifest.name}${key.slice(1)}`);
      expect(entries.length).toBeGreaterThan(0);
      // A CommonJS program in the package's folder, requiring each entry by name (self-reference).
      const program = `for (const id of ${JSON.stringify(entries)}) console.log(id, Object.keys(require(id)).length);`;
      const { stdout } = await run(process.execPath, ['--input-type=commonjs', '-e', program], { cwd: dir });
      const counts = stdout.trim().split('\n').map((line) => line.split(' '));
      expect(counts.map(([id]) => id)).toEqual(entries);
      for (const [id, count] of counts) expect(Number(count), id).toBeGreaterThan(0);
    }, 60_000);
  }
});
