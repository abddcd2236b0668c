// The Vitest config that Stryker runs (`pnpm mutate`, see scripts/mutate.mjs and
// stryker.config.mjs): the root config's `node` project narrowed to packages/core/test, as one
// plain project, so the browser project never starts and the summary reporter stays out.
// Aliases, setup files and timeouts come from vitest.config.ts itself, so the two cannot drift;
// scripts/mutate-setup.mjs is added (fast-check does not shrink the counterexample of a mutant).
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import type { Reporter, Vitest } from 'vitest/node';
import root from './vitest.config.ts';

const node = root.test?.projects?.find(
  (p): p is TestProjectInlineConfiguration => typeof p === 'object' && p !== null && 'test' in p && p.test?.name === 'node',
);
if (node === undefined) throw new Error('vitest.mutate.config.ts: vitest.config.ts has no inline `node` project');

// A test file that cannot load is no failed test, so Stryker's initial run would pass without it and
// every mutant it covers would survive (a file missing from the sandbox, a package not linked).
// In that run (Stryker's runner provides `mode`), such a file becomes an error that stops Stryker.
let vitest: Vitest | undefined;
const failUnloadedFiles: Reporter = {
  onInit(v) {
    vitest = v;
  },
  onTestRunEnd(modules) {
    if (vitest === undefined || (vitest.getProvidedContext() as unknown as Record<string, unknown>)['mode'] !== 'dry-run') return;
    for (const m of modules) {
      for (const e of m.errors()) vitest.state.catchError(new Error(`${m.moduleId} did not load: ${e.message}`), 'Unhandled Error');
    }
  },
};

export default defineConfig({
  resolve: node.resolve,
  test: {
    ...node.test,
    name: undefined,
    include: ['packages/core/test/**/*.test.ts'],
    setupFiles: [...[node.test?.setupFiles ?? []].flat(), 'scripts/mutate-setup.mjs'],
    // Tests whose size only guards against slowness skip themselves when this is set.
    env: { GRAPH_MTLS_MUTATION: '1' },
    reporters: ['default', failUnloadedFiles],
  },
});
