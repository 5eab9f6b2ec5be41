import { ValidationFailed } from './domain-error.js';

/**
 * A calendar date in Africa/Johannesburg (SAST, UTC+2 all year: South Africa keeps no
 * daylight saving). Held as a day number since 1970-01-01, so arithmetic is exact and no
 * `Date` at local midnight ever stands in for a date.
 */
const SAST_OFFSET_MS = 2 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The years every date and timestamp a client sends must lie in (SPEC §1), inclusive: what the
 * business can mean, and what PostgreSQL and JavaScript's Date both hold without surprises.
 */
export const INPUT_YEARS = { first: 2000, last: 2100 } as const;

export class BusinessDate {
  private constructor(readonly dayNumber: number) {}

  static fromDayNumber(n: number): BusinessDate {
    return new BusinessDate(n);
  }

  /** "2026-02-01"; throws on anything `tryParse` refuses. */
  static parse(iso: string): BusinessDate {
    const parsed = BusinessDate.tryParse(iso);
    if (!parsed) throw new RangeError(`not a date: ${JSON.stringify(iso)}`);
    return parsed;
  }

  /**
   * The one reading of a date a client sends: exactly `YYYY-MM-DD`, a real calendar date, in
   * the years 2000–2100 (INPUT_YEARS). Anything else is undefined — never reinterpreted.
   */
  static tryParse(iso: unknown): BusinessDate | undefined {
    const date = BusinessDate.tryParseAnyYear(iso);
    return date?.isInInputYears() ? date : undefined;
  }

  /**
   * Exactly `YYYY-MM-DD` and a real calendar date, in any year 0000–9999 (year 0099 is 0099, not
   * 1999). For the one caller that judges the range itself: a run's `asOf`, where a date after
   * today is AS_OF_IN_FUTURE however far ahead it is. Everyone else uses `tryParse`.
   */
  static tryParseAnyYear(iso: unknown): BusinessDate | undefined {
    if (typeof iso !== 'string') return undefined;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!m) return undefined;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
    return BusinessDate.of(y, mo, d);
  }

  /** Any year, literally: `Date.UTC` would read years 0–99 as 1900–1999. */
  static of(year: number, month: number, day: number): BusinessDate {
    return new BusinessDate(Math.floor(utcMidnight(year, month - 1, day) / DAY_MS));
  }

  /** The SAST calendar date on which an instant falls. */
  static ofInstant(at: Date): BusinessDate {
    return new BusinessDate(Math.floor((at.getTime() + SAST_OFFSET_MS) / DAY_MS));
  }

  /** Prisma returns `@db.Date` columns as a Date at UTC midnight of that date. */
  static fromDbDate(d: Date): BusinessDate {
    return new BusinessDate(Math.floor(d.getTime() / DAY_MS));
  }

  /** For `@db.Date` columns: UTC midnight of this date. */
  toDbDate(): Date {
    return new Date(this.dayNumber * DAY_MS);
  }

  /** The instant this date starts in SAST (00:00 SAST = 22:00 UTC the day before). */
  startOfDay(): Date {
    return new Date(this.dayNumber * DAY_MS - SAST_OFFSET_MS);
  }

  get year(): number {
    return new Date(this.dayNumber * DAY_MS).getUTCFullYear();
  }
  get month(): number {
    return new Date(this.dayNumber * DAY_MS).getUTCMonth() + 1;
  }
  get day(): number {
    return new Date(this.dayNumber * DAY_MS).getUTCDate();
  }

  plusDays(n: number): BusinessDate {
    return new BusinessDate(this.dayNumber + n);
  }

  /** Same day-of-month n months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
  plusMonths(n: number): BusinessDate {
    const total = this.year * 12 + (this.month - 1) + n;
    const y = Math.floor(total / 12);
    const m = (total % 12) + 1;
    return BusinessDate.of(y, m, Math.min(this.day, daysInMonth(y, m)));
  }

  /** Whole days from this date to `other` (positive when other is later). */
  daysUntil(other: BusinessDate): number {
    return other.dayNumber - this.dayNumber;
  }

  isBefore(other: BusinessDate): boolean {
    return this.dayNumber < other.dayNumber;
  }
  isAfter(other: BusinessDate): boolean {
    return this.dayNumber > other.dayNumber;
  }
  isOnOrBefore(other: BusinessDate): boolean {
    return this.dayNumber <= other.dayNumber;
  }
  isOnOrAfter(other: BusinessDate): boolean {
    return this.dayNumber >= other.dayNumber;
  }
  equals(other: BusinessDate): boolean {
    return this.dayNumber === other.dayNumber;
  }

  /** Within INPUT_YEARS (2000–2100), the years a client's dates may lie in. */
  isInInputYears(): boolean {
    return this.year >= INPUT_YEARS.first && this.year <= INPUT_YEARS.last;
  }

  /** "YYYY-MM" of this date: the SAST calendar month. */
  monthKey(): string {
    return this.toString().slice(0, 7);
  }

  toString(): string {
    return new Date(this.dayNumber * DAY_MS).toISOString().slice(0, 10);
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * A period of business days `from`–`to` (both included, `YYYY-MM-DD`), as the reports and the
 * credit-note register take it: each a real date in the input years, `to` not before `from`
 * (VALIDATION_FAILED otherwise, naming the field).
 */
export function parsePeriod(fromIso: unknown, toIso: unknown): { from: BusinessDate; to: BusinessDate } {
  const from = BusinessDate.tryParse(fromIso);
  const to = BusinessDate.tryParse(toIso);
  const dateRule = `must be a real calendar date YYYY-MM-DD in ${INPUT_YEARS.first}–${INPUT_YEARS.last}`;
  const errors = [
    ...(from ? [] : [{ field: 'from', message: `from ${dateRule}` }]),
    ...(to ? [] : [{ field: 'to', message: `to ${dateRule}` }]),
  ];
  if (!from || !to) throw new ValidationFailed(errors);
  if (to.isBefore(from)) throw new ValidationFailed([{ field: 'to', message: 'to must be on or after from' }]);
  return { from, to };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(utcMidnight(year, month, 0)).getUTCDate();
}

/** Date.UTC without its two-digit-year mapping (0–99 → 1900–1999): month 0-based, day may overflow. */
function utcMidnight(year: number, monthIndex: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}
