import { formatBusinessDate, formatSastDate } from '#libs/ddd/index.js';

export { formatRand } from '#libs/ddd/index.js';

/**
 * A date in an e-mail, in SAST: a business date "2026-03-01" or an instant
 * "2026-02-28T22:00:00.000Z" (midnight SAST on 1 March) → "1 March 2026" (libs/ddd/customer-wording.ts).
 */
export function formatDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatBusinessDate(value) : formatSastDate(value);
}
