/** SPEC §6: the qualified referrals one reward takes. */
export const REFERRALS_PER_REWARD = 2;

/**
 * Progress towards the next reward (SPEC §10): the qualified referrals not yet consumed, out of
 * REFERRALS_PER_REWARD. Normally 0 or 1; it reaches 2 or more only while the referrer cannot earn
 * (no active service, not in good standing) — then `qualified` tells the truth and the label shows a
 * full bar, "2/2", never "3/2".
 */
export function rewardProgress(unconsumed: number): { qualified: number; required: number; label: string } {
  return {
    qualified: unconsumed,
    required: REFERRALS_PER_REWARD,
    label: `${Math.min(unconsumed, REFERRALS_PER_REWARD)}/${REFERRALS_PER_REWARD}`,
  };
}

/** A qualified referral not yet consumed by a reward. */
export interface UnconsumedReferral {
  referralId: string;
  referrerId: string;
  qualifiedAt: Date;
}

/**
 * SPEC §6: every REFERRALS_PER_REWARD (two) qualified referrals of a referrer make one reward, the oldest first
 * (by qualifiedAt, then referral id). An odd one out waits for the next. Result: the pairs, in
 * order, per referrer (referrers in first-seen order).
 */
export function pairOldestFirst(referrals: readonly UnconsumedReferral[]): Map<string, UnconsumedReferral[][]> {
  const byReferrer = new Map<string, UnconsumedReferral[]>();
  for (const r of referrals) byReferrer.set(r.referrerId, [...(byReferrer.get(r.referrerId) ?? []), r]);
  const pairs = new Map<string, UnconsumedReferral[][]>();
  for (const [referrerId, list] of byReferrer) {
    const sorted = [...list].sort(
      (a, b) =>
        a.qualifiedAt.getTime() - b.qualifiedAt.getTime() ||
        (a.referralId < b.referralId ? -1 : a.referralId > b.referralId ? 1 : 0),
    );
    const own: UnconsumedReferral[][] = [];
    for (let i = 0; i + REFERRALS_PER_REWARD <= sorted.length; i += REFERRALS_PER_REWARD) {
      own.push(sorted.slice(i, i + REFERRALS_PER_REWARD));
    }
    if (own.length > 0) pairs.set(referrerId, own);
  }
  return pairs;
}
