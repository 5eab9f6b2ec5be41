import { Inject, Injectable } from '@nestjs/common';
import { BusinessDate } from '#libs/ddd/index.js';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { Reward, type RewardStatus } from '../domain/reward.aggregate.js';
import { RewardRepository } from '../application/ports/reward.repository.js';

interface RewardRow {
  id: string;
  customerId: string;
  status: string;
  earnedAt: Date;
  earnedOn: string;
  expiresAt: Date;
  expiresOn: string;
  manuallyGranted: boolean;
  grantReason: string | null;
  grantedBy: string | null;
  revokedAt: Date | null;
  revokeReason: string | null;
  revokedBy: string | null;
  appliedAt: Date | null;
  expiredAt: Date | null;
  creditNoteId: string | null;
  expiryRemindedAt: Date | null;
}

const REWARD_COLUMNS = sql`
  w.id::text AS id, w.customer_id AS "customerId", w.status, w.earned_at AS "earnedAt", w.earned_on AS "earnedOn",
  w.expires_at AS "expiresAt", w.expires_on AS "expiresOn", w.manually_granted AS "manuallyGranted",
  w.grant_reason AS "grantReason", w.granted_by AS "grantedBy", w.revoked_at AS "revokedAt",
  w.revoke_reason AS "revokeReason", w.revoked_by AS "revokedBy", w.applied_at AS "appliedAt",
  w.expired_at AS "expiredAt", w.credit_note_id::text AS "creditNoteId",
  w.expiry_reminded_at AS "expiryRemindedAt"`;

