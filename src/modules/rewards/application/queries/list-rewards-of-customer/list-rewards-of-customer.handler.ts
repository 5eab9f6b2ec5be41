import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import { ListRewardsOfCustomer, type RewardView } from '#libs/contracts/index.js';
import type { Db } from '../../../../../platform/database/transaction.js';

/** Every reward of a customer, newest first, with the referrals that earned it. */
@QueryHandler(ListRewardsOfCustomer)
export class ListRewardsOfCustomerHandler implements IQueryHandler<ListRewardsOfCustomer, RewardView[]> {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async execute(query: ListRewardsOfCustomer): Promise<RewardView[]> {
    const rewards = await this.db.tx.reward.findMany({
      where: { customerId: query.customerId },
      orderBy: [{ earnedAt: 'desc' }, { id: 'desc' }],
    });
    if (rewards.length === 0) return [];
    const ledger = await this.db.tx.rewardQualifiedReferral.findMany({
      where: { rewardId: { in: rewards.map((r) => r.id) } },
      orderBy: [{ qualifiedAt: 'asc' }, { referralId: 'asc' }],
      select: { rewardId: true, referralId: true },
    });
    const referralsOf = new Map<string, string[]>();
    for (const row of ledger) {
      const list = referralsOf.get(row.rewardId!) ?? [];
      list.push(row.referralId);
      referralsOf.set(row.rewardId!, list);
    }
    return rewards.map((r) => ({
      id: r.id,
      customerId: r.customerId,
      rewardType: 'free_month' as const,
      status: r.status as RewardView['status'],
      earnedAt: r.earnedAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      manuallyGranted: r.manuallyGranted,
      grantReason: r.grantReason,
      revokedAt: r.revokedAt?.toISOString() ?? null,
      revokeReason: r.revokeReason,
      appliedAt: r.appliedAt?.toISOString() ?? null,
      referralIds: referralsOf.get(r.id) ?? [],
    }));
  }
}
