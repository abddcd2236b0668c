// Retry policy as data (spec/graph-api.md §3.5; Graph throttling guidance): 429, 503 and 504,
// and network failures of idempotent calls, are retried after Retry-After (seconds or an HTTP
// date, RFC 9110 §10.2.3) or after exponential backoff with jitter, within a number of
// retries and a total time. A create is not idempotent: after any answer but a 2xx or a 4xx
// (a 5xx, a redirect, a network failure or timeout) its outcome is unknown, so the decision
// is to verify (look the object up), never to re-post; only a 429 is re-sent.

import type { GraphRequest } from './requests.ts';

/** How many retries, how long in all, and the backoff between them. */
export interface RetryPolicy {
  /** Retries after the first attempt (Graph's SDKs: 3). */
  readonly maxRetries: number;
  /** The most time all attempts and waits may take, in ms (Graph's SDKs: 180 s). */
  readonly maxTotalMs: number;
  /** First backoff delay, doubled each retry. */
  readonly baseDelayMs: number;
  /** Cap of one backoff delay. */
  readonly maxDelayMs: number;
  readonly retryStatuses: readonly number[];
}

/** 429, 503 and 504 retried 3 times within 180 s in all, as Graph's SDKs do, with exponential backoff from 1 s to 30 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 3,
  maxTotalMs: 180_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  retryStatuses: Object.freeze([429, 503, 504]),
});

/** What one attempt of a request gave: the status and headers, or no answer, and how long it has been. */
export interface AttemptOutcome {
  readonly request: Pick<GraphRequest, 'method'>;
  /** Attempts made so far, this one included (1 after the first). */
  readonly attempts: number;
  /** Time since the first attempt started, in ms. */
  readonly elapsedMs: number;
  /** The answer's status and headers; undefined after a network failure or timeout. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly now: Date;
  /** A number in [0, 1) for jitter. */
  readonly random: number;
}

/** What decideRetry says to do next. */
export type RetryDecision =
  | { readonly action: 'done' }
  | { readonly action: 'retry'; readonly delayMs: number }
  /** A create whose outcome is unknown: look it up before anything else. */
  | { readonly action: 'verify'; readonly delayMs: number }
  | { readonly action: 'give-up'; readonly reason: string };

/** The default policy with the caller's fields over it. */
export function resolvePolicy(policy: Partial<RetryPolicy> | undefined): RetryPolicy {
  return policy === undefined ? DEFAULT_RETRY_POLICY : { ...DEFAULT_RETRY_POLICY, ...policy };
}

/** What to do after an attempt: done, retry after a delay, look an in-doubt create up (verify), or give up and why. */
export function decideRetry(outcome: AttemptOutcome, policy: RetryPolicy): RetryDecision {
  const status = outcome.status;
  const failedInTransit = status === undefined;
  // A create answered with anything but a 2xx or a 4xx (definite refusals; 429 is retried
  // below) may have happened: it is looked up, whatever the retry budget says.
  if (outcome.request.method === 'POST' && (status === undefined || (status !== 429 && !(status >= 200 && status < 300) && !(status >= 400 && status < 500)))) {
    return { action: 'verify', delayMs: retryDelay(outcome, policy) };
  }
  const retryable = status === undefined || policy.retryStatuses.includes(status);
  if (!retryable) return { action: 'done' };
  const what = failedInTransit ? 'a network failure' : `HTTP ${outcome.status}`;
  if (outcome.attempts > policy.maxRetries) return { action: 'give-up', reason: `${what} after ${outcome.attempts} attempts (at most ${policy.maxRetries} retries)` };
  const delayMs = retryDelay(outcome, policy);
  if (outcome.elapsedMs + delayMs > policy.maxTotalMs) {
    return { action: 'give-up', reason: `${what}; waiting ${delayMs} ms more would pass the ${policy.maxTotalMs} ms limit` };
  }
  // 429 means Graph did not process the request, so even a create may be re-sent.
  return { action: 'retry', delayMs };
}

/** The wait before the next attempt: Retry-After when the answer has one, else exponential backoff with jitter. */
export function retryDelay(outcome: Pick<AttemptOutcome, 'attempts' | 'headers' | 'now' | 'random'>, policy: RetryPolicy): number {
  const after = outcome.headers?.['retry-after'];
  const fromHeader = after === undefined ? undefined : parseRetryAfter(after, outcome.now);
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (outcome.attempts - 1));
  // "Equal jitter": half fixed, half random, so waits never collapse to zero.
  return fromHeader ?? Math.round(backoff / 2 + (backoff / 2) * outcome.random);
}

/** Retry-After as a wait in ms: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when neither. */
export function parseRetryAfter(value: string, now: Date): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // The asctime form carries no zone; HTTP dates are always GMT (RFC 9110 §5.6.7).
  const asctime = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(v);
  const at = Date.parse(asctime ? `${v} GMT` : v);
  if (Number.isNaN(at) || !/[A-Za-z]{3},? /.test(v)) return undefined;
  return Math.max(0, at - now.getTime());
}
