#!/usr/bin/env node
// Bundle sizes of @graph-mtls/core: each JavaScript entry point in the package's `exports`,
// bundled from source with its dependencies the way an embedder's bundler would (esbuild,
// platform neutral, ESM, ES2022, minified), measured raw and gzipped (level 9), against budgets.
// Usage: node scripts/bundle-report.mjs [--json] [--budget BYTES]
// Exit codes: 0 within budget, 1 an entry over budget, 2 misuse or a failed build.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Gzipped bytes allowed per entry point; an entry with no budget of its own is an error. */
export const BUDGETS = { '@graph-mtls/core': 48 * 1024, '@graph-mtls/core/graph': 48 * 1024, '@graph-mtls/core/verify': 56 * 1024, '@graph-mtls/core/encoding': 8 * 1024 };

const PACKAGES = [{ name: '@graph-mtls/core', dir: 'packages/core' }];

/** The file an `exports` target names, if it is JavaScript: `dist/x.js` is built from `src/x.ts`. */
function targetOf(value) {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return targetOf(value.import ?? value.default ?? null);
  return null;
}

/** Every JavaScript entry point of a package, as [subpath, source file relative to the root]. */
export function entryPoints(pkg) {
  const manifest = JSON.parse(readFileSync(new URL(`../${pkg.dir}/package.json`, import.meta.url), 'utf8'));
  const exports = typeof manifest.exports === 'string' || 'import' in (manifest.exports ?? {}) || 'default' in (manifest.exports ?? {}) ? { '.': manifest.exports } : (manifest.exports ?? {});
  const entries = [];
  for (const [subpath, value] of Object.entries(exports)) {
    const target = targetOf(value);
    if (target === null || !/\.[cm]?js$/.test(target)) continue;
    const source = target.replace(/^\.\/dist\//, './src/').replace(/\.([cm]?)js$/, '.$1ts');
    entries.push([subpath, `${pkg.dir}/${source.replace(/^\.\//, '')}`]);
  }
  return entries;
}

/** Measures every entry point of every package; `budget` overrides the per-entry budgets. */
export async function measure({ budget } = {}) {
  const rows = [];
  for (const pkg of PACKAGES) {
    for (const [subpath, entry] of entryPoints(pkg)) {
      const result = await build({
        absWorkingDir: ROOT,
        entryPoints: [entry],
        bundle: true,
        write: false,
        minify: true,
        platform: 'neutral',
        mainFields: ['module', 'main'],
        format: 'esm',
        target: 'es2022',
        logLevel: 'silent',
        metafile: true,
      });
      const bytes = result.outputFiles[0].contents;
      const gzip = gzipSync(bytes, { level: 9 }).length;
      const name = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
      const limit = budget ?? BUDGETS[name];
      if (limit === undefined) throw new Error(`${name} has no budget in scripts/bundle-report.mjs`);
      const modules = Object.keys(result.metafile.inputs).sort();
      rows.push({ entry: name, source: entry, minified: bytes.length, gzip, budget: limit, ok: gzip <= limit, modules });
    }
  }
  return rows;
}

function table(rows) {
  const head = ['entry', 'minified', 'gzip', 'budget (gzip)', ''];
  const body = rows.map((r) => [r.entry, r.minified.toLocaleString('en-US'), r.gzip.toLocaleString('en-US'), r.budget.toLocaleString('en-US'), r.ok ? 'ok' : 'OVER BUDGET']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n';
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({ options: { json: { type: 'boolean', default: false }, budget: { type: 'string' } } }));
  } catch (error) {
    process.stderr.write(`bundle-report: ${error.message}\nusage: node scripts/bundle-report.mjs [--json] [--budget BYTES]\n`);
    return 2;
  }
  const budget = values.budget === undefined ? undefined : Number(values.budget);
  if (budget !== undefined && !(Number.isSafeInteger(budget) && budget > 0)) {
    process.stderr.write(`bundle-report: --budget expects a positive integer of bytes, received ${values.budget}\n`);
    return 2;
  }
  let rows;
  try {
    rows = await measure({ budget });
  } catch (error) {
    process.stderr.write(`bundle-report: the build failed: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(values.json ? JSON.stringify(rows, null, 2) + '\n' : table(rows));
  const over = rows.filter((r) => !r.ok);
  for (const r of over) process.stderr.write(`bundle-report: ${r.entry} is ${r.gzip} bytes gzipped, over its budget of ${r.budget}\n`);
  return over.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
