import { firstName, formatDate, formatRand } from './formatting.js';

describe('e-mail formatting', () => {
  it.each([
    ['0.00', 'R0.00'],
    ['7.5', 'R7.50'],
    ['799.00', 'R799.00'],
    ['1099.00', 'R1,099.00'],
    ['479.47', 'R479.47'],
    ['100000.00', 'R100,000.00'],
    ['1234567.89', 'R1,234,567.89'],
  ])('writes %s rand as %s', (rand, text) => {
    expect(formatRand(rand)).toBe(text);
  });

  it.each([
    ['2026-03-01', '1 March 2026'],
    ['2026-12-31', '31 December 2026'],
    // midnight SAST on 1 March is still 28 February in UTC: the date is the SAST one
    ['2026-02-28T22:00:00.000Z', '1 March 2026'],
    ['2026-02-28T21:59:59.999Z', '28 February 2026'],
    ['2027-01-10T10:00:00.000Z', '10 January 2027'],
  ])('writes %s as %s (SAST)', (value, text) => {
    expect(formatDate(value)).toBe(text);
  });

  it('keeps only the first name', () => {
    expect(firstName('Thandi Nkosi')).toBe('Thandi');
    expect(firstName('  Sipho  ')).toBe('Sipho');
    expect(firstName('')).toBe('');
    expect(firstName(null)).toBe('');
  });
});
