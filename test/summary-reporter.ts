// Prints one plain closing line, "N passed, N failed, N skipped", that CI reads to count tests.
// "failed" counts failed tests, and every other failure too: a hook (beforeAll, afterAll) or a
// file that failed outside any test (an import error), and each unhandled error. A run that
// failed never prints "0 failed".
import type { Reporter, TestModule, TestRunEndReason, TestSuite } from 'vitest/node';

export interface Summary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function summarize(testModules: ReadonlyArray<TestModule>, unhandledErrors: number, reason: TestRunEndReason): Summary {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const module of testModules) {
    let failures = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') passed++;
      else if (state === 'failed') failures++;
      else skipped++;
    }
    // Errors of a file or a suite themselves: failed hooks, collection and import errors.
    const holders: (TestModule | TestSuite)[] = [module, ...module.children.allSuites()];
    for (const holder of holders) failures += holder.errors().length;
    if (module.state() === 'failed' && failures === 0) failures = 1;
    failed += failures;
  }
  failed += unhandledErrors;
  if (reason === 'failed' && failed === 0) failed = 1;
  return { passed, failed, skipped };
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>, reason: TestRunEndReason): void {
    const s = summarize(testModules, unhandledErrors.length, reason);
    process.stdout.write(`\n${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped\n`);
  }
}
