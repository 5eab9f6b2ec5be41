/** Port: what the application needs of QualifiedReferralLedger (implemented in infrastructure/qualified-referral-ledger.ts, bound in the module). */
import type { UnconsumedReferral } from '../../domain/referral-pairing.js';

/**
 * The Rewards context's own ledger of qualified referrals (`reward_qualified_referrals`):
 * fed by the ReferralsQualified integration event, consumed two at a time by rewards.
 * A row's reward_id, once set, never changes (a trigger refuses it).
 */
export abstract class QualifiedReferralLedger {
  /** Records qualified referrals; one already recorded is left as it is. */
  abstract record(
    items: {
      referralId: string;
      referrerId: string;
      qualifiedAt: Date;
    }[],
  ): Promise<number>;
  /** Per referrer, the qualified referrals not yet consumed by a reward. */
  abstract unconsumedCounts(referrerIds: string[]): Promise<Map<string, number>>;
  /** The next referrers (after `afterReferrerId`) with at least `minimum` unconsumed referrals qualified before `qualifiedBefore`. */
  abstract referrersWithUnconsumed(
    minimum: number,
    qualifiedBefore: Date,
    afterReferrerId: string | null,
    limit: number,
  ): Promise<string[]>;
  /** Unconsumed referrals of these referrers qualified before `qualifiedBefore`, locked for this transaction. */
  abstract lockUnconsumedOf(referrerIds: string[], qualifiedBefore: Date): Promise<UnconsumedReferral[]>;
  /** Marks referrals as consumed by rewards; every one must still be unconsumed. */
  abstract consume(
    items: {
      referralId: string;
      rewardId: string;
      at: Date;
    }[],
  ): Promise<void>;
}
