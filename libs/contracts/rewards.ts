/** Contracts published by the Rewards context. */
import { NightlyStep } from './nightly.js';

/** Query (QueryBus): a customer's reward balance. Result: RewardBalanceSummary. */
export class GetRewardBalanceSummary {
  constructor(readonly customerId: string) {}
}

export interface RewardBalanceSummary {
  /** Pending (earned or granted, not yet applied, expired or revoked) rewards. */
  pendingRewards: number;
  /** Towards the next reward (SPEC §10 `progress`). */
  progress: RewardProgressView;
}

/** Qualified referrals not yet consumed by a reward, out of the number a reward needs; label `min(q, required)/required`. */
export interface RewardProgressView {
  qualified: number;
  required: number;
  label: string;
}

/**
 * Query: progress of several referrers towards their next reward, as the Rewards ledger counts
 * it now (reads through the caller's transaction). Result: Map<referrerId, RewardProgressView>
 * (every id asked for is in it).
 */
export class GetRewardProgress {
  constructor(readonly referrerIds: string[]) {}
}

export interface RewardView {
  id: string;
  customerId: string;
  rewardType: 'free_month';
  status: 'pending' | 'applied' | 'expired' | 'revoked';
  earnedAt: string;
  expiresAt: string;
  manuallyGranted: boolean;
  grantReason: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
  appliedAt: string | null;
  referralIds: string[];
}

/** Query: every reward of a customer, newest first. Result: RewardView[]. */
export class ListRewardsOfCustomer {
  constructor(readonly customerId: string) {}
}

/** Nightly steps of the Rewards context (SPEC §8 steps 3–5); see nightly.ts. */
export class EarnRewards extends NightlyStep {}
/** Applies pending rewards whose free-month cycle has started by asOf. */
export class ApplyDueRewards extends NightlyStep {}
export class ExpireRewards extends NightlyStep {}
