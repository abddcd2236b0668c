// Bundles the benchmarks (bench/bench.ts and bench/verify.ts, TypeScript) for plain Node:
// bench/dist/bench.mjs and bench/dist/verify.mjs (not committed). Our core and the corpus generator are bundled from source; the libraries
// compared with stay external, so they run exactly as their packages ship them.
import { build } from 'esbuild';

const external = [
  '@peculiar/asn1-schema',
  '@peculiar/asn1-x509',
  '@peculiar/x509',
  'asn1js',
  'jsrsasign',
  'node-forge',
  'pkijs',
  'reflect-metadata',
];

await build({
  entryPoints: ['bench', 'verify'].map((name) => ({ in: new URL(`../bench/${name}.ts`, import.meta.url).pathname, out: name })),
  outdir: new URL('../bench/dist', import.meta.url).pathname,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
});
