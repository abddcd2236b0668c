// Builds the page into dist/: the page and its styles as they are, the app and the Web Worker
// bundled by esbuild (the core from its sources) for current browsers. Static files only: any
// static host serves them (serve.mjs does, on localhost).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const here = (path) => new URL(path, import.meta.url).pathname;
rmSync(here('dist'), { recursive: true, force: true });
mkdirSync(here('dist'), { recursive: true });
for (const file of ['index.html', 'style.css']) copyFileSync(here(`src/${file}`), here(`dist/${file}`));
await build({
  entryPoints: { app: here('src/app.ts'), worker: here('src/worker.ts') },
  outdir: here('dist'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  alias: {
    '@graph-mtls/core/verify': here('../core/src/verify/index.ts'),
    '@graph-mtls/core/graph': here('../core/src/graph/index.ts'),
    '@graph-mtls/core/encoding': here('../core/src/encoding/index.ts'),
    '@graph-mtls/core': here('../core/src/index.ts'),
  },
  logLevel: 'warning',
});
