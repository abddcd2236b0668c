// Calendar arithmetic (encoding/time.ts) against Date, over every year a certificate can carry.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, daysInMonth, isoTime } from '../src/encoding/time.ts';

const YEAR_0 = new Date(0).setUTCFullYear(0, 0, 1);
const YEAR_10000 = new Date(0).setUTCFullYear(10000, 0, 1);

describe('calendar arithmetic', () => {
  it('property: isoTime is toISOString for every millisecond of years 0 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: YEAR_0, max: YEAR_10000 - 1 }), (time) => {
        expect(isoTime(time)).toBe(new Date(time).toISOString());
      }),
      { numRuns: 5000 },
    );
    for (const time of [YEAR_0, YEAR_10000 - 1, 0, -1, Date.UTC(2000, 1, 29), Date.UTC(1900, 2, 1) - 1]) {
      expect(isoTime(time)).toBe(new Date(time).toISOString());
    }
    expect(isoTime(YEAR_10000)).toBe(new Date(YEAR_10000).toISOString());
  });

  it('daysFromCivil and daysInMonth agree with Date on every month of years 0 to 9999', () => {
    for (let year = 0; year < 10000; year += 7) {
      for (let month = 1; month <= 12; month++) {
        const first = new Date(0);
        first.setUTCFullYear(year, month - 1, 1);
        expect(daysFromCivil(year, month, 1) * 86_400_000).toBe(first.getTime());
        const last = new Date(0);
        last.setUTCFullYear(year, month, 0);
        expect(daysInMonth(year, month)).toBe(last.getUTCDate());
      }
    }
  });
});
