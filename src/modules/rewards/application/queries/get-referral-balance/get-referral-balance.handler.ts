import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import { ListCreditNotesOfRewards, type CreditNoteView } from '#libs/contracts/index.js';
import type { Db } from '../../../../../platform/database/transaction.js';
import { GetReferralBalance, type ReferralBalance } from './get-referral-balance.query.js';

/** Pending rewards (oldest first) and applied ones with their credit notes (newest first). */
@QueryHandler(GetReferralBalance)
export class GetReferralBalanceHandler implements IQueryHandler<GetReferralBalance, ReferralBalance> {
  constructor(
    @Inject(TransactionHost) private readonly db: Db,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
  ) {}

  async execute(query: GetReferralBalance): Promise<ReferralBalance> {
    const rewards = await this.db.tx.reward.findMany({
      where: { customerId: query.customerId, status: { in: ['pending', 'applied'] } },
      orderBy: [{ earnedAt: 'asc' }, { id: 'asc' }],
    });
    const pending = rewards.filter((r) => r.status === 'pending');
    const applied = rewards.filter((r) => r.status === 'applied');
    const notes = applied.length
      ? await this.queryBus.execute<ListCreditNotesOfRewards, CreditNoteView[]>(
          new ListCreditNotesOfRewards(applied.map((r) => r.id)),
        )
      : [];
    const noteOf = new Map(notes.map((n) => [n.rewardId, n]));
    return {
      availableRewards: pending.length,
      pendingRewards: pending.map((r) => ({
        id: r.id,
        rewardType: 'free_month',
        status: 'pending',
        earnedAt: r.earnedAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        manuallyGranted: r.manuallyGranted,
      })),
      appliedRewards: applied
        .filter((r) => noteOf.has(r.id))
        .sort((a, b) => b.appliedAt!.getTime() - a.appliedAt!.getTime() || (a.id < b.id ? 1 : -1))
        .map((r) => {
          const n = noteOf.get(r.id)!;
          return {
            id: r.id,
            appliedAt: r.appliedAt!.toISOString(),
            serviceId: n.serviceId,
            periodStart: n.periodStart,
            periodEnd: n.periodEnd,
            amountWaived: n.amountInclVat,
            creditNoteNumber: n.number,
          };
        }),
    };
  }
}
