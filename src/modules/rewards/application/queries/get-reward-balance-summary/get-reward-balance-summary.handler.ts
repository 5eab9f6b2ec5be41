import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetRewardBalanceSummary, type RewardBalanceSummary } from '#libs/contracts/index.js';
import { rewardProgress } from '../../../domain/referral-pairing.js';
import { RewardReadModel } from '../../ports/reward.read-model.js';

/** How many pending rewards a customer holds, and their progress towards the next (the customer dashboard). */
@QueryHandler(GetRewardBalanceSummary)
export class GetRewardBalanceSummaryHandler implements IQueryHandler<GetRewardBalanceSummary, RewardBalanceSummary> {
  constructor(@Inject(RewardReadModel) private readonly read: RewardReadModel) {}

  async execute(query: GetRewardBalanceSummary): Promise<RewardBalanceSummary> {
    const { pending, unconsumed } = await this.read.balanceSummary(query.customerId);
    return { pendingRewards: pending, progress: rewardProgress(unconsumed) };
  }
}
