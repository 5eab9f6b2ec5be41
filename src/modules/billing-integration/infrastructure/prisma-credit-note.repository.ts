import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '../../../platform/database/transaction.js';
import { BusinessDate, Money } from '#libs/ddd/index.js';
import type { Db } from '../../../platform/database/transaction.js';
import type { CreditNote as CreditNoteRow } from '../../../platform/database/generated/client.js';
import { creditNoteNumber } from '../domain/billing-cycle.js';
import { CreditNote, VAT_RATE_BASIS_POINTS, periodKey, type CreditableService } from '../domain/credit-note.js';

/**
 * Credit notes (`credit_notes`, append-only) and their gapless numbering
 * (`credit_note_sequences`, one row per SAST year, locked by the issuing transaction).
 */
@Injectable()
export class PrismaCreditNoteRepository {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async findByRewardIds(rewardIds: string[]): Promise<CreditNote[]> {
    if (rewardIds.length === 0) return [];
    const rows = await this.db.tx.creditNote.findMany({ where: { rewardId: { in: rewardIds } } });
    return rows.map(toCreditNote);
  }

  /** periodKey()s of the credit notes of these services for cycles starting on or after `from`. */
  async usedPeriods(serviceIds: string[], from: BusinessDate): Promise<Set<string>> {
    if (serviceIds.length === 0) return new Set();
    const rows = await this.db.tx.creditNote.findMany({
      where: { serviceId: { in: serviceIds }, periodStart: { gte: from.toDbDate() } },
      select: { serviceId: true, periodStart: true },
    });
    return new Set(rows.map((r) => periodKey(r.serviceId, BusinessDate.fromDbDate(r.periodStart))));
  }

  /** The active services of these customers, with their price history. */
  async activeServicesOf(customerIds: string[]): Promise<CreditableService[]> {
    if (customerIds.length === 0) return [];
    const services = await this.db.tx.billingService.findMany({
      where: { customerId: { in: customerIds }, status: 'active' },
    });
    if (services.length === 0) return [];
    const prices = await this.db.tx.billingServicePrice.findMany({
      where: { serviceId: { in: services.map((s) => s.id) } },
    });
    return services.map((s) => ({
      serviceId: s.id,
      customerId: s.customerId,
      billingDay: s.billingDay,
      activatedOn: BusinessDate.fromDbDate(s.activatedOn),
      activatedAt: s.activatedAt,
      monthlyPrice: Money.ofCents(s.monthlyPriceCents),
      prices: prices
        .filter((p) => p.serviceId === s.id)
        .map((p) => ({
          effectiveOn: BusinessDate.fromDbDate(p.effectiveOn),
          effectiveAt: p.effectiveAt,
          price: Money.ofCents(p.priceCents),
        })),
    }));
  }

  /**
   * Reserves `count` consecutive numbers of `year` and returns the first. The year's row stays
   * locked until the transaction ends, so concurrent issuers queue and numbers never gap (a
   * rollback gives the block back).
   */
  async allocateNumbers(year: number, count: number): Promise<number> {
    const [row] = await this.db.tx.$queryRaw<{ last_seq: number }[]>`
      INSERT INTO credit_note_sequences (year, last_seq) VALUES (${year}::int, ${count}::int)
      ON CONFLICT (year) DO UPDATE SET last_seq = credit_note_sequences.last_seq + ${count}::int
      RETURNING last_seq`;
    return Number(row!.last_seq) - count + 1;
  }

  async insertMany(notes: CreditNote[]): Promise<void> {
    if (notes.length === 0) return;
    await this.db.tx.creditNote.createMany({
      data: notes.map(({ props: p }) => ({
        id: p.id,
        number: creditNoteNumber(p.year, p.sequence),
        year: p.year,
        sequence: p.sequence,
        customerId: p.customerId,
        serviceId: p.serviceId,
        rewardId: p.rewardId,
        periodStart: p.periodStart.toDbDate(),
        periodEnd: p.periodEnd.toDbDate(),
        amountInclVat: p.amountInclVat.cents,
        vatAmount: p.vatAmount.cents,
        amountExclVat: p.amountExclVat.cents,
        vatRateBasis: VAT_RATE_BASIS_POINTS,
        issuedAt: p.issuedAt,
      })),
    });
  }

  /** A customer's credit notes, newest first (issuedAt desc, id desc), after the keyset position. */
  async pageOfCustomer(
    customerId: string,
    limit: number,
    after?: { issuedAt: Date; id: string },
  ): Promise<CreditNote[]> {
    const rows = await this.db.tx.creditNote.findMany({
      where: {
        customerId,
        ...(after
          ? { OR: [{ issuedAt: { lt: after.issuedAt } }, { issuedAt: after.issuedAt, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map(toCreditNote);
  }
}

function toCreditNote(r: CreditNoteRow): CreditNote {
  return CreditNote.rehydrate({
    id: r.id,
    year: r.year,
    sequence: r.sequence,
    customerId: r.customerId,
    serviceId: r.serviceId,
    rewardId: r.rewardId,
    periodStart: BusinessDate.fromDbDate(r.periodStart),
    periodEnd: BusinessDate.fromDbDate(r.periodEnd),
    amountInclVat: Money.ofCents(r.amountInclVat),
    vatAmount: Money.ofCents(r.vatAmount),
    amountExclVat: Money.ofCents(r.amountExclVat),
    issuedAt: r.issuedAt,
  });
}
