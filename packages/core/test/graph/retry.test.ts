// The retry policy (graph/retry.ts, spec §3.5): 429/503/504 and network failures, verify for a
// create, Retry-After per RFC 9110 §10.2.3, equal-jitter backoff, limits.

import { describe, expect, it, vi } from 'vitest';
import type { GraphRequest } from '../../src/graph/requests.ts';
import { decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfter, resolvePolicy, type AttemptOutcome, type RetryPolicy } from '../../src/graph/retry.ts';

const T0 = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));

function outcome(method: GraphRequest['method'], status: number | undefined, extra: Partial<AttemptOutcome> = {}): AttemptOutcome {
  return { request: { method }, attempts: 1, elapsedMs: 0, now: T0, random: 0.5, ...(status === undefined ? {} : { status }), ...extra };
}

describe('retry', () => {
  it('defaults equal the Graph SDKs: 3 retries within 180 s on 429, 503, 504', () => {
    expect(DEFAULT_RETRY_POLICY.maxRetries).toBe(3);
    expect(DEFAULT_RETRY_POLICY.maxTotalMs).toBe(180_000);
    expect([...DEFAULT_RETRY_POLICY.retryStatuses].sort()).toEqual([429, 503, 504]);
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
  });

  it('resolvePolicy merges a partial policy over the defaults', () => {
    expect(resolvePolicy(undefined)).toEqual(DEFAULT_RETRY_POLICY);
    expect(resolvePolicy({ maxRetries: 7 })).toEqual({ ...DEFAULT_RETRY_POLICY, maxRetries: 7 });
  });

  describe.each(['GET', 'PATCH', 'DELETE'] as const)('%s (idempotent)', (method) => {
    it.each([429, 503, 504, undefined])('retries status %s', (status) => {
      const d = decideRetry(outcome(method, status), DEFAULT_RETRY_POLICY);
      expect(d.action).toBe('retry');
    });
  });

  it.each(['GET', 'PATCH', 'DELETE'] as const)('%s is done on a non-retryable status', (method) => {
    for (const status of [200, 201, 204, 302, 400, 401, 403, 404, 409, 500, 501, 502]) {
      expect(decideRetry(outcome(method, status), DEFAULT_RETRY_POLICY)).toEqual({ action: 'done' });
    }
  });

  it('POST is done on a 2xx or a definite 4xx refusal', () => {
    for (const status of [200, 201, 204, 400, 401, 403, 404, 408, 409, 499]) {
      expect(decideRetry(outcome('POST', status), DEFAULT_RETRY_POLICY)).toEqual({ action: 'done' });
    }
  });

  it('POST after any other answer (5xx, redirect, 1xx) or a network failure verifies (outcome unknown), whatever the budget', () => {
    for (const status of [500, 501, 502, 503, 504, 599, 302, 303, 0, 101, undefined]) {
      expect(decideRetry(outcome('POST', status), DEFAULT_RETRY_POLICY).action, String(status)).toBe('verify');
      expect(decideRetry(outcome('POST', status, { attempts: 9, elapsedMs: 999_999 }), DEFAULT_RETRY_POLICY).action, String(status)).toBe('verify');
    }
    // The wait before the first lookup honours Retry-After.
    expect(decideRetry(outcome('POST', 503, { headers: { 'retry-after': '7' } }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'verify', delayMs: 7000 });
  });

  it('POST after 429 retries (Graph did not process it)', () => {
    expect(decideRetry(outcome('POST', 429), DEFAULT_RETRY_POLICY).action).toBe('retry');
  });

  describe('Retry-After', () => {
    it('waits the delay-seconds exactly, without jitter', () => {
      for (const random of [0, 0.5, 0.999999]) {
        expect(decideRetry(outcome('GET', 429, { headers: { 'retry-after': '7' }, random }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'retry', delayMs: 7000 });
      }
      expect(decideRetry(outcome('POST', 503, { headers: { 'retry-after': '3' } }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'verify', delayMs: 3000 });
    });

    it('waits until an HTTP-date', () => {
      const d = decideRetry(outcome('GET', 503, { headers: { 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' } }), DEFAULT_RETRY_POLICY);
      expect(d).toEqual({ action: 'retry', delayMs: 30_000 });
    });

    it('waits 0 for a date in the past', () => {
      const d = decideRetry(outcome('GET', 429, { headers: { 'retry-after': 'Sun, 01 Jun 2025 11:00:00 GMT' } }), DEFAULT_RETRY_POLICY);
      expect(d).toEqual({ action: 'retry', delayMs: 0 });
    });

    it('falls back to backoff for a value it cannot read', () => {
      const backoff = decideRetry(outcome('GET', 429, { random: 0 }), DEFAULT_RETRY_POLICY);
      for (const garbage of ['soon', '', '1.5', '-3', '2025-06-01T12:00:30Z', '0x10']) {
        expect(decideRetry(outcome('GET', 429, { headers: { 'retry-after': garbage }, random: 0 }), DEFAULT_RETRY_POLICY)).toEqual(backoff);
      }
      expect(backoff).toEqual({ action: 'retry', delayMs: 500 });
    });

    it('parseRetryAfter reads delay-seconds and HTTP-dates (RFC 9110 §10.2.3)', () => {
      expect(parseRetryAfter('0', T0)).toBe(0);
      expect(parseRetryAfter('2', T0)).toBe(2000);
      expect(parseRetryAfter(' 120 ', T0)).toBe(120_000);
      expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', T0)).toBe(30_000);
      expect(parseRetryAfter('Sunday, 01-Jun-25 12:00:30 GMT', T0)).toBe(30_000); // RFC 850 form
      expect(parseRetryAfter('Sun, 01 Jun 2025 11:59:59 GMT', T0)).toBe(0);
      expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', T0)).toBe(0);
      for (const bad of ['', 'soon', '1.5', '-1', '+5', '2025-06-01T12:00:30Z', '1e3']) expect(parseRetryAfter(bad, T0)).toBeUndefined();
    });

    it('parseRetryAfter reads the asctime form as UTC in any local time zone (RFC 9110 §5.6.7)', () => {
      const saved = process.env['TZ'];
      try {
        process.env['TZ'] = 'America/New_York';
        expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', T0)).toBe(30_000);
        // asctime-date carries no zone; HTTP dates are always UTC.
        expect(parseRetryAfter('Sun Jun  1 12:00:30 2025', T0)).toBe(30_000);
      } finally {
        if (saved === undefined) delete process.env['TZ'];
        else process.env['TZ'] = saved;
      }
    });
  });

  describe('backoff', () => {
    it('doubles from 1 s with equal jitter: [backoff/2, backoff]', () => {
      const at = (attempts: number, random: number): number => {
        const d = decideRetry(outcome('GET', 503, { attempts, random }), { ...DEFAULT_RETRY_POLICY, maxRetries: 10 });
        if (d.action !== 'retry') throw new Error(`expected retry, got ${d.action}`);
        return d.delayMs;
      };
      expect(at(1, 0)).toBe(500);
      expect(at(1, 0.999999)).toBe(1000);
      expect(at(2, 0)).toBe(1000);
      expect(at(2, 0.999999)).toBe(2000);
      expect(at(3, 0)).toBe(2000);
      expect(at(3, 0.999999)).toBe(4000);
      expect(at(3, 0.5)).toBe(3000);
      for (let attempts = 1; attempts <= 6; attempts++) {
        const backoff = Math.min(30_000, 1000 * 2 ** (attempts - 1));
        for (const random of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999]) {
          const ms = at(attempts, random);
          expect(ms).toBeGreaterThanOrEqual(backoff / 2);
          expect(ms).toBeLessThanOrEqual(backoff);
        }
      }
    });

    it('caps one delay at maxDelayMs', () => {
      const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetries: 20, maxDelayMs: 3000 };
      expect(decideRetry(outcome('GET', 429, { attempts: 8, random: 0 }), policy)).toEqual({ action: 'retry', delayMs: 1500 });
      expect(decideRetry(outcome('GET', 429, { attempts: 8, random: 0.999999 }), policy)).toEqual({ action: 'retry', delayMs: 3000 });
      expect(decideRetry(outcome('GET', 429, { attempts: 12, random: 0.999999 }), { ...DEFAULT_RETRY_POLICY, maxRetries: 20 })).toEqual({ action: 'retry', delayMs: 30_000 });
    });

    it('uses baseDelayMs', () => {
      expect(decideRetry(outcome('GET', 504, { random: 0 }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 200 })).toEqual({ action: 'retry', delayMs: 100 });
    });
  });

  describe('limits', () => {
    it('gives up after maxRetries retries (the 4th attempt by default)', () => {
      expect(decideRetry(outcome('GET', 503, { attempts: 3 }), DEFAULT_RETRY_POLICY).action).toBe('retry');
      const d = decideRetry(outcome('GET', 503, { attempts: 4 }), DEFAULT_RETRY_POLICY);
      expect(d.action).toBe('give-up');
      if (d.action === 'give-up') expect(typeof d.reason).toBe('string');
      expect(decideRetry(outcome('POST', 429, { attempts: 4 }), DEFAULT_RETRY_POLICY).action).toBe('give-up');
    });

    it('maxRetries 0 never retries', () => {
      expect(decideRetry(outcome('GET', 429), { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }).action).toBe('give-up');
      expect(decideRetry(outcome('GET', 404), { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }).action).toBe('done');
    });

    it('gives up when the wait would pass maxTotalMs', () => {
      const h = { 'retry-after': '1' };
      expect(decideRetry(outcome('GET', 429, { headers: h, elapsedMs: 179_000 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'retry', delayMs: 1000 });
      expect(decideRetry(outcome('GET', 429, { headers: h, elapsedMs: 179_001 }), DEFAULT_RETRY_POLICY).action).toBe('give-up');
      expect(decideRetry(outcome('GET', 429, { headers: { 'retry-after': '181' } }), DEFAULT_RETRY_POLICY).action).toBe('give-up');
      expect(decideRetry(outcome('POST', 429, { headers: { 'retry-after': '181' } }), DEFAULT_RETRY_POLICY).action).toBe('give-up');
      expect(decideRetry(outcome('GET', undefined, { elapsedMs: 9_800, random: 0 }), { ...DEFAULT_RETRY_POLICY, maxTotalMs: 10_000 }).action).toBe('give-up');
    });
  });
});

const NOW = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
describe('retry: details', () => {
  it('POST: 2xx and 4xx (but 429) are done; just outside those ranges the outcome is unknown', () => {
    for (const status of [199, 300, 399, 500]) expect(decideRetry(outcome('POST', status), DEFAULT_RETRY_POLICY).action, String(status)).toBe('verify');
    for (const status of [200, 299, 400, 499]) expect(decideRetry(outcome('POST', status), DEFAULT_RETRY_POLICY).action, String(status)).toBe('done');
  });

  it('verify waits the backoff when there is no Retry-After', () => {
    expect(decideRetry(outcome('POST', 502, { attempts: 2, random: 0 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'verify', delayMs: 1000 });
    expect(decideRetry(outcome('POST', undefined, { random: 0 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'verify', delayMs: 500 });
  });

  it('retryStatuses of the policy decide what is retried', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, retryStatuses: [500] };
    expect(decideRetry(outcome('GET', 500), policy).action).toBe('retry');
    expect(decideRetry(outcome('GET', 503), policy)).toEqual({ action: 'done' });
    expect(decideRetry(outcome('GET', undefined), policy).action).toBe('retry');
  });

  it('the give-up reasons name the failure, the attempts and the limits', () => {
    expect(decideRetry(outcome('GET', 503, { attempts: 4 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'give-up', reason: 'HTTP 503 after 4 attempts (at most 3 retries)' });
    expect(decideRetry(outcome('GET', undefined, { attempts: 4 }), DEFAULT_RETRY_POLICY)).toEqual({ action: 'give-up', reason: 'a network failure after 4 attempts (at most 3 retries)' });
    expect(decideRetry(outcome('GET', 429, { headers: { 'retry-after': '2' }, elapsedMs: 179_000 }), DEFAULT_RETRY_POLICY)).toEqual({
      action: 'give-up',
      reason: 'HTTP 429; waiting 2000 ms more would pass the 180000 ms limit',
    });
  });

  it('parseRetryAfter: the asctime form with a two-digit day; dates Date.parse reads without a month or day name are refused', () => {
    expect(parseRetryAfter('Sun Jun 01 12:00:30 2025', T0)).toBe(30_000);
    expect(parseRetryAfter('Sun Jun 11 12:00:00 2025', T0)).toBe(10 * 86_400_000);
    // Date.parse reads these, but they hold no month or weekday name: not HTTP dates.
    expect(parseRetryAfter('2025-06-01 12:00:30', T0)).toBeUndefined();
    expect(parseRetryAfter('2025/06/01 12:00:30 GMT', T0)).toBeUndefined();
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', new Date(T0.getTime() + 30_000))).toBe(0);
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', new Date(T0.getTime() + 29_000))).toBe(1000);
    expect(parseRetryAfter('\t5\t', T0)).toBe(5000);
    expect(parseRetryAfter('5 s', T0)).toBeUndefined();
    expect(parseRetryAfter('Sun, 99 Jun 2025 12:00:30 GMT', T0)).toBeUndefined();
  });
});

describe('retry: Retry-After dates are read as GMT whatever the local time zone', () => {
  /** Date.parse as in a process whose local time is UTC-5: text without a zone is 5 hours later. */
  function inUtcMinus5<T>(fn: () => T): T {
    const real = Date.parse;
    const spy = vi.spyOn(Date, 'parse').mockImplementation((s: string) => real(s) + (/\b(GMT|UTC)\b|Z$|[+-]\d{4}$/.test(s) ? 0 : 5 * 3_600_000));
    try {
      return fn();
    } finally {
      spy.mockRestore();
    }
  }

  it('the asctime form (one- or two-digit day) is GMT', () => {
    inUtcMinus5(() => {
      expect(parseRetryAfter('Sun Jun  1 12:00:30 2025', T0)).toBe(30_000);
      expect(parseRetryAfter('Sun Jun 01 12:00:30 2025', T0)).toBe(30_000);
      expect(parseRetryAfter('Wed Jun 11 12:00:30 2025', T0)).toBe(10 * 86_400_000 + 30_000);
      expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', T0)).toBe(30_000);
    });
  });

  it('text that is not exactly the asctime form is left to Date.parse (local time when it names no zone)', () => {
    inUtcMinus5(() => {
      const local = 5 * 3_600_000 + 30_000;
      expect(parseRetryAfter('X Sun Jun  1 12:00:30 2025', T0)).toBe(local);
      expect(parseRetryAfter('Sun Jun  1 12:00:30 2025 (c)', T0)).toBe(local);
    });
  });

  it('a date whose only letters are a one- or two-letter word is not an HTTP date', () => {
    expect(Date.parse('2025/06/01 12:00:30 PM GMT')).not.toBeNaN();
    expect(parseRetryAfter('2025/06/01 12:00:30 PM GMT', T0)).toBeUndefined();
  });

  it('resolvePolicy without a policy gives the frozen defaults', () => {
    expect(Object.isFrozen(resolvePolicy(undefined))).toBe(true);
    expect(Object.isFrozen(resolvePolicy({}))).toBe(false);
  });
});
