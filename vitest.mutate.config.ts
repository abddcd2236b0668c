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

// A test file that cannot load is no failed test, so Stryker would count the run as passed:
// - in the initial run (Stryker's runner provides `mode`), a file missing from the sandbox or a
//   package not linked would leave every mutant it covers surviving; it becomes an error that
//   stops Stryker;
// - in a mutant's run, a mutant that breaks a module as it loads (rules.ts building its table)
//   would survive with no test run; it becomes a runtime error, which the scores leave out.
let vitest: Vitest | undefined;
const failUnloadedFiles: Reporter = {
  onInit(v) {
    vitest = v;
  },
  onTestRunEnd(modules) {
    const mode = vitest === undefined ? undefined : (vitest.getProvidedContext() as unknown as Record<string, unknown>)['mode'];
    if (vitest === undefined || (mode !== 'dry-run' && mode !== 'mutant')) return;
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
    // `pnpm mutate -- <file> --tests <glob>` narrows the tests (a faster run, a lower-bound score).
    include: process.env.GRAPH_MTLS_MUTATE_TESTS === undefined ? ['packages/core/test/**/*.test.ts'] : (JSON.parse(process.env.GRAPH_MTLS_MUTATE_TESTS) as string[]),
    setupFiles: [...[node.test?.setupFiles ?? []].flat(), 'scripts/mutate-setup.mjs'],
    // Tests whose size only guards against slowness skip themselves when this is set.
    env: { GRAPH_MTLS_MUTATION: '1' },
    reporters: ['default', failUnloadedFiles],
  },
});
