import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import { GetRewardBalanceSummary, type RewardBalanceSummary } from '#libs/contracts/index.js';
import type { Db } from '../../../../../platform/database/transaction.js';

/** How many pending rewards a customer holds (for the Referrals context's dashboard). */
@QueryHandler(GetRewardBalanceSummary)
export class GetRewardBalanceSummaryHandler
  implements IQueryHandler<GetRewardBalanceSummary, RewardBalanceSummary>
{
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async execute(query: GetRewardBalanceSummary): Promise<RewardBalanceSummary> {
    const pendingRewards = await this.db.tx.reward.count({
      where: { customerId: query.customerId, status: 'pending' },
    });
    return { pendingRewards };
  }
}
