import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import { EarnRewards, GetEligibleCustomers, MarkReferralsRewarded, type StepResult } from '#libs/contracts/index.js';
import type { BusinessDate } from '#libs/ddd/index.js';
import type { Db } from '../../../../../platform/database/transaction.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { pairOldestFirst } from '../../../domain/referral-pairing.js';
import { Reward } from '../../../domain/reward.aggregate.js';
import { PrismaQualifiedReferralLedger } from '../../../infrastructure/prisma-qualified-referral-ledger.js';
import { PrismaRewardRepository } from '../../../infrastructure/prisma-reward.repository.js';
import { parseAsOf, positiveBatchSize } from '../../as-of.js';

/**
 * Nightly step (SPEC §6): every eligible referrer's unconsumed qualified referrals (qualified by
 * the end of asOf), oldest two at a time, become rewards earned on asOf. Referrers are taken
 * in batches; each batch is one transaction (rewards, ledger, referrals marked rewarded,
 * outbox). A referrer not eligible keeps their referrals for a later run.
 */
@CommandHandler(EarnRewards)
export class EarnRewardsHandler implements ICommandHandler<EarnRewards, StepResult> {
  constructor(
    @Inject(TransactionHost) private readonly db: Db,
    private readonly ledger: PrismaQualifiedReferralLedger,
    private readonly rewards: PrismaRewardRepository,
    private readonly outbox: OutboxWriter,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute(command: EarnRewards): Promise<StepResult> {
    const asOf = parseAsOf(command.asOf);
    const batchSize = positiveBatchSize(command.batchSize, 1000);
    const qualifiedBefore = asOf.plusDays(1).startOfDay();
    let after: string | null = null;
    let changed = 0;
    for (;;) {
      const referrers = await this.ledger.referrersWithUnconsumedPairs(qualifiedBefore, after, batchSize);
      if (referrers.length === 0) break;
      const earned = await this.db.withTransaction(() => this.earnBatch(referrers, asOf, qualifiedBefore));
      changed += earned;
      if (earned) this.metrics.rewards.inc({ event: 'earned' }, earned);
      after = referrers[referrers.length - 1]!;
      if (referrers.length < batchSize) break;
    }
    return { changed };
  }

  private async earnBatch(referrerIds: string[], asOf: BusinessDate, qualifiedBefore: Date): Promise<number> {
    const eligible = await this.queryBus.execute<GetEligibleCustomers, string[]>(new GetEligibleCustomers(referrerIds));
    if (eligible.length === 0) return 0;
    const unconsumed = await this.ledger.lockUnconsumedOf(eligible, qualifiedBefore);
    const earned: Reward[] = [];
    const consumed: { referralId: string; rewardId: string; at: Date }[] = [];
    for (const [referrerId, pairs] of pairOldestFirst(unconsumed)) {
      for (const pair of pairs) {
        const reward = Reward.earn({
          id: randomUUID(),
          customerId: referrerId,
          referralIds: pair.map((r) => r.referralId),
          asOf,
        });
        earned.push(reward);
        const at = reward.snapshot().earnedAt;
        for (const r of pair) consumed.push({ referralId: r.referralId, rewardId: reward.id, at });
      }
    }
    if (earned.length === 0) return 0;
    await this.rewards.insertMany(earned);
    await this.ledger.consume(consumed);
    await this.commandBus.execute(
      new MarkReferralsRewarded(
        consumed.map(({ referralId, rewardId }) => ({ referralId, rewardId })),
        asOf.startOfDay(),
      ),
    );
    await this.outbox.append(earned.flatMap((r) => r.pullEvents()));
    return earned.length;
  }
}
