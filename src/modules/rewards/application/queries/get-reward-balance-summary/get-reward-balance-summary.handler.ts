import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { sql } from '../../../../../platform/database/sql.js';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import { GetRewardBalanceSummary, type RewardBalanceSummary } from '#libs/contracts/index.js';
import type { Db } from '../../../../../platform/database/transaction.js';

/** How many pending rewards a customer holds (for the Referrals context's dashboard). */
@QueryHandler(GetRewardBalanceSummary)
export class GetRewardBalanceSummaryHandler implements IQueryHandler<GetRewardBalanceSummary, RewardBalanceSummary> {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async execute(query: GetRewardBalanceSummary): Promise<RewardBalanceSummary> {
    const [row] = await this.db.sql<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM rewards WHERE customer_id = ${query.customerId} AND status = 'pending'`);
    return { pendingRewards: row!.n };
  }
}
