import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '../../../platform/database/transaction.js';
import { BusinessDate } from '#libs/ddd/index.js';
import type { Db } from '../../../platform/database/transaction.js';
import type { Reward as RewardRow } from '../../../platform/database/generated/client.js';
import { Reward, type RewardStatus } from '../domain/reward.aggregate.js';

/** The `rewards` table. Every write goes through the current transaction. */
@Injectable()
export class PrismaRewardRepository {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async insertMany(rewards: Reward[]): Promise<void> {
    if (rewards.length === 0) return;
    await this.db.tx.reward.createMany({ data: rewards.map((r) => toRow(r)) });
  }

  async findOfCustomer(customerId: string, rewardId: string): Promise<Reward | null> {
    const row = await this.db.tx.reward.findFirst({ where: { id: rewardId, customerId } });
    return row ? toReward(row) : null;
  }

  /**
   * Writes a state change made on a reward that was `pending` when read. Returns false (and
   * writes nothing) when the row is no longer pending — a concurrent change won.
   */
  async saveFromPending(reward: Reward): Promise<boolean> {
    const s = reward.snapshot();
    const { count } = await this.db.tx.reward.updateMany({
      where: { id: s.id, status: 'pending' },
      data: {
        status: s.status,
        revokedAt: s.revokedAt,
        revokeReason: s.revokeReason,
        revokedBy: s.revokedBy,
        appliedAt: s.appliedAt,
        expiredAt: s.expiredAt,
        creditNoteId: s.creditNoteId,
      },
    });
    return count === 1;
  }

  /** The next customers (after `afterCustomerId`) holding pending rewards earned on or before `asOf`. */
  async customersWithPendingRewards(
    asOf: BusinessDate,
    afterCustomerId: string | null,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db.tx.$queryRaw<{ customer_id: string }[]>`
      SELECT DISTINCT customer_id FROM rewards
       WHERE status = 'pending' AND earned_on <= ${asOf.toDbDate()}::date
         AND (${afterCustomerId}::text IS NULL OR customer_id > ${afterCustomerId}::text)
       ORDER BY customer_id
       LIMIT ${limit}::int`;
    return rows.map((r) => r.customer_id);
  }

  /**
   * Pending rewards of these customers earned on or before `asOf`, locked for this transaction,
   * ordered by customer, earnedAt, id (oldest reward first per customer).
   */
  async lockPendingOfCustomers(customerIds: string[], asOf: BusinessDate): Promise<Reward[]> {
    if (customerIds.length === 0) return [];
    const locked = await this.db.tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM rewards
       WHERE customer_id = ANY(${customerIds}::text[]) AND status = 'pending'
         AND earned_on <= ${asOf.toDbDate()}::date
       ORDER BY customer_id, earned_at, id
       FOR UPDATE`;
    if (locked.length === 0) return [];
    const rows = await this.db.tx.reward.findMany({
      where: { id: { in: locked.map((r) => r.id) }, status: 'pending' },
      orderBy: [{ customerId: 'asc' }, { earnedAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toReward);
  }

  /** Locks up to `limit` pending rewards whose expiry date is on or before `asOf`. */
  async lockExpiring(asOf: BusinessDate, limit: number): Promise<Reward[]> {
    const locked = await this.db.tx.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM rewards
       WHERE status = 'pending' AND expires_on <= ${asOf.toDbDate()}::date
       ORDER BY expires_on, id
       LIMIT ${limit}::int
       FOR UPDATE SKIP LOCKED`;
    if (locked.length === 0) return [];
    const rows = await this.db.tx.reward.findMany({
      where: { id: { in: locked.map((r) => r.id) } },
      orderBy: [{ expiresOn: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toReward);
  }

  /**
   * Bulk write (one statement) of state changes made on rewards that were all pending and are
   * locked by this transaction: status, appliedAt, creditNoteId, expiredAt.
   */
  async saveAllFromPending(rewards: Reward[]): Promise<void> {
    if (rewards.length === 0) return;
    const s = rewards.map((r) => r.snapshot());
    const changed = await this.db.tx.$executeRaw`
      UPDATE rewards AS r
         SET status = v.status, applied_at = v.applied_at, credit_note_id = v.credit_note_id, expired_at = v.expired_at
        FROM unnest(${s.map((x) => x.id)}::uuid[], ${s.map((x) => x.status)}::text[],
                    ${s.map((x) => x.appliedAt?.toISOString() ?? null)}::timestamptz[],
                    ${s.map((x) => x.creditNoteId)}::uuid[],
                    ${s.map((x) => x.expiredAt?.toISOString() ?? null)}::timestamptz[])
             AS v(id, status, applied_at, credit_note_id, expired_at)
       WHERE r.id = v.id AND r.status = 'pending'`;
    if (changed !== rewards.length) {
      throw new Error(`expected to update ${rewards.length} pending rewards, updated ${changed}`);
    }
  }
}

function toRow(r: Reward) {
  const s = r.snapshot();
  return {
    id: s.id,
    customerId: s.customerId,
    rewardType: 'free_month',
    status: s.status,
    earnedAt: s.earnedAt,
    earnedOn: s.earnedOn.toDbDate(),
    expiresAt: s.expiresAt,
    expiresOn: s.expiresOn.toDbDate(),
    manuallyGranted: s.manuallyGranted,
    grantReason: s.grantReason,
    grantedBy: s.grantedBy,
    revokedAt: s.revokedAt,
    revokeReason: s.revokeReason,
    revokedBy: s.revokedBy,
    appliedAt: s.appliedAt,
    expiredAt: s.expiredAt,
    creditNoteId: s.creditNoteId,
  };
}

function toReward(row: RewardRow): Reward {
  return Reward.rehydrate({
    id: row.id,
    customerId: row.customerId,
    status: row.status as RewardStatus,
    earnedAt: row.earnedAt,
    earnedOn: BusinessDate.fromDbDate(row.earnedOn),
    expiresAt: row.expiresAt,
    expiresOn: BusinessDate.fromDbDate(row.expiresOn),
    manuallyGranted: row.manuallyGranted,
    grantReason: row.grantReason,
    grantedBy: row.grantedBy,
    revokedAt: row.revokedAt,
    revokeReason: row.revokeReason,
    revokedBy: row.revokedBy,
    appliedAt: row.appliedAt,
    expiredAt: row.expiredAt,
    creditNoteId: row.creditNoteId,
  });
}
