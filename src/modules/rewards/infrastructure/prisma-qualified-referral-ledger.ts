import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '../../../platform/database/transaction.js';
import type { Db } from '../../../platform/database/transaction.js';
import type { UnconsumedReferral } from '../domain/referral-pairing.js';

/**
 * The Rewards context's own ledger of qualified referrals (`reward_qualified_referrals`):
 * fed by the ReferralsQualified integration event, consumed two at a time by rewards.
 * A row's reward_id, once set, never changes (a trigger refuses it).
 */
@Injectable()
export class PrismaQualifiedReferralLedger {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  /** Records qualified referrals; one already recorded is left as it is. */
  async record(items: { referralId: string; referrerId: string; qualifiedAt: Date }[]): Promise<number> {
    if (items.length === 0) return 0;
    const { count } = await this.db.tx.rewardQualifiedReferral.createMany({
      data: items.map((i) => ({ referralId: i.referralId, referrerId: i.referrerId, qualifiedAt: i.qualifiedAt })),
      skipDuplicates: true,
    });
    return count;
  }

  /** The next referrers (after `afterReferrerId`) with at least two unconsumed referrals qualified before `qualifiedBefore`. */
  async referrersWithUnconsumedPairs(
    qualifiedBefore: Date,
    afterReferrerId: string | null,
    limit: number,
  ): Promise<string[]> {
    const rows = await this.db.tx.$queryRaw<{ referrer_id: string }[]>`
      SELECT referrer_id FROM reward_qualified_referrals
       WHERE reward_id IS NULL AND qualified_at < ${qualifiedBefore}::timestamptz
         AND (${afterReferrerId}::text IS NULL OR referrer_id > ${afterReferrerId}::text)
       GROUP BY referrer_id
      HAVING count(*) >= 2
       ORDER BY referrer_id
       LIMIT ${limit}::int`;
    return rows.map((r) => r.referrer_id);
  }

  /** Unconsumed referrals of these referrers qualified before `qualifiedBefore`, locked for this transaction. */
  async lockUnconsumedOf(referrerIds: string[], qualifiedBefore: Date): Promise<UnconsumedReferral[]> {
    if (referrerIds.length === 0) return [];
    const rows = await this.db.tx.$queryRaw<{ referral_id: string; referrer_id: string; qualified_at: Date }[]>`
      SELECT referral_id::text AS referral_id, referrer_id, qualified_at FROM reward_qualified_referrals
       WHERE referrer_id = ANY(${referrerIds}::text[]) AND reward_id IS NULL
         AND qualified_at < ${qualifiedBefore}::timestamptz
       ORDER BY referrer_id, qualified_at, referral_id
       FOR UPDATE`;
    return rows.map((r) => ({
      referralId: r.referral_id,
      referrerId: r.referrer_id,
      qualifiedAt: new Date(r.qualified_at),
    }));
  }

  /** Marks referrals as consumed by rewards; every one must still be unconsumed. */
  async consume(items: { referralId: string; rewardId: string; at: Date }[]): Promise<void> {
    if (items.length === 0) return;
    const changed = await this.db.tx.$executeRaw`
      UPDATE reward_qualified_referrals AS q
         SET reward_id = v.reward_id, consumed_at = v.at
        FROM unnest(${items.map((i) => i.referralId)}::uuid[], ${items.map((i) => i.rewardId)}::uuid[],
                    ${items.map((i) => i.at.toISOString())}::timestamptz[]) AS v(referral_id, reward_id, at)
       WHERE q.referral_id = v.referral_id AND q.reward_id IS NULL`;
    if (changed !== items.length) {
      throw new Error(`expected to consume ${items.length} qualified referrals, consumed ${changed}`);
    }
  }
}
