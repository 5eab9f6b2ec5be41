import { Prisma } from '../../../../platform/database/generated/client.js';

/**
 * SQL for "the start of (dateColumn + days) in SAST" as a timestamptz: midnight of that
 * calendar date taken as UTC, minus the two hours SAST is ahead (no daylight saving).
 * Independent of the session time zone. `column` is a trusted identifier, never user input.
 */
export function startOfSastDaySql(
  column: 'r.referred_on' | 'r.activated_on' | 'activated_on',
  days: number,
): Prisma.Sql {
  return Prisma.sql`((${Prisma.raw(column)} + ${days}::int)::timestamp AT TIME ZONE 'UTC' - interval '2 hours')`;
}

/**
 * Keyset pagination of the nightly batches: each batch takes the next `batchSize` matching ids
 * after the previous batch's largest, so a run over a million rows walks the index once
 * (ORDER BY id LIMIT n alone re-reads every row already processed, batch after batch).
 */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export function maxId(rows: { id: string }[], after: string): string {
  return rows.reduce((max, r) => (r.id > max ? r.id : max), after);
}
