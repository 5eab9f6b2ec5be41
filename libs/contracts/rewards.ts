/** Contracts published by the Rewards context. */

/** Query (QueryBus): a customer's reward balance. Result: RewardBalanceSummary. */
export class GetRewardBalanceSummary {
  constructor(readonly customerId: string) {}
}

export interface RewardBalanceSummary {
  /** Pending (earned or granted, not yet applied, expired or revoked) rewards. */
  pendingRewards: number;
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

/**
 * Nightly steps of the Rewards context (commands, sent by the reconciliation in SPEC §8 order).
 * Set-based in batches; each batch one transaction with its outbox events; idempotent per asOf.
 */
/** EarnRewards and ExpireRewards return StepResult (libs/contracts/referrals.ts): `{ changed }` rewards earned / expired. */
export class EarnRewards {
  constructor(
    readonly asOf: string,
    readonly batchSize = 1000,
  ) {}
}
/** Applies pending rewards whose free-month cycle has started by asOf. Result: ApplyStepResult. */
export class ApplyDueRewards {
  constructor(
    readonly asOf: string,
    readonly batchSize = 500,
  ) {}
}
export class ExpireRewards {
  constructor(
    readonly asOf: string,
    readonly batchSize = 1000,
  ) {}
}
export interface ApplyStepResult {
  applied: number;
  /** Sum of the credit notes issued, rand string "0.00". */
  creditsTotal: string;
}
