/**
 * How amounts and dates are written for people — in e-mails, the customer widget and the admin
 * console — as on CircleTel's invoices: `R1,099.00`, `1 March 2026`, in South African time.
 * Pure functions with no Node or DOM API: the browser bundles import this file too.
 */

export const MONTH_NAMES = [
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
] as const;

const RAND = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** A rand amount as the API gives it ("1099.00", "-5.5") → "R1,099.00", "-R5.50". Anything else is shown as given. */
export function formatRand(rand: string): string {
  const m = RAND.exec(rand.trim());
  if (!m) return `R${rand}`;
  const whole = m[2]!.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m[1]}R${whole}.${(m[3] ?? '').padEnd(2, '0')}`;
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(ymd: string): { y: number; m: number; d: number } | undefined {
  const match = YMD.exec(ymd);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return m >= 1 && m <= 12 && d >= 1 && d <= 31 ? { y, m, d } : undefined;
}

/** A business date `2026-03-12` → `12 March 2026` (a calendar date: no time zone involved). Anything else as given. */
export function formatBusinessDate(ymd: string): string {
  const p = parts(ymd);
  return p ? `${p.d} ${MONTH_NAMES[p.m - 1]} ${p.y}` : ymd;
}

const SAST_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Africa/Johannesburg',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** An instant as the calendar date it was in South Africa: `2026-01-09T23:30:00Z` → `10 January 2026`. */
export function formatSastDate(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : formatBusinessDate(SAST_DATE.format(at));
}

/** A billing period, both ends included: `1–31 March 2026`, `15 March – 14 April 2026`, `15 December 2026 – 14 January 2027`. */
export function formatPeriod(start: string, end: string): string {
  const a = parts(start);
  const b = parts(end);
  if (!a || !b) return `${formatBusinessDate(start)} – ${formatBusinessDate(end)}`;
  if (a.y === b.y && a.m === b.m) return `${a.d}–${b.d} ${MONTH_NAMES[b.m - 1]} ${b.y}`;
  if (a.y === b.y) return `${a.d} ${MONTH_NAMES[a.m - 1]} – ${b.d} ${MONTH_NAMES[b.m - 1]} ${b.y}`;
  return `${formatBusinessDate(start)} – ${formatBusinessDate(end)}`;
}
