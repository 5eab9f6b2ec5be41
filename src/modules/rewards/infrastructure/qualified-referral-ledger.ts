import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import type { UnconsumedReferral } from '../domain/referral-pairing.js';
import { QualifiedReferralLedger } from '../application/ports/qualified-referral-ledger.js';

/**
 * The Rewards context's own ledger of qualified referrals (`reward_qualified_referrals`):
 * fed by the ReferralsQualified integration event, consumed two at a time by rewards.
 * A row's reward_id, once set, never changes (a trigger refuses it).
 */
@Injectable()
export class SqlQualifiedReferralLedger implements QualifiedReferralLedger {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Records qualified referrals; one already recorded is left as it is. */
  async record(items: { referralId: string; referrerId: string; qualifiedAt: Date }[]): Promise<number> {
    if (items.length === 0) return 0;
    return this.db.execute(sql`
      INSERT INTO reward_qualified_referrals (referral_id, referrer_id, qualified_at)
      SELECT * FROM unnest(${items.map((i) => i.referralId)}::uuid[], ${items.map((i) => i.referrerId)}::text[],
                           ${items.map((i) => i.qualifiedAt.toISOString())}::timestamptz[])
      ON CONFLICT DO NOTHING`);
  }

  /** Per referrer, the qualified referrals not yet consumed by a reward. */
  async unconsumedCounts(referrerIds: string[]): Promise<Map<string, number>> {
    const counts = new Map(referrerIds.map((id) => [id, 0]));
    if (referrerIds.length === 0) return counts;
    const rows = await this.db.query<{ referrerId: string; n: number }>(sql`
      SELECT referrer_id AS "referrerId", count(*)::int AS n FROM reward_qualified_referrals
       WHERE referrer_id = ANY(${referrerIds}::text[]) AND reward_id IS NULL
       GROUP BY referrer_id`);
    for (const r of rows) counts.set(r.referrerId, r.n);
    return counts;
  }

  /** The next referrers (after `afterReferrerId`) with at least `minimum` unconsumed referrals qualified before `qualifiedBefore`. */
  async referrersWithUnconsumed(
    minimum: number,
    qualifiedBefore: Date,
    afterReferrerId: string | null,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db.query<{ referrerId: string }>(sql`
      SELECT referrer_id AS "referrerId" FROM reward_qualified_referrals
       WHERE reward_id IS NULL AND qualified_at < ${qualifiedBefore}::timestamptz
         AND (${afterReferrerId}::text IS NULL OR referrer_id > ${afterReferrerId}::text)
       GROUP BY referrer_id
      HAVING count(*) >= ${minimum}::int
       ORDER BY referrer_id
       LIMIT ${limit}::int`);
    return rows.map((r) => r.referrerId);
  }

  /** Unconsumed referrals of these referrers qualified before `qualifiedBefore`, locked for this transaction. */
  async lockUnconsumedOf(referrerIds: string[], qualifiedBefore: Date): Promise<UnconsumedReferral[]> {
    if (referrerIds.length === 0) return [];
    return this.db.query<UnconsumedReferral>(sql`
      SELECT referral_id::text AS "referralId", referrer_id AS "referrerId", qualified_at AS "qualifiedAt"
        FROM reward_qualified_referrals
       WHERE referrer_id = ANY(${referrerIds}::text[]) AND reward_id IS NULL
         AND qualified_at < ${qualifiedBefore}::timestamptz
       ORDER BY referrer_id, qualified_at, referral_id
       FOR UPDATE`);
  }

  /** Marks referrals as consumed by rewards; every one must still be unconsumed. */
  async consume(items: { referralId: string; rewardId: string; at: Date }[]): Promise<void> {
    if (items.length === 0) return;
    const changed = await this.db.execute(sql`
      UPDATE reward_qualified_referrals AS q
         SET reward_id = v.reward_id, consumed_at = v.at
        FROM unnest(${items.map((i) => i.referralId)}::uuid[], ${items.map((i) => i.rewardId)}::uuid[],
                    ${items.map((i) => i.at.toISOString())}::timestamptz[]) AS v(referral_id, reward_id, at)
       WHERE q.referral_id = v.referral_id AND q.reward_id IS NULL`);
    if (changed !== items.length) {
      throw new Error(`expected to consume ${items.length} qualified referrals, consumed ${changed}`);
    }
  }
}
