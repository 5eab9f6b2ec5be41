import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { BusinessDate, Money } from '#libs/ddd/index.js';
import { creditNoteNumber } from '../domain/billing-cycle.js';
import { CreditNote, periodKey } from '../domain/credit-note.js';
import { CreditNoteRepository } from '../application/ports/credit-note.repository.js';

export interface CreditNoteRow {
  id: string;
  year: number;
  sequence: number;
  customerId: string;
  serviceId: string;
  rewardId: string;
  periodStart: string;
  periodEnd: string;
  amountInclVat: bigint;
  vatAmount: bigint;
  amountExclVat: bigint;
  vatRateBasis: number;
  issuedAt: Date;
  runId: string | null;
}

/** The select list of a credit note row, for every statement that reads whole notes. */
export const CREDIT_NOTE_COLUMNS = sql`
  n.id::text AS id, n.year, n.sequence, n.customer_id AS "customerId", n.service_id AS "serviceId",
  n.reward_id::text AS "rewardId", n.period_start AS "periodStart", n.period_end AS "periodEnd",
  n.amount_incl_vat_cents AS "amountInclVat", n.vat_amount_cents AS "vatAmount", n.amount_excl_vat_cents AS "amountExclVat",
  n.vat_rate_basis_points AS "vatRateBasis", n.issued_at AS "issuedAt", n.run_id::text AS "runId"`;

/**
 * Credit notes (`credit_notes`, append-only) and their gapless numbering
 * (`credit_note_sequences`, one row per SAST year, locked by the issuing transaction).
 */
@Injectable()
export class SqlCreditNoteRepository implements CreditNoteRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async findByRewardIds(rewardIds: string[]): Promise<CreditNote[]> {
    if (rewardIds.length === 0) return [];
    const rows = await this.db.query<CreditNoteRow>(sql`
      SELECT ${CREDIT_NOTE_COLUMNS} FROM credit_notes n WHERE n.reward_id = ANY(${rewardIds}::uuid[])`);
    return rows.map(toCreditNote);
  }

  /** periodKey()s of the credit notes of these services for cycles starting on or after `from`. */
  async usedPeriods(serviceIds: string[], from: BusinessDate): Promise<Set<string>> {
    if (serviceIds.length === 0) return new Set();
    const rows = await this.db.query<{ serviceId: string; periodStart: string }>(sql`
      SELECT service_id AS "serviceId", period_start AS "periodStart" FROM credit_notes
       WHERE service_id = ANY(${serviceIds}::text[]) AND period_start >= ${from.toString()}::date`);
    return new Set(rows.map((r) => periodKey(r.serviceId, BusinessDate.parse(r.periodStart))));
  }

  /**
   * Reserves `count` consecutive numbers of `year` and returns the first. The year's row stays
   * locked until the transaction ends, so concurrent issuers queue and numbers never gap (a
   * rollback gives the block back).
   */
  async allocateNumbers(year: number, count: number): Promise<number> {
    const row = await this.db.one<{ lastSeq: number }>(sql`
      INSERT INTO credit_note_sequences (year, last_seq) VALUES (${year}::int, ${count}::int)
      ON CONFLICT (year) DO UPDATE SET last_seq = credit_note_sequences.last_seq + ${count}::int
      RETURNING last_seq AS "lastSeq"`);
    return Number(row.lastSeq) - count + 1;
  }

  async insertMany(notes: CreditNote[]): Promise<void> {
    if (notes.length === 0) return;
    const p = notes.map((n) => n.props);
    await this.db.execute(sql`
      INSERT INTO credit_notes (id, number, year, sequence, customer_id, service_id, reward_id, period_start, period_end,
                                amount_incl_vat_cents, vat_amount_cents, amount_excl_vat_cents, vat_rate_basis_points,
                                issued_at, run_id)
      SELECT * FROM unnest(${p.map((x) => x.id)}::uuid[],
                           ${p.map((x) => creditNoteNumber(x.year, x.sequence))}::text[],
                           ${p.map((x) => x.year)}::int[], ${p.map((x) => x.sequence)}::int[],
                           ${p.map((x) => x.customerId)}::text[], ${p.map((x) => x.serviceId)}::text[],
                           ${p.map((x) => x.rewardId)}::uuid[], ${p.map((x) => x.periodStart.toString())}::date[],
                           ${p.map((x) => x.periodEnd.toString())}::date[], ${p.map((x) => x.amountInclVat.cents)}::bigint[],
                           ${p.map((x) => x.vatAmount.cents)}::bigint[], ${p.map((x) => x.amountExclVat.cents)}::bigint[],
                           ${p.map((x) => x.vatRateBasisPoints)}::int[], ${p.map((x) => x.issuedAt.toISOString())}::timestamptz[],
                           ${p.map((x) => x.runId)}::uuid[])`);
  }
}

export function toCreditNote(r: CreditNoteRow): CreditNote {
  return CreditNote.rehydrate({
    id: r.id,
    year: r.year,
    sequence: r.sequence,
    customerId: r.customerId,
    serviceId: r.serviceId,
    rewardId: r.rewardId,
    periodStart: BusinessDate.parse(r.periodStart),
    periodEnd: BusinessDate.parse(r.periodEnd),
    amountInclVat: Money.ofCents(r.amountInclVat),
    vatAmount: Money.ofCents(r.vatAmount),
    amountExclVat: Money.ofCents(r.amountExclVat),
    vatRateBasisPoints: r.vatRateBasis,
    issuedAt: r.issuedAt,
    runId: r.runId,
  });
}
