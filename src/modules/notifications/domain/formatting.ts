import { BusinessDate, Money } from '#libs/ddd/index.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A rand amount as customers read it in an e-mail: "1099.00" → "R1,099.00" (thousands with commas). */
export function formatRand(rand: string): string {
  const [whole = '0', cents = '00'] = Money.fromRand(rand).toRand().split('.');
  return `R${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/**
 * A date as customers read it, in SAST: a business date "2026-03-01" or an instant
 * "2026-02-28T22:00:00.000Z" (midnight SAST on 1 March) → "1 March 2026".
 */
export function formatDate(value: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? BusinessDate.parse(value) : BusinessDate.ofInstant(new Date(value));
  const [y, m, d] = date.toString().split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** The first word of a name ("Thandi Nkosi" → "Thandi"); empty when none is known. */
export function firstName(name: string | null | undefined): string {
  return (name ?? '').trim().split(/\s+/)[0] ?? '';
}
