import fc from 'fast-check';
import { BusinessDate, daysInMonth } from './business-date.js';

const d = (iso: string) => BusinessDate.parse(iso);
const MIN_DAY = BusinessDate.of(1990, 1, 1).dayNumber;
const MAX_DAY = BusinessDate.of(2100, 12, 31).dayNumber;
const anyDate = fc.integer({ min: MIN_DAY, max: MAX_DAY }).map(BusinessDate.fromDayNumber);

describe('BusinessDate', () => {
  describe('the SAST midnight boundary', () => {
    it('2026-01-31T21:59:59.999Z is still 31 January in Johannesburg', () => {
      expect(BusinessDate.ofInstant(new Date('2026-01-31T21:59:59.999Z')).toString()).toBe('2026-01-31');
    });

    it('2026-01-31T22:00:00.000Z is already 1 February in Johannesburg', () => {
      expect(BusinessDate.ofInstant(new Date('2026-01-31T22:00:00.000Z')).toString()).toBe('2026-02-01');
    });

    it("an instant late on New Year's Eve UTC is already the new year in SAST", () => {
      expect(BusinessDate.ofInstant(new Date('2026-12-31T23:30:00.000Z')).toString()).toBe('2027-01-01');
    });

    it('the start of 1 February 2026 is 22:00 UTC on 31 January', () => {
      expect(d('2026-02-01').startOfDay().toISOString()).toBe('2026-01-31T22:00:00.000Z');
    });
  });

  describe('parsing', () => {
    it('reads a YYYY-MM-DD date', () => {
      const date = d('2026-02-01');
      expect([date.year, date.month, date.day]).toEqual([2026, 2, 1]);
      expect(date.toString()).toBe('2026-02-01');
      expect(JSON.stringify({ date })).toBe('{"date":"2026-02-01"}');
    });

    it.each([
      ['2026-02-30', 'February has no 30th'],
      ['2026-02-29', '2026 is not a leap year'],
      ['2026-04-31', 'April has 30 days'],
      ['2026-13-01', 'there is no 13th month'],
      ['2026-00-10', 'there is no month 0'],
      ['2026-01-00', 'there is no day 0'],
      ['2026-2-1', 'month and day need two digits'],
      ['2026-02-01T00:00:00Z', 'a timestamp is not a date'],
      [' 2026-02-01', 'surrounding space'],
      ['01/02/2026', 'another format'],
      ['', 'empty'],
    ])('rejects "%s" (%s)', (input) => {
      expect(BusinessDate.tryParse(input)).toBeUndefined();
      expect(() => BusinessDate.parse(input)).toThrow(RangeError);
    });

    it.each([
      ['0000-01-01', 'year 0000'],
      ['0001-01-01', 'year 0001, which Date.UTC would read as 1901'],
      ['0099-12-31', 'year 0099, which Date.UTC would read as 1999'],
      ['1999-12-31', 'the day before 2000'],
      ['2101-01-01', 'the day after 2100'],
      ['9999-12-31', 'year 9999'],
    ])('rejects "%s" (%s): a client\'s dates lie in 2000–2100', (input) => {
      expect(BusinessDate.tryParse(input)).toBeUndefined();
      expect(() => BusinessDate.parse(input)).toThrow(RangeError);
    });

    it.each([['2000-01-01'], ['2100-12-31']])('accepts the boundary date %s', (iso) => {
      expect(BusinessDate.tryParse(iso)?.toString()).toBe(iso);
    });

    it('reads years before 100 literally when asked for any year, never as 19xx', () => {
      expect(BusinessDate.tryParseAnyYear('0099-12-31')?.toString()).toBe('0099-12-31');
      expect(BusinessDate.tryParseAnyYear('0001-01-01')?.toString()).toBe('0001-01-01');
      expect(BusinessDate.of(99, 12, 31).toString()).toBe('0099-12-31');
      expect(BusinessDate.tryParseAnyYear('0099-12-31')?.isInInputYears()).toBe(false);
      expect(daysInMonth(4, 2)).toBe(29);
    });

    it('rejects a non-string', () => {
      expect(BusinessDate.tryParse(20260201)).toBeUndefined();
      expect(BusinessDate.tryParse(new Date())).toBeUndefined();
    });
  });

  describe('leap years', () => {
    it.each([
      ['2024-02-29', '2024 is divisible by 4'],
      ['2028-02-29', '2028 is divisible by 4'],
      ['2000-02-29', '2000 is divisible by 400'],
    ])('%s exists because %s', (iso) => {
      expect(BusinessDate.tryParse(iso)?.toString()).toBe(iso);
    });

    it('1900-02-29 does not exist because 1900 is a century not divisible by 400', () => {
      expect(BusinessDate.tryParseAnyYear('1900-02-29')).toBeUndefined();
      expect(BusinessDate.tryParseAnyYear('1900-02-28')).toBeDefined();
    });

    it('February has 29 days in a leap year and 28 otherwise', () => {
      expect(daysInMonth(2024, 2)).toBe(29);
      expect(daysInMonth(2026, 2)).toBe(28);
      expect(daysInMonth(2100, 2)).toBe(28);
      expect(daysInMonth(2026, 4)).toBe(30);
      expect(daysInMonth(2026, 12)).toBe(31);
    });

    it('a leap year has 366 days and a common year 365', () => {
      expect(d('2024-01-01').daysUntil(d('2025-01-01'))).toBe(366);
      expect(d('2026-01-01').daysUntil(d('2027-01-01'))).toBe(365);
    });
  });

  describe('plusDays', () => {
    it('crosses month and year ends', () => {
      expect(d('2026-01-31').plusDays(1).toString()).toBe('2026-02-01');
      expect(d('2026-12-31').plusDays(1).toString()).toBe('2027-01-01');
      expect(d('2024-02-28').plusDays(1).toString()).toBe('2024-02-29');
      expect(d('2026-02-28').plusDays(1).toString()).toBe('2026-03-01');
    });

    it('goes backwards with a negative count', () => {
      expect(d('2026-03-01').plusDays(-1).toString()).toBe('2026-02-28');
      expect(d('2027-01-01').plusDays(-1).toString()).toBe('2026-12-31');
    });

    it('30 days after 15 November 2026 is 15 December 2026', () => {
      expect(d('2026-11-15').plusDays(30).toString()).toBe('2026-12-15');
    });
  });

  describe('plusMonths', () => {
    it('keeps the day of the month when the target month has it', () => {
      expect(d('2026-01-15').plusMonths(1).toString()).toBe('2026-02-15');
      expect(d('2026-12-15').plusMonths(1).toString()).toBe('2027-01-15');
    });

    it('31 January plus one month is clamped to 28 February in a common year', () => {
      expect(d('2026-01-31').plusMonths(1).toString()).toBe('2026-02-28');
    });

    it('31 January plus one month is clamped to 29 February in a leap year', () => {
      expect(d('2024-01-31').plusMonths(1).toString()).toBe('2024-02-29');
    });

    it('31 March plus one month is clamped to 30 April', () => {
      expect(d('2026-03-31').plusMonths(1).toString()).toBe('2026-04-30');
    });

    it('29 February plus twelve months is 28 February of the next year', () => {
      expect(d('2024-02-29').plusMonths(12).toString()).toBe('2025-02-28');
    });

    it('goes backwards across a year end with a negative count', () => {
      expect(d('2026-01-31').plusMonths(-1).toString()).toBe('2025-12-31');
      expect(d('2026-03-31').plusMonths(-1).toString()).toBe('2026-02-28');
      expect(d('2026-01-15').plusMonths(-13).toString()).toBe('2024-12-15');
    });

    it('plus zero months is the same date', () => {
      expect(d('2026-05-31').plusMonths(0).equals(d('2026-05-31'))).toBe(true);
    });
  });

  describe('comparison and conversion', () => {
    it('compares dates', () => {
      const a = d('2026-02-01');
      const b = d('2026-02-02');
      expect(a.isBefore(b) && b.isAfter(a)).toBe(true);
      expect(a.isOnOrBefore(a) && a.isOnOrAfter(a)).toBe(true);
      expect(a.isBefore(a) || a.isAfter(a)).toBe(false);
      expect(a.daysUntil(b)).toBe(1);
      expect(b.daysUntil(a)).toBe(-1);
    });

    it('the month key is YYYY-MM', () => {
      expect(d('2026-02-01').monthKey()).toBe('2026-02');
    });

    it('a database date is UTC midnight of the same calendar date', () => {
      expect(d('2026-02-01').toDbDate().toISOString()).toBe('2026-02-01T00:00:00.000Z');
      expect(BusinessDate.fromDbDate(new Date('2026-02-01T00:00:00.000Z')).toString()).toBe('2026-02-01');
    });
  });

  describe('properties', () => {
    it('formatting then parsing any date of years 0000–9999 gives the same date', () => {
      const everyYear = fc
        .integer({ min: BusinessDate.of(0, 1, 1).dayNumber, max: BusinessDate.of(9999, 12, 31).dayNumber })
        .map(BusinessDate.fromDayNumber);
      fc.assert(
        fc.property(everyYear, (date) => {
          expect(BusinessDate.tryParseAnyYear(date.toString())?.equals(date)).toBe(true);
          expect(BusinessDate.tryParse(date.toString())?.equals(date) ?? false).toBe(date.isInInputYears());
        }),
      );
    });

    it('the first and the last millisecond of a SAST day both fall on that date, and the next millisecond does not', () => {
      fc.assert(
        fc.property(anyDate, (date) => {
          const start = date.startOfDay().getTime();
          expect(BusinessDate.ofInstant(new Date(start)).equals(date)).toBe(true);
          expect(BusinessDate.ofInstant(new Date(start + 86_400_000 - 1)).equals(date)).toBe(true);
          expect(BusinessDate.ofInstant(new Date(start + 86_400_000)).equals(date.plusDays(1))).toBe(true);
          expect(BusinessDate.ofInstant(new Date(start - 1)).equals(date.plusDays(-1))).toBe(true);
        }),
      );
    });

    it('a date survives a round trip through a database date', () => {
      fc.assert(
        fc.property(anyDate, (date) => expect(BusinessDate.fromDbDate(date.toDbDate()).equals(date)).toBe(true)),
      );
    });

    it("plusMonths lands in the right month, on the same day or the month's last day", () => {
      fc.assert(
        fc.property(anyDate, fc.integer({ min: -36, max: 36 }), (date, n) => {
          const moved = date.plusMonths(n);
          const expectedIndex = date.year * 12 + date.month - 1 + n;
          expect(moved.year * 12 + moved.month - 1).toBe(expectedIndex);
          expect(moved.day).toBe(Math.min(date.day, daysInMonth(moved.year, moved.month)));
        }),
      );
    });

    it('plusDays then daysUntil gives the count back', () => {
      fc.assert(
        fc.property(anyDate, fc.integer({ min: -1000, max: 1000 }), (date, n) => {
          expect(date.daysUntil(date.plusDays(n))).toBe(n);
        }),
      );
    });
  });
});
