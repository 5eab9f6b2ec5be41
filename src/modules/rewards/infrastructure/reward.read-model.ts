import { Inject, Injectable } from '@nestjs/common';
import type { RewardView } from '#libs/contracts/index.js';
import { Db } from '../../../platform/database/db.js';
import { PrismaService } from '../../../platform/database/prisma.service.js';
import { sql } from '../../../platform/database/sql.js';
import { RewardReadModel } from '../application/ports/reward.read-model.js';

/** Reads of rewards: the customer's own (hot, plain SQL) and the admin's list (Prisma Client). */
@Injectable()
export class SqlRewardReadModel implements RewardReadModel {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(PrismaService) private readonly prisma: PrismaService,
  ) {}

  /** Pending rewards and the referrer's unconsumed qualified referrals, in one statement. */
  async balanceSummary(customerId: string): Promise<{ pending: number; unconsumed: number }> {
    return this.db.one<{ pending: number; unconsumed: number }>(sql`
      SELECT (SELECT count(*)::int FROM rewards WHERE customer_id = ${customerId} AND status = 'pending') AS pending,
             (SELECT count(*)::int FROM reward_qualified_referrals
               WHERE referrer_id = ${customerId} AND reward_id IS NULL) AS unconsumed`);
  }

  /** The customer's pending and applied rewards, oldest first. */
  async pendingAndApplied(customerId: string) {
    return this.db.query<{
      id: string;
      status: 'pending' | 'applied';
      earnedAt: Date;
      earnedOn: string;
      expiresAt: Date;
      expiresOn: string;
      manuallyGranted: boolean;
      appliedAt: Date | null;
    }>(sql`
      SELECT id::text AS id, status, earned_at AS "earnedAt", earned_on AS "earnedOn", expires_at AS "expiresAt",
             expires_on AS "expiresOn", manually_granted AS "manuallyGranted", applied_at AS "appliedAt"
        FROM rewards
       WHERE customer_id = ${customerId} AND status IN ('pending', 'applied')
       ORDER BY earned_at, id`);
  }

  /** Every reward of a customer, newest first, with the referrals that earned it (back office). */
  async listOfCustomer(customerId: string): Promise<RewardView[]> {
    const rewards = await this.prisma.reward.findMany({
      where: { customerId },
      orderBy: [{ earnedAt: 'desc' }, { id: 'desc' }],
    });
    if (rewards.length === 0) return [];
    const ledger = await this.prisma.rewardQualifiedReferral.findMany({
      where: { rewardId: { in: rewards.map((r) => r.id) } },
      orderBy: [{ qualifiedAt: 'asc' }, { referralId: 'asc' }],
      select: { rewardId: true, referralId: true },
    });
    const referralsOf = new Map<string, string[]>();
    for (const row of ledger)
      referralsOf.set(row.rewardId!, [...(referralsOf.get(row.rewardId!) ?? []), row.referralId]);
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
