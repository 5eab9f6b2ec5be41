import { BusinessDate, ValidationFailed } from '#libs/ddd/index.js';

/** The business date a nightly step runs for. */
export function parseAsOf(asOf: string): BusinessDate {
  const date = BusinessDate.tryParse(asOf);
  if (!date) throw new ValidationFailed([{ field: 'asOf', message: 'asOf must be a date YYYY-MM-DD' }]);
  return date;
}

export function positiveBatchSize(n: number, fallback: number): number {
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
