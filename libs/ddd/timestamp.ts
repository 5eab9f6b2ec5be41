import { daysInMonth, INPUT_YEARS } from './business-date.js';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** The first instant a client may send, and the first one after the last (SPEC §1: 2000–2100, UTC). */
const EARLIEST = Date.parse(`${INPUT_YEARS.first}-01-01T00:00:00.000Z`);
const AFTER_LAST = Date.parse(`${INPUT_YEARS.last + 1}-01-01T00:00:00.000Z`);

/** What `parseTimestamp` accepts, for field error messages. */
export const TIMESTAMP_RULE = `an ISO-8601 timestamp with a time zone in the years ${INPUT_YEARS.first}–${INPUT_YEARS.last}, e.g. 2026-02-01T00:00:00.000Z`;

/**
 * The one reading of a timestamp a client sends: a real ISO-8601 instant with an explicit zone
 * (Z or ±hh:mm) — 30 February or 24:00 are not — falling in the years 2000–2100 (UTC). Anything
 * else is undefined; PostgreSQL never sees year 0000 or 275760.
 */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!)) return undefined;
  if (hour! > 23 || minute! > 59 || second! > 59) return undefined;
  if (m[7] !== 'Z' && (Number(m[8]) > 23 || Number(m[9]) > 59)) return undefined;
  const at = new Date(value);
  const ms = at.getTime();
  return Number.isNaN(ms) || ms < EARLIEST || ms >= AFTER_LAST ? undefined : at;
}
