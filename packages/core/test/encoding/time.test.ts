// Calendar arithmetic (encoding/time.ts) against Date, over every year a certificate can carry.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, daysInMonth, isoTime } from '../../src/encoding/time.ts';

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

describe('isoTime edges', () => {
  it('every day from 1896 to 2104, and Feb 28, Feb 29 / Mar 1 and Dec 31 of every year 0 to 9999', () => {
    const DAY = 86_400_000;
    const wrong: string[] = [];
    const check = (time: number): void => {
      const want = new Date(time).toISOString();
      if (isoTime(time) !== want) wrong.push(want);
    };
    for (let time = Date.UTC(1896, 0, 1); time < Date.UTC(2105, 0, 1); time += DAY) check(time);
    for (let year = 0; year < 10000; year++) {
      const mar1 = new Date(0).setUTCFullYear(year, 2, 1);
      check(mar1 - 2 * DAY);
      check(mar1 - DAY);
      check(mar1);
      check(new Date(0).setUTCFullYear(year, 11, 31) + DAY - 1);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('the fields of the time of day, and the milliseconds, are padded', () => {
    expect(isoTime(Date.UTC(2024, 0, 2, 3, 4, 5, 6))).toBe('2024-01-02T03:04:05.006Z');
    expect(isoTime(Date.UTC(2024, 11, 31, 23, 59, 59, 999))).toBe('2024-12-31T23:59:59.999Z');
    expect(isoTime(Date.UTC(2024, 0, 1, 10, 20, 30, 40))).toBe('2024-01-01T10:20:30.040Z');
    expect(isoTime(new Date(0).setUTCFullYear(5, 0, 1))).toBe('0005-01-01T00:00:00.000Z');
    expect(isoTime(new Date(0).setUTCFullYear(123, 6, 1))).toBe('0123-07-01T00:00:00.000Z');
  });

  it('times before year 0 and from year 10000 take toISOString’s extended-year form', () => {
    expect(isoTime(YEAR_0 - 1)).toBe('-000001-12-31T23:59:59.999Z');
    expect(isoTime(YEAR_10000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoTime(-8.64e15)).toBe('-271821-04-20T00:00:00.000Z');
    expect(isoTime(8.64e15)).toBe('+275760-09-13T00:00:00.000Z');
  });

  it('daysFromCivil: days before 1970 are negative, year 0 and March boundaries', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(daysFromCivil(2000, 2, 29)).toBe(11016);
    expect(daysFromCivil(0, 1, 1)).toBe(-719528);
    expect(daysFromCivil(0, 3, 1)).toBe(-719468);
  });

  it('daysInMonth: the Gregorian leap-year rule', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2023, 2), daysInMonth(1900, 2), daysInMonth(2000, 2), daysInMonth(2100, 2), daysInMonth(2400, 2)]).toEqual([29, 28, 28, 29, 28, 29]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  });
});