/** The `rewards` table. Every write goes through the current transaction. */
@Injectable()
export class SqlRewardRepository implements RewardRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async insertMany(rewards: Reward[]): Promise<void> {
    if (rewards.length === 0) return;
    const s = rewards.map((r) => r.snapshot());
    await this.db.execute(sql`
      INSERT INTO rewards (id, customer_id, reward_type, status, earned_at, earned_on, expires_at, expires_on,
                           manually_granted, grant_reason, granted_by)
      SELECT id, customer_id, 'free_month', 'pending', earned_at, earned_on, expires_at, expires_on,
             manually_granted, grant_reason, granted_by
        FROM unnest(${s.map((x) => x.id)}::uuid[], ${s.map((x) => x.customerId)}::text[],
                    ${s.map((x) => x.earnedAt.toISOString())}::timestamptz[], ${s.map((x) => x.earnedOn.toString())}::date[],
                    ${s.map((x) => x.expiresAt.toISOString())}::timestamptz[], ${s.map((x) => x.expiresOn.toString())}::date[],
                    ${s.map((x) => x.manuallyGranted)}::boolean[], ${s.map((x) => x.grantReason)}::text[],
                    ${s.map((x) => x.grantedBy)}::text[])
             AS v(id, customer_id, earned_at, earned_on, expires_at, expires_on, manually_granted, grant_reason, granted_by)`);
  }

  /** A customer's reward, locked for this transaction; null when it is not theirs. */
  async findOfCustomerForUpdate(customerId: string, rewardId: string): Promise<Reward | null> {
    const row = await this.db.maybeOne<RewardRow>(sql`
      SELECT ${REWARD_COLUMNS} FROM rewards w WHERE w.id = ${rewardId}::uuid AND w.customer_id = ${customerId} FOR UPDATE`);
    return row ? toReward(row) : null;
  }

  /** The next customers (after `afterCustomerId`) holding pending rewards earned on or before `asOf`. */
  async customersWithPendingRewards(
    asOf: BusinessDate,
    afterCustomerId: string | null,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db.query<{ customerId: string }>(sql`
      SELECT DISTINCT customer_id AS "customerId" FROM rewards
       WHERE status = 'pending' AND earned_on <= ${asOf.toString()}::date
         AND (${afterCustomerId}::text IS NULL OR customer_id > ${afterCustomerId}::text)
       ORDER BY customer_id
       LIMIT ${limit}::int`);
    return rows.map((r) => r.customerId);
  }

  /**
   * Pending rewards of these customers earned on or before `asOf`, locked for this transaction,
   * ordered by customer, earnedAt, id (oldest reward first per customer).
   */
  async lockPendingOfCustomers(customerIds: string[], asOf: BusinessDate): Promise<Reward[]> {
    if (customerIds.length === 0) return [];
    const rows = await this.db.query<RewardRow>(sql`
      SELECT ${REWARD_COLUMNS} FROM rewards w
       WHERE w.customer_id = ANY(${customerIds}::text[]) AND w.status = 'pending'
         AND w.earned_on <= ${asOf.toString()}::date
       ORDER BY w.customer_id, w.earned_at, w.id
       FOR UPDATE`);
    return rows.map(toReward);
  }

  /** A customer's pending rewards, oldest first (read only: the expected credit). */
  async pendingOf(customerId: string): Promise<Reward[]> {
    const rows = await this.db.query<RewardRow>(sql`
      SELECT ${REWARD_COLUMNS} FROM rewards w
       WHERE w.customer_id = ${customerId} AND w.status = 'pending'
       ORDER BY w.earned_at, w.id`);
    return rows.map(toReward);
  }

  /** Locks up to `limit` pending rewards whose expiry date is on or before `asOf`. */
  async lockExpiring(asOf: BusinessDate, limit: number): Promise<Reward[]> {
    const rows = await this.db.query<RewardRow>(sql`
      SELECT ${REWARD_COLUMNS} FROM rewards w
       WHERE w.status = 'pending' AND w.expires_on <= ${asOf.toString()}::date
       ORDER BY w.expires_on, w.id
       LIMIT ${limit}::int
       FOR UPDATE SKIP LOCKED`);
    return rows.map(toReward);
  }

  /**
   * Locks up to `limit` pending rewards earned by `asOf`, not yet reminded, whose expiry date is
   * after `asOf` and at most `days` days after it.
   */
  async lockDueForExpiryReminder(asOf: BusinessDate, days: number, limit: number): Promise<Reward[]> {
    const rows = await this.db.query<RewardRow>(sql`
      SELECT ${REWARD_COLUMNS} FROM rewards w
       WHERE w.status = 'pending' AND w.expiry_reminded_at IS NULL
         AND w.expires_on > ${asOf.toString()}::date
         AND w.expires_on <= ${asOf.plusDays(days).toString()}::date
         AND w.earned_on <= ${asOf.toString()}::date
       ORDER BY w.expires_on, w.id
       LIMIT ${limit}::int
       FOR UPDATE SKIP LOCKED`);
    return rows.map(toReward);
  }

  async markExpiryReminded(rewards: Reward[]): Promise<void> {
    if (rewards.length === 0) return;
    const s = rewards.map((r) => r.snapshot());
    const changed = await this.db.execute(sql`
      UPDATE rewards AS r SET expiry_reminded_at = v.at
        FROM unnest(${s.map((x) => x.id)}::uuid[], ${s.map((x) => x.expiryRemindedAt?.toISOString() ?? null)}::timestamptz[])
             AS v(id, at)
       WHERE r.id = v.id AND r.status = 'pending' AND r.expiry_reminded_at IS NULL AND v.at IS NOT NULL`);
    if (changed !== rewards.length) {
      throw new Error(`expected to mark ${rewards.length} rewards reminded, marked ${changed}`);
    }
  }

  /**
   * Bulk write (one statement) of state changes made on rewards that were all pending and are
   * locked by this transaction. A row no longer pending is not touched, and then the whole write
   * fails: the caller's transaction rolls back rather than half-apply.
   */
  async saveAllFromPending(rewards: Reward[]): Promise<void> {
    if (rewards.length === 0) return;
    const s = rewards.map((r) => r.snapshot());
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    const changed = await this.db.execute(sql`
      UPDATE rewards AS r
         SET status = v.status, applied_at = v.applied_at, credit_note_id = v.credit_note_id, expired_at = v.expired_at,
             revoked_at = v.revoked_at, revoke_reason = v.revoke_reason, revoked_by = v.revoked_by
        FROM unnest(${s.map((x) => x.id)}::uuid[], ${s.map((x) => x.status)}::text[],
                    ${s.map((x) => iso(x.appliedAt))}::timestamptz[], ${s.map((x) => x.creditNoteId)}::uuid[],
                    ${s.map((x) => iso(x.expiredAt))}::timestamptz[], ${s.map((x) => iso(x.revokedAt))}::timestamptz[],
                    ${s.map((x) => x.revokeReason)}::text[], ${s.map((x) => x.revokedBy)}::text[])
             AS v(id, status, applied_at, credit_note_id, expired_at, revoked_at, revoke_reason, revoked_by)
       WHERE r.id = v.id AND r.status = 'pending'`);
    if (changed !== rewards.length) {
      throw new Error(`expected to update ${rewards.length} pending rewards, updated ${changed}`);
    }
  }
}

export function toReward(row: RewardRow): Reward {
  return Reward.rehydrate({
    ...row,
    status: row.status as RewardStatus,
    earnedOn: BusinessDate.parse(row.earnedOn),
    expiresOn: BusinessDate.parse(row.expiresOn),
  });
}
