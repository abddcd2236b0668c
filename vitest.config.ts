import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defaultExclude, defineConfig } from 'vitest/config';

// Both projects resolve the workspace packages to their sources, so tests never need a build.
const resolve = {
  alias: {
    '@graph-mtls/core/graph': fileURLToPath(new URL('./packages/core/src/graph/index.ts', import.meta.url)),
    '@graph-mtls/core/encoding': fileURLToPath(new URL('./packages/core/src/encoding/index.ts', import.meta.url)),
    '@graph-mtls/core/verify': fileURLToPath(new URL('./packages/core/src/verify/index.ts', import.meta.url)),
    '@graph-mtls/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
    '@graph-mtls/node': fileURLToPath(new URL('./packages/node/src/index.ts', import.meta.url)),
    '@graph-mtls/browser': fileURLToPath(new URL('./packages/browser/src/index.ts', import.meta.url)),
    // The shared test helpers and fixtures (test/package.json), by name from every package's tests.
    '@graph-mtls/test': fileURLToPath(new URL('./test', import.meta.url)),
  },
};

// Debian's Chromium (scripts/ensure-tools.sh installs it); `npx playwright install` cannot
// download here. The provider adds --headless itself because `headless: true`.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default defineConfig({
  test: {
    // Root-only options: one report for both projects.
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        resolve,
        test: {
          name: 'node',
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...defaultExclude, '**/*.browser.test.ts'],
          setupFiles: ['test/setup.ts'],
          testTimeout: 30_000,
          // Hooks generate fixtures (keys, certificates, bulk files): on two busy cores that can
          // take far longer than vitest's 10 s default, and a timeout is not a finding.
          hookTimeout: 180_000,
        },
      },
      {
        resolve,
        test: {
          name: 'browser',
          include: ['test/conformance/*.browser.test.ts', 'packages/browser/test/**/*.browser.test.ts'],
          // In Node, before the page loads: the Graph emulator (its URL and certificates reach
          // the page through provide/inject).
          globalSetup: ['test/emulator/global-setup.ts', 'packages/browser/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 180_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS } }),
            instances: [{ browser: 'chromium' }],
            // No UI is rendered: a failure's screenshot would be blank and litter the tree.
            screenshotFailures: false,
          },
        },
      },
    ],
  },
});
