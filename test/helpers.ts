// Test helpers shared by the test files: catching the GraphMtlsError (of any kind, or an InputError) a call must throw or a promise must reject with.

import { expect } from 'vitest';
import { GraphMtlsError, InputError, type AnyGraphMtlsError } from '../packages/core/src/errors.ts';

/** What `fn` throws, which must be a GraphMtlsError (else the test fails); undefined if it returns. */
function thrownBy(fn: () => unknown): AnyGraphMtlsError | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphMtlsError);
    return error as AnyGraphMtlsError;
  }
  return undefined;
}

/** The GraphMtlsError `fn` throws; fails the test if it throws anything else or nothing. */
export function errorOf(fn: () => unknown): AnyGraphMtlsError {
  const error = thrownBy(fn);
  if (error === undefined) throw new Error('expected a GraphMtlsError, nothing was thrown');
  return error;
}

/** The InputError `fn` throws (input that cannot be read, with its location); fails the test on anything else. */
export function inputErrorOf(fn: () => unknown): InputError {
  const error = errorOf(fn);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

/**
 * The code of the GraphMtlsError `fn` throws, or undefined when it returns normally (so
 * `expect(codeOf(…)).toBe(code)` fails on a call that does not throw).
 */
export function codeOf(fn: () => unknown): string | undefined {
  return thrownBy(fn)?.code;
}

/** The GraphMtlsError `promise` rejects with; fails the test if it rejects with anything else or resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<AnyGraphMtlsError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphMtlsError);
    return error as AnyGraphMtlsError;
  }
  throw new Error('expected a GraphMtlsError, the call succeeded');
}
