import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import QueryStream from 'pg-query-stream';
import type { CreditTotalsByMonth } from '#libs/contracts/index.js';
import { BusinessDate } from '#libs/ddd/index.js';
import { Db } from '../../../platform/database/db.js';
import { pgTypes } from '../../../platform/database/pg-pool.js';
import { sql, type SqlStatement } from '../../../platform/database/sql.js';
import {
  CreditNoteRegister,
  type RegisterEntry,
  type RegisterPosition,
  type RegisterTotals,
} from '../application/ports/credit-note-register.js';
import { CREDIT_NOTE_COLUMNS, toCreditNote, type CreditNoteRow } from './credit-note.repository.js';

/** Rows fetched per round trip when streaming a period (the stream's memory is about one batch). */
const STREAM_BATCH_ROWS = 1000;

function entry(row: CreditNoteRow): RegisterEntry {
  return { ...toCreditNote(row).toView(), runId: row.runId };
}

/**
 * The period's notes: by issued_at (credit_notes_issued_at_idx), and within the SAST years the
 * period spans — a note's year is the SAST year of its issued_at — so that a walk in number order
 * (credit_notes_year_sequence_key, the plan a cursor prefers: rows flow before all are read)
 * starts at the period's first year rather than at the first note ever issued.
 */
function inPeriod(from: Date, to: Date): SqlStatement {
  const firstYear = BusinessDate.ofInstant(from).year;
  const lastYear = BusinessDate.ofInstant(new Date(to.getTime() - 1)).year;
  return sql`n.issued_at >= ${from}::timestamptz AND n.issued_at < ${to}::timestamptz
         AND n.year BETWEEN ${firstYear}::int AND ${lastYear}::int`;
}

/**
 * The credit-note register (SPEC §14) on credit_notes: pages by number (keyset on year, sequence),
 * totals and totals per SAST month summed in SQL (numeric: no sum of bigint cents overflows, read
 * back as bigint), and the whole period streamed through a server-side cursor (pg-query-stream) on
 * a connection of its own.
 */
@Injectable()
export class SqlCreditNoteRegister implements CreditNoteRegister {
  constructor(@Inject(Db) private readonly db: Db) {}

  async page(from: Date, to: Date, limit: number, after?: RegisterPosition): Promise<RegisterEntry[]> {
    const keyset = after ? sql`AND (n.year, n.sequence) > (${after.year}::int, ${after.sequence}::int)` : sql``;
    const rows = await this.db.query<CreditNoteRow>(sql`
      SELECT ${CREDIT_NOTE_COLUMNS} FROM credit_notes n
       WHERE ${inPeriod(from, to)} ${keyset}
       ORDER BY n.year, n.sequence LIMIT ${limit}::int`);
    return rows.map(entry);
  }

  async totals(from: Date, to: Date): Promise<RegisterTotals> {
    const row = await this.db.one<{ count: bigint; incl: string; vat: string; excl: string }>(sql`
      SELECT count(*) AS count, COALESCE(sum(n.amount_incl_vat_cents), 0)::text AS incl,
             COALESCE(sum(n.vat_amount_cents), 0)::text AS vat, COALESCE(sum(n.amount_excl_vat_cents), 0)::text AS excl
        FROM credit_notes n WHERE ${inPeriod(from, to)}`);
    return {
      count: row.count,
      inclVatCents: BigInt(row.incl),
      vatCents: BigInt(row.vat),
      exclVatCents: BigInt(row.excl),
    };
  }

  async totalsByMonth(from: Date, to: Date): Promise<CreditTotalsByMonth[]> {
    const rows = await this.db.query<{ month: string; count: bigint; incl: string; vat: string; excl: string }>(sql`
      SELECT to_char(n.issued_at AT TIME ZONE 'Africa/Johannesburg', 'YYYY-MM') AS month, count(*) AS count,
             sum(n.amount_incl_vat_cents)::text AS incl, sum(n.vat_amount_cents)::text AS vat,
             sum(n.amount_excl_vat_cents)::text AS excl
        FROM credit_notes n WHERE ${inPeriod(from, to)}
       GROUP BY 1 ORDER BY 1`);
    return rows.map((r) => ({
      month: r.month,
      count: Number(r.count),
      inclVatCents: BigInt(r.incl),
      vatCents: BigInt(r.vat),
      exclVatCents: BigInt(r.excl),
    }));
  }

  stream(from: Date, to: Date): Readable {
    const statement = sql`
      SELECT ${CREDIT_NOTE_COLUMNS} FROM credit_notes n WHERE ${inPeriod(from, to)} ORDER BY n.year, n.sequence`;
    const pool = this.db.pool;
    async function* rows(): AsyncGenerator<RegisterEntry> {
      const client = await pool.connect();
      let finished = false;
      try {
        // The pool's type parsers (int8 → bigint, date → string) are per query for a cursor.
        const query = client.query(
          new QueryStream(statement.text, statement.values, { batchSize: STREAM_BATCH_ROWS, types: pgTypes }),
        );
        for await (const row of query) yield entry(row as CreditNoteRow);
        finished = true;
      } finally {
        // Stopped early (the client went away, or an error): the connection may still be inside
        // the cursor's portal, so it is closed rather than given back to the pool.
        client.release(finished ? undefined : true);
      }
    }
    return Readable.from(rows(), { objectMode: true, highWaterMark: 1 });
  }
}
