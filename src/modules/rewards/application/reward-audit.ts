import type { Reward } from '../domain/reward.aggregate.js';

/** What the audit log keeps of a reward's state, before and after an admin change. */
export function auditView(reward: Reward): Record<string, unknown> {
  const s = reward.snapshot();
  return {
    rewardId: s.id,
    status: s.status,
    manuallyGranted: s.manuallyGranted,
    earnedAt: s.earnedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    revokedAt: s.revokedAt?.toISOString() ?? null,
  };
}
