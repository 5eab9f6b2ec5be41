import { Inject, Injectable } from '@nestjs/common';
import type { FreeMonthItem, RewardActivityByMonth, RewardView } from '#libs/contracts/index.js';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { RewardReports } from '../application/ports/reward-reports.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reward was pending at instant `at`: earned before it, and not yet applied, revoked or expired. */
const pendingAt = (at: Date) => sql`
  w.earned_at < ${at}::timestamptz
  AND (w.applied_at IS NULL OR w.applied_at >= ${at}::timestamptz)
  AND (w.revoked_at IS NULL OR w.revoked_at >= ${at}::timestamptz)
  AND w.expires_at >= ${at}::timestamptz`;

@Injectable()
export class SqlRewardReports implements RewardReports {
  constructor(@Inject(Db) private readonly db: Db) {}

  async byIds(ids: readonly string[]): Promise<RewardView[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    const rows = await this.db.query<{
      id: string;
      customerId: string;
      status: RewardView['status'];
      earnedAt: Date;
      expiresAt: Date;
      manuallyGranted: boolean;
      grantReason: string | null;
      revokedAt: Date | null;
      revokeReason: string | null;
      appliedAt: Date | null;
      referralIds: string[];
    }>(sql`
      SELECT w.id::text AS id, w.customer_id AS "customerId", w.status, w.earned_at AS "earnedAt",
             w.expires_at AS "expiresAt", w.manually_granted AS "manuallyGranted", w.grant_reason AS "grantReason",
             w.revoked_at AS "revokedAt", w.revoke_reason AS "revokeReason", w.applied_at AS "appliedAt",
             ARRAY(SELECT q.referral_id::text FROM reward_qualified_referrals q WHERE q.reward_id = w.id
                    ORDER BY q.qualified_at, q.referral_id) AS "referralIds"
        FROM rewards w WHERE w.id = ANY(${valid}::uuid[])
       ORDER BY w.earned_at DESC, w.id DESC`);
    return rows.map((r) => ({
      ...r,
      rewardType: 'free_month' as const,
      earnedAt: r.earnedAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      appliedAt: r.appliedAt?.toISOString() ?? null,
    }));
  }

  activityByMonth(from: Date, to: Date): Promise<RewardActivityByMonth[]> {
    return this.db.query<RewardActivityByMonth>(sql`
      SELECT to_char(e.at AT TIME ZONE 'Africa/Johannesburg', 'YYYY-MM') AS month,
             count(*) FILTER (WHERE e.kind = 'earned')::int AS "rewardsEarned",
             count(*) FILTER (WHERE e.kind = 'granted')::int AS "rewardsGranted",
             count(*) FILTER (WHERE e.kind = 'revoked')::int AS "rewardsRevoked",
             count(*) FILTER (WHERE e.kind = 'expired')::int AS "rewardsExpired",
             count(*) FILTER (WHERE e.kind = 'applied')::int AS "rewardsApplied"
        FROM rewards w
       CROSS JOIN LATERAL (VALUES (CASE WHEN w.manually_granted THEN 'granted' ELSE 'earned' END, w.earned_at),
                                  ('revoked', w.revoked_at), ('expired', w.expired_at), ('applied', w.applied_at))
             AS e(kind, at)
       WHERE e.at >= ${from}::timestamptz AND e.at < ${to}::timestamptz
       GROUP BY 1 ORDER BY 1`);
  }

  async pendingAt(at: Date, afterCustomerId: string | null, customerLimit: number): Promise<FreeMonthItem[]> {
    const after = afterCustomerId === null ? sql`` : sql`AND w.customer_id > ${afterCustomerId}::text`;
    const rows = await this.db.query<{ rewardId: string; customerId: string; earnedOn: string; expiresOn: string }>(sql`
      WITH customers AS (
        SELECT DISTINCT w.customer_id FROM rewards w
         WHERE ${pendingAt(at)} ${after}
         ORDER BY w.customer_id LIMIT ${customerLimit}::int
      )
      SELECT w.id::text AS "rewardId", w.customer_id AS "customerId", w.earned_on AS "earnedOn",
             w.expires_on AS "expiresOn"
        FROM rewards w JOIN customers c ON c.customer_id = w.customer_id
       WHERE ${pendingAt(at)}
       ORDER BY w.customer_id, w.earned_at, w.id`);
    return rows.map((r) => ({
      rewardId: r.rewardId,
      customerId: r.customerId,
      earnedOn: r.earnedOn,
      latestCycleStart: r.expiresOn,
    }));
  }
}
