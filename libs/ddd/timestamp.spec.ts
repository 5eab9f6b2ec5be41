import { parseTimestamp } from './timestamp.js';

describe('parseTimestamp', () => {
  it.each([
    ['2026-02-01T08:00:00.000Z', '2026-02-01T08:00:00.000Z'],
    ['2026-02-01T08:00:00Z', '2026-02-01T08:00:00.000Z'],
    ['2026-02-01T08:00Z', '2026-02-01T08:00:00.000Z'],
    ['2026-02-01T08:00:00.123456Z', '2026-02-01T08:00:00.123Z'],
    ['2026-02-01T00:30:00+02:00', '2026-01-31T22:30:00.000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z'],
    ['2100-12-31T23:59:59.999Z', '2100-12-31T23:59:59.999Z'],
  ])('reads %s', (input, iso) => {
    expect(parseTimestamp(input)?.toISOString()).toBe(iso);
  });

  it.each([
    ['2026-02-30T08:00:00Z', '30 February'],
    ['2026-13-01T08:00:00Z', 'month 13'],
    ['2026-02-01T24:00:00Z', 'hour 24'],
    ['2026-02-01T08:60:00Z', 'minute 60'],
    ['2026-02-01T08:00:00', 'no time zone'],
    ['2026-02-01', 'a date, not a timestamp'],
    ['2026-02-01 08:00:00Z', 'a space instead of T'],
    ['2026-02-01T08:00:00+25:00', 'an impossible offset'],
    ['0000-01-10T08:00:00.000Z', 'year 0000 (PostgreSQL has no year 0)'],
    ['0099-12-31T08:00:00Z', 'year 0099, which Date.UTC would read as 1999'],
    ['1999-12-31T23:59:59.999Z', 'the last instant before 2000'],
    ['2000-01-01T01:00:00+02:00', '2000 as written, 1999 in UTC'],
    ['2101-01-01T00:00:00Z', 'the first instant after 2100'],
    ['9999-12-31T23:59:59Z', 'year 9999'],
    ['1769932800000', 'epoch milliseconds'],
    ['yesterday', 'words'],
  ])('rejects %s (%s)', (input) => {
    expect(parseTimestamp(input)).toBeUndefined();
  });

  it('rejects a number', () => {
    expect(parseTimestamp(1769932800000)).toBeUndefined();
  });
});
