/** Port: what the application needs of ReferralRepository (implemented in infrastructure/referral.repository.ts, bound in the module). */
import type { BusinessDate } from '#libs/ddd/index.js';
import type { Referral } from '../../domain/referral.aggregate.js';

/** Where a history entry came from: the billing event, the reconciliation run or the admin. */
export interface HistorySource {
  sourceEventId?: string | null;
  runId?: string | null;
  actor?: string | null;
}
/** Loads and saves Referral aggregates through the current transaction. */
export abstract class ReferralRepository {
  abstract findById(
    id: string,
    opts?: {
      forUpdate?: boolean;
    },
  ): Promise<Referral | null>;
  /** The referral of a referred customer (at most one), locked for the rest of the transaction. */
  abstract findByReferredIdForUpdate(referredId: string): Promise<Referral | null>;
  /**
   * Inserts a new referral unless that customer is already referred (unique referred_id);
   * returns false when someone else got there first, so a customer is referred at most once.
   */
  abstract insertIfNotReferred(referral: Referral, source?: HistorySource): Promise<boolean>;
  abstract save(referral: Referral, source?: HistorySource): Promise<void>;
  /** Writes the state of loaded referrals (locked by this transaction), in one statement. */
  abstract saveAll(referrals: readonly Referral[], source?: HistorySource): Promise<void>;
  /**
   * Nightly step 1 candidates: the next `limit` pending referrals (after id `after`) whose R+30 has
   * passed by asOf, locked; ones locked by someone else are left for the next run. Keyset on id.
   * The domain decides (Referral.expireIfStale); this only narrows by the date it gives.
   */
  abstract lockStaleCandidates(asOf: BusinessDate, after: string, limit: number): Promise<Referral[]>;
  /**
   * Nightly step 2 candidates, in two walks each on its own index: active referrals whose service
   * was interrupted by the end of asOf (may be cancelled), and active referrals whose hold ended by
   * asOf (may qualify). The domain decides (Referral.reachHoldEnd).
   */
  abstract lockHoldCandidates(
    kind: 'interrupted' | 'hold_ended',
    asOf: BusinessDate,
    after: string,
    limit: number,
  ): Promise<Referral[]>;
  /** The referrals consumed by rewards, locked (any state: the domain checks they are qualified). */
  abstract lockByIds(ids: string[]): Promise<Referral[]>;
}
