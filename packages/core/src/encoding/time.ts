// Calendar arithmetic for certificate times (RFC 5280 §4.1.2.5: years 0000 to 9999, UTC),
// without Date: reading a validity time and writing one in a message are the hot paths of a
// bulk lint.

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), as Date counts them. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** The date of a day count from 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Date.prototype.toISOString() for times in years 0 to 9999 (every certificate time), e.g.
 * '2025-06-01T00:00:00.000Z'; other times are passed to toISOString.
 */
export function isoTime(time: number): string {
  // Stryker disable next-line ArithmeticOperator: a wrong day count gives a year outside 0..9999, which takes the toISOString path below: the same text
  const days = Math.floor(time / 86_400_000);
  const [year, month, day] = civilFromDays(days);
  // Stryker disable next-line EqualityOperator: toISOString is what the fast path reproduces, so sending more years (or all) to it gives the same text
  if (year < 0 || year > 9999) return new Date(time).toISOString();
  const ms = time - days * 86_400_000;
  const seconds = Math.floor(ms / 1000);
  const millis = ms - seconds * 1000;
  return `${TWO[Math.floor(year / 100)]}${TWO[year % 100]}-${TWO[month]}-${TWO[day]}T${TWO[Math.floor(seconds / 3600)]}:${TWO[Math.floor(seconds / 60) % 60]}:${TWO[seconds % 60]}.${String(millis).padStart(3, '0')}Z`;
}
