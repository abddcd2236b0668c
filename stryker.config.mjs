// StrykerJS 9 (the line that runs on Node 20) for the pure core. On demand only, never in .ci/run:
// `pnpm mutate -- packages/core/src/encoding/base64.ts` (scripts/mutate.mjs) sets `mutate` to the
// files it is given and prints the per-file table from the JSON report written here.
// `npx stryker run` alone mutates the whole core: hours on 2 cores.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  plugins: ['@stryker-mutator/vitest-runner'],
  testRunner: 'vitest',
  vitest: {
    // Only the node project's packages/core/test, as one project: the browser project never starts.
    configFile: 'vitest.mutate.config.ts',
    // Run only the test files that import the mutated file (directly or not).
    related: true,
  },
  // Each mutant runs only the tests that covered it in the dry run.
  coverageAnalysis: 'perTest',
  concurrency: 2,
  mutate: ['packages/core/src/**/*.ts'],
  // Stryker works in a copy under .stryker-tmp/ (never `inPlace`: others edit the tree meanwhile),
  // with every node_modules directory symlinked in. Leave out what no core test reads (bench/ alone
  // is 57 MB); test/ stays whole, since core tests import test/fixtures and test/helpers.ts.
  ignorePatterns: ['/.stryker-tmp*', '/reports', '/bench', '/docs', '/examples', '/.ci', '/coverage', '/packages/*/dist', '/packages/node', '/packages/browser'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // Vitest does not type-check; nothing reads the `// @ts-nocheck` Stryker would add.
  disableTypeChecks: false,
  reporters: ['json', 'html', process.stdout.isTTY ? 'progress' : 'progress-append-only'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  incremental: false,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  // A score is information here, not a gate.
  thresholds: { high: 90, low: 70, break: null },
  // Both cores are busy with the two runners; give slow mutants room before calling them timeouts.
  timeoutMS: 10_000,
  warnings: { slow: false },
};
