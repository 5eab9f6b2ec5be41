import type { FreeMonthItem } from '#libs/contracts/index.js';
import type { AppConfig } from '../../../platform/config/config.js';
import type { Reward } from '../domain/reward.aggregate.js';

/** A pending reward as BillingIntegration plans its free month: from the day it was earned, never past its expiry. */
export function freeMonthItem(reward: Reward): FreeMonthItem {
  return {
    rewardId: reward.id,
    customerId: reward.customerId,
    earnedOn: reward.earnedOn.toString(),
    latestCycleStart: reward.expiresOn.toString(),
  };
}

/** ENABLE_REFERRAL_REWARDS=false pauses applying rewards (SPEC §7); everything else runs. */
export function rewardsArePaused(config: Pick<AppConfig, 'enableReferralRewards'>): boolean {
  return !config.enableReferralRewards;
}
