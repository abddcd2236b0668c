// The size budgets of @graph-mtls/core, enforced in CI: scripts/bundle-report.mjs bundles each
// entry point minified (esbuild, platform neutral, ESM, ES2022) and gzips it at level 9; every
// entry must fit its budget (the root and /graph 48 KiB gzipped, /verify 56 KiB, /encoding 8 KiB), and the script
// must say so by its exit code. The entries hold what their names say: the root (read, check,
// lint, identify, build) carries no Graph protocol or client, /encoding nothing but encodings.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../scripts/bundle-report.mjs', import.meta.url));
const BUDGETS: Record<string, number> = { '@graph-mtls/core': 48 * 1024, '@graph-mtls/core/graph': 48 * 1024, '@graph-mtls/core/verify': 56 * 1024, '@graph-mtls/core/encoding': 8 * 1024 };

interface Row {
  readonly entry: string;
  readonly source: string;
  readonly minified: number;
  readonly gzip: number;
  readonly budget: number;
  readonly ok: boolean;
  /** The bundled source files, relative to the repository root. */
  readonly modules: readonly string[];
}

function report(...args: string[]): { status: number | null; rows: Row[]; stderr: string } {
  const run = spawnSync(process.execPath, [SCRIPT, '--json', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  if (run.error !== undefined) throw run.error;
  return { status: run.status, rows: run.stdout === '' ? [] : (JSON.parse(run.stdout) as Row[]), stderr: run.stderr };
}

describe('bundle size', () => {
  it('every entry point of the core fits its gzip budget', () => {
    const { status, rows, stderr } = report();
    const exported = Object.keys((JSON.parse(readFileSync(new URL('../packages/core/package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> }).exports).filter((k) => k !== './package.json');
    expect(rows.map((r) => r.entry)).toEqual(exported.map((k) => (k === '.' ? '@graph-mtls/core' : `@graph-mtls/core/${k.slice(2)}`)));
    for (const row of rows) {
      expect(row.budget).toBe(BUDGETS[row.entry]);
      expect(row.gzip, `${row.entry} is ${row.gzip} bytes gzipped (${row.minified} minified), over its ${row.budget}-byte budget`).toBeLessThanOrEqual(row.budget);
      expect(row.gzip).toBeGreaterThan(0);
      expect(row.minified).toBeGreaterThan(row.gzip);
    }
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('each entry bundles only its layers: no client in the root, nothing but encodings in /encoding', () => {
    const { rows } = report();
    const modules = (entry: string): readonly string[] => rows.find((r) => r.entry === entry)?.modules ?? [];
    const root = modules('@graph-mtls/core');
    expect(root).toContain('packages/core/src/lint.ts');
    expect(root).toContain('packages/core/src/payload/build.ts');
    expect(root.filter((m) => m.includes('/src/graph/') || m.includes('/src/verify/'))).toEqual([]);
    expect(modules('@graph-mtls/core/verify')).toContain('packages/core/src/verify/verify-device.ts');
    expect(modules('@graph-mtls/core/graph')).toContain('packages/core/src/graph/client.ts');
    const encoding = modules('@graph-mtls/core/encoding');
    expect(encoding.length).toBeGreaterThan(3);
    expect(encoding.filter((m) => !m.startsWith('packages/core/src/encoding/') && m !== 'packages/core/src/errors.ts' && m !== 'packages/core/src/limits.ts')).toEqual([]);
  });

  it('exits 1 and names the entry when a budget is exceeded', () => {
    const { status, rows, stderr } = report('--budget', '1000');
    expect(status).toBe(1);
    expect(rows.every((r) => !r.ok && r.budget === 1000)).toBe(true);
    expect(stderr).toContain('@graph-mtls/core is');
  });
});
