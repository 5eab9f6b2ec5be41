/** Contracts published by the Rewards context. */
import type { FreeMonthItem } from './billing.js';
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

/** Query: rewards by id (any customer). Result: RewardView[] (missing ids left out). */
export class GetRewardsByIds {
  constructor(readonly ids: string[]) {}
}

/**
 * Query: rewards activity in [from, to) — instants — per SAST calendar month (SPEC §14 programme
 * report). Result: RewardActivityByMonth[] (months with activity, in order).
 */
export class CountRewardActivityByMonth {
  constructor(
    readonly from: Date,
    readonly to: Date,
  ) {}
}

export interface RewardActivityByMonth {
  /** YYYY-MM, SAST. */
  month: string;
  /** Rewards earned by two qualified referrals (earnedAt in the month). */
  rewardsEarned: number;
  /** Rewards granted by hand (earnedAt, the moment of the grant, in the month). */
  rewardsGranted: number;
  rewardsRevoked: number;
  /** Rewards that expired unused (expiredAt = their expiresAt) in the month. */
  rewardsExpired: number;
  /** Rewards applied as a free month (appliedAt: when the credit note was issued) in the month. */
  rewardsApplied: number;
}

/**
 * Query: the rewards that were pending at instant `at` — earned before it, and neither applied,
 * revoked nor past their expiry by then — as free-month items in the order the nightly run plans
 * them (per customer, oldest first), for the customers after `afterCustomerId`, at most
 * `customerLimit` customers. Result: PendingRewardsPage.
 */
export class ListRewardsPendingAt {
  constructor(
    readonly at: Date,
    readonly afterCustomerId: string | null,
    readonly customerLimit: number,
  ) {}
}

export interface PendingRewardsPage {
  items: FreeMonthItem[];
  /** The last customer of this page; null when there were none (the walk is over). */
  lastCustomerId: string | null;
}

/** Nightly steps of the Rewards context (SPEC §8 steps 3–5); see nightly.ts. */
export class EarnRewards extends NightlyStep {}
/** Applies pending rewards whose free-month cycle has started by asOf. */
export class ApplyDueRewards extends NightlyStep {}
export class ExpireRewards extends NightlyStep {}
/** Reminds holders of pending rewards expiring within 30 days (once per reward; outbox `reward.expiry_reminder`). */
export class RemindExpiringRewards extends NightlyStep {}
