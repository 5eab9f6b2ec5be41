import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { EarnRewards, GetFirstEligibleDays, MarkReferralsRewarded } from '#libs/contracts/index.js';
import { BusinessDate } from '#libs/ddd/index.js';
import { Db } from '../../../../../platform/database/db.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { pairOldestFirst, REFERRALS_PER_REWARD } from '../../../domain/referral-pairing.js';
import { Reward } from '../../../domain/reward.aggregate.js';
import { QualifiedReferralLedger } from '../../ports/qualified-referral-ledger.js';
import { RewardRepository } from '../../ports/reward.repository.js';

/**
 * Nightly step (SPEC §6): every referrer's unconsumed qualified referrals (qualified by the end of
 * asOf), oldest first, REFERRALS_PER_REWARD at a time, become rewards — each earned on the day a
 * daily run would have earned it: the first day, on or after the later qualification of its
 * referrals and not after asOf, on which the referrer was eligible (BillingIntegration judges
 * eligibility by that day's facts). A referrer not eligible in that range keeps their referrals.
 * Referrers are taken in batches; each batch is one transaction (rewards, ledger, referrals marked
 * rewarded, outbox, the run's counts).
 */
@CommandHandler(EarnRewards)
export class EarnRewardsHandler implements ICommandHandler<EarnRewards, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(QualifiedReferralLedger) private readonly ledger: QualifiedReferralLedger,
    @Inject(RewardRepository) private readonly rewards: RewardRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute({ asOf: asOfIso, batchSize, runId, report }: EarnRewards): Promise<void> {
    const asOf = BusinessDate.parse(asOfIso);
    const qualifiedBefore = asOf.plusDays(1).startOfDay();
    let after: string | null = null;
    for (;;) {
      const referrers = await this.ledger.referrersWithUnconsumed(
        REFERRALS_PER_REWARD,
        qualifiedBefore,
        after,
        batchSize,
      );
      if (referrers.length === 0) break;
      await this.db.transaction(async () => {
        const earned = await this.earnBatch(referrers, asOf, qualifiedBefore, runId);
        await report({ rewardsEarned: earned });
        if (earned) this.metrics.rewards.inc({ event: 'earned' }, earned);
      });
      after = referrers[referrers.length - 1]!;
      if (referrers.length < batchSize) break;
    }
  }

  private async earnBatch(
    referrerIds: string[],
    asOf: BusinessDate,
    qualifiedBefore: Date,
    runId: string,
  ): Promise<number> {
    const pairs = [...pairOldestFirst(await this.ledger.lockUnconsumedOf(referrerIds, qualifiedBefore))].flatMap(
      ([referrerId, groups]) => groups.map((referrals) => ({ referrerId, referrals })),
    );
    if (pairs.length === 0) return 0;
    // The earliest day each could be earned: the later qualification of its referrals.
    const from = (p: (typeof pairs)[number]) =>
      BusinessDate.ofInstant(new Date(Math.max(...p.referrals.map((r) => r.qualifiedAt.getTime()))));
    const days = await this.queryBus.execute<GetFirstEligibleDays, (string | null)[]>(
      new GetFirstEligibleDays(
        pairs.map((p) => ({ customerId: p.referrerId, from: from(p).toString(), to: asOf.toString() })),
      ),
    );
    const earned: Reward[] = [];
    const consumed: { referralId: string; rewardId: string; at: Date }[] = [];
    const stopped = new Set<string>();
    pairs.forEach((pair, i) => {
      const day = days[i];
      // Pairs are in order: once one cannot be earned by asOf, the later ones of that referrer cannot either.
      if (!day || stopped.has(pair.referrerId)) {
        stopped.add(pair.referrerId);
        return;
      }
      const reward = Reward.earn({
        id: randomUUID(),
        customerId: pair.referrerId,
        referralIds: pair.referrals.map((r) => r.referralId),
        earnedOn: BusinessDate.parse(day),
      });
      earned.push(reward);
      const at = reward.snapshot().earnedAt;
      for (const r of pair.referrals) consumed.push({ referralId: r.referralId, rewardId: reward.id, at });
    });
    if (earned.length === 0) return 0;
    await this.rewards.insertMany(earned);
    await this.ledger.consume(consumed);
    await this.commandBus.execute(new MarkReferralsRewarded(consumed, runId));
    await this.outbox.append(earned.flatMap((r) => r.pullEvents()));
    return earned.length;
  }
}
