import { redactJson, redactText } from '#libs/ddd/index.js';
import type { Db } from './db.js';
import { sql, type SqlStatement } from './sql.js';

/**
 * Erasure (SPEC §16) of personal data written into free text and JSON: `select` returns the
 * candidate rows (`key` plus the columns to clean, locked FOR UPDATE), each text or JSON value is
 * redacted in memory (libs/ddd redactText / redactJson), and only the rows that changed are
 * written back with `update`. Returns how many rows changed. An erasure concerns a few dozen
 * rows, so one UPDATE per changed row keeps it simple and exact.
 */
export async function redactRows<R extends { key: unknown }>(
  db: Db,
  values: readonly string[],
  select: SqlStatement,
  update: (row: R) => SqlStatement,
): Promise<number> {
  if (values.length === 0) return 0;
  const rows = await db.query<R>(select);
  let changed = 0;
  for (const row of rows) {
    const next = { ...row } as Record<string, unknown>;
    let dirty = false;
    for (const [column, value] of Object.entries(row)) {
      if (column === 'key' || value === null || value === undefined) continue;
      const redacted = typeof value === 'string' ? redactText(value, values) : redactJson(value, values);
      if (JSON.stringify(redacted) !== JSON.stringify(value)) {
        next[column] = redacted;
        dirty = true;
      }
    }
    if (!dirty) continue;
    await db.execute(update(next as R));
    changed++;
  }
  return changed;
}

/** A JSON value as the text a `::jsonb` parameter takes (null stays SQL NULL). */
export function jsonParam(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * Marks the current transaction as an erasure: the audit log's and the rewards' guards then let
 * personal data in reasons and before/after values be blanked (and nothing else). Ends with the
 * transaction (set_config … is_local).
 */
export async function allowErasure(db: Db): Promise<void> {
  await db.query(sql`SELECT set_config('circletel.erasure', 'on', true)`);
}
