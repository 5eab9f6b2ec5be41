import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  CountRewardActivityByMonth,
  GetRewardsByIds,
  ListRewardsPendingAt,
  type PendingRewardsPage,
  type RewardActivityByMonth,
  type RewardView,
} from '#libs/contracts/index.js';
import { RewardReports } from '../../ports/reward-reports.js';

/** Queries the admin console's reads in other contexts ask of Rewards (explanations, the programme report). */

@QueryHandler(GetRewardsByIds)
export class GetRewardsByIdsHandler implements IQueryHandler<GetRewardsByIds, RewardView[]> {
  constructor(@Inject(RewardReports) private readonly rewards: RewardReports) {}
  execute({ ids }: GetRewardsByIds): Promise<RewardView[]> {
    return this.rewards.byIds(ids);
  }
}

@QueryHandler(CountRewardActivityByMonth)
export class CountRewardActivityByMonthHandler implements IQueryHandler<
  CountRewardActivityByMonth,
  RewardActivityByMonth[]
> {
  constructor(@Inject(RewardReports) private readonly rewards: RewardReports) {}
  execute({ from, to }: CountRewardActivityByMonth): Promise<RewardActivityByMonth[]> {
    return this.rewards.activityByMonth(from, to);
  }
}

/** Pending rewards at an instant, as free-month items (the planner's input, the same as the nightly run's). */
@QueryHandler(ListRewardsPendingAt)
export class ListRewardsPendingAtHandler implements IQueryHandler<ListRewardsPendingAt, PendingRewardsPage> {
  constructor(@Inject(RewardReports) private readonly rewards: RewardReports) {}
  async execute({ at, afterCustomerId, customerLimit }: ListRewardsPendingAt): Promise<PendingRewardsPage> {
    const items = await this.rewards.pendingAt(at, afterCustomerId, Math.max(1, Math.trunc(customerLimit)));
    return { items, lastCustomerId: items[items.length - 1]?.customerId ?? null };
  }
}
