import { formatBusinessDate, formatPeriod, formatRand, formatSastDate } from './customer-wording.js';

describe('how amounts and dates are written for people', () => {
  it.each([
    ['0.00', 'R0.00'],
    ['7.5', 'R7.50'],
    ['799.00', 'R799.00'],
    ['1099.00', 'R1,099.00'],
    ['479.47', 'R479.47'],
    ['100000.00', 'R100,000.00'],
    ['1234567.89', 'R1,234,567.89'],
    ['-5.5', '-R5.50'],
  ])('writes %s rand as %s', (rand, text) => {
    expect(formatRand(rand)).toBe(text);
  });

  it.each([
    ['2026-03-01', '1 March 2026'],
    ['2026-12-31', '31 December 2026'],
    ['not a date', 'not a date'],
  ])('writes the business date %s as %s', (value, text) => {
    expect(formatBusinessDate(value)).toBe(text);
  });

  it.each([
    // midnight SAST on 1 March is still 28 February in UTC: the date is the SAST one
    ['2026-02-28T22:00:00.000Z', '1 March 2026'],
    ['2026-02-28T21:59:59.999Z', '28 February 2026'],
    ['2027-01-10T10:00:00.000Z', '10 January 2027'],
  ])('writes the instant %s as the SAST date %s', (value, text) => {
    expect(formatSastDate(value)).toBe(text);
  });

  it.each([
    ['2026-03-01', '2026-03-31', '1–31 March 2026'],
    ['2026-03-15', '2026-04-14', '15 March – 14 April 2026'],
    ['2026-12-15', '2027-01-14', '15 December 2026 – 14 January 2027'],
  ])('writes the period %s to %s as %s', (start, end, text) => {
    expect(formatPeriod(start, end)).toBe(text);
  });
});
