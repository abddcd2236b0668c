// Vitest setup file for mutation runs only (vitest.mutate.config.ts): a property that fails has
// already killed its mutant, so fast-check stops at the first counterexample instead of
// shrinking it, which can take longer than Stryker's timeout. Passing runs are unchanged.
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
