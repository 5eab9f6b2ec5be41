import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../../../platform/database/prisma.service.js';
import { BusinessDate, Money } from '#libs/ddd/index.js';
import { CreditNote } from '../domain/credit-note.js';
import { CreditNoteReadModel } from '../application/ports/credit-note.read-model.js';

/** Back-office reads of credit notes (Prisma Client, outside any transaction). */
@Injectable()
export class PrismaCreditNoteReadModel implements CreditNoteReadModel {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** A customer's credit notes, newest first (issuedAt desc, id desc), after the keyset position. */
  async pageOfCustomer(
    customerId: string,
    limit: number,
    after?: { issuedAt: Date; id: string },
  ): Promise<CreditNote[]> {
    const rows = await this.prisma.creditNote.findMany({
      where: {
        customerId,
        ...(after
          ? { OR: [{ issuedAt: { lt: after.issuedAt } }, { issuedAt: after.issuedAt, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) =>
      CreditNote.rehydrate({
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
        vatRateBasisPoints: r.vatRateBasis,
        issuedAt: r.issuedAt,
        runId: r.runId,
      }),
    );
  }
}
