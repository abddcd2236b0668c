// Bundles the local Graph emulator (test/emulator, TypeScript) for plain Node, so the demo
// can run against it: test/emulator/dist/emulator.mjs (not committed).
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../test/emulator/server.ts', import.meta.url).pathname],
  outfile: new URL('../test/emulator/dist/emulator.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
