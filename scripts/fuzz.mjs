// `pnpm fuzz`: bundles the fuzz harness (test/fuzz/cli.ts, TypeScript, with the core from
// source) for plain Node into test/fuzz/dist/fuzz.mjs (not committed: dist/ is ignored) and runs
// it with the arguments given, e.g. `pnpm fuzz -- --seconds 60 --seed 1 --target der`.
// Failing inputs are saved to test/fuzz/corpus/, which test/fuzz.test.ts replays.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../test/fuzz/cli.ts', import.meta.url));
const outfile = fileURLToPath(new URL('../test/fuzz/dist/fuzz.mjs', import.meta.url));
const corpusDir = fileURLToPath(new URL('../test/fuzz/corpus/', import.meta.url));

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The certificate fixtures' libraries stay as their packages ship them.
  external: ['@peculiar/*', 'reflect-metadata', 'asn1js', 'pkijs', 'tslib', 'tsyringe'],
  sourcemap: 'linked',
  logLevel: 'warning',
});

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2), { corpusDir });
