/** A qualified referral not yet consumed by a reward. */
export interface UnconsumedReferral {
  referralId: string;
  referrerId: string;
  qualifiedAt: Date;
}

/**
 * SPEC §6: every two qualified referrals of a referrer make one reward, the oldest two first
 * (by qualifiedAt, then referral id). An odd one out waits for the next. Result: the pairs, in
 * order, per referrer (referrers in first-seen order).
 */
export function pairOldestFirst(
  referrals: readonly UnconsumedReferral[],
): Map<string, [UnconsumedReferral, UnconsumedReferral][]> {
  const byReferrer = new Map<string, UnconsumedReferral[]>();
  for (const r of referrals) byReferrer.set(r.referrerId, [...(byReferrer.get(r.referrerId) ?? []), r]);
  const pairs = new Map<string, [UnconsumedReferral, UnconsumedReferral][]>();
  for (const [referrerId, list] of byReferrer) {
    const sorted = [...list].sort(
      (a, b) =>
        a.qualifiedAt.getTime() - b.qualifiedAt.getTime() ||
        (a.referralId < b.referralId ? -1 : a.referralId > b.referralId ? 1 : 0),
    );
    const own: [UnconsumedReferral, UnconsumedReferral][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) own.push([sorted[i]!, sorted[i + 1]!]);
    if (own.length > 0) pairs.set(referrerId, own);
  }
  return pairs;
}
