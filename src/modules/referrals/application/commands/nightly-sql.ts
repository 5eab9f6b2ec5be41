import { Prisma } from '../../../../platform/database/generated/client.js';

/**
 * SQL for "the start of (dateColumn + days) in SAST" as a timestamptz: midnight of that
 * calendar date taken as UTC, minus the two hours SAST is ahead (no daylight saving).
 * Independent of the session time zone. `column` is a trusted identifier, never user input.
 */
export function startOfSastDaySql(column: 'r.referred_on' | 'r.activated_on' | 'activated_on', days: number): Prisma.Sql {
  return Prisma.sql`((${Prisma.raw(column)} + ${days}::int)::timestamp AT TIME ZONE 'UTC' - interval '2 hours')`;
}
