import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApplyDueRewards, IssueFreeMonthCredits, type FreeMonthOutcome } from '#libs/contracts/index.js';
import { BusinessDate, CLOCK, Money, type Clock } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../../../../../platform/config/config.js';
import { Db } from '../../../../../platform/database/db.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { RewardRepository } from '../../ports/reward.repository.js';
import { freeMonthItem, rewardsArePaused } from '../../free-month-items.js';

/**
 * Nightly step (SPEC §7): pending rewards whose free-month cycle has started by asOf get their
 * credit note from BillingIntegration and become `applied` (outbox `reward.applied` carrying the
 * note). Customers are taken in batches (all of one customer's rewards in the same batch, oldest
 * first); each batch is one transaction, which also adds its credits to the run's record.
 * Paused (a no-op) while ENABLE_REFERRAL_REWARDS=false.
 */
@CommandHandler(ApplyDueRewards)
export class ApplyDueRewardsHandler implements ICommandHandler<ApplyDueRewards, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(RewardRepository) private readonly rewards: RewardRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute({ asOf: asOfIso, batchSize, runId, report }: ApplyDueRewards): Promise<void> {
    if (rewardsArePaused(this.config)) return;
    const asOf = BusinessDate.parse(asOfIso);
    let after: string | null = null;
    for (;;) {
      const customers = await this.rewards.customersWithPendingRewards(asOf, after, batchSize);
      if (customers.length === 0) break;
      await this.db.transaction(async () => {
        const { applied, total } = await this.applyBatch(customers, asOf, runId);
        await report({ rewardsApplied: applied, creditsTotalCents: total.cents });
        if (applied) {
          this.metrics.rewards.inc({ event: 'applied' }, applied);
          this.metrics.creditsIssuedCents.inc(Number(total.cents));
        }
      });
      after = customers[customers.length - 1]!;
      if (customers.length < batchSize) break;
    }
  }

  private async applyBatch(
    customerIds: string[],
    asOf: BusinessDate,
    runId: string,
  ): Promise<{ applied: number; total: Money }> {
    const pending = await this.rewards.lockPendingOfCustomers(customerIds, asOf);
    if (pending.length === 0) return { applied: 0, total: Money.ZERO };
    const outcomes = await this.commandBus.execute<IssueFreeMonthCredits, FreeMonthOutcome[]>(
      new IssueFreeMonthCredits(pending.map(freeMonthItem), asOf.toString(), this.clock.now(), runId),
    );
    const byId = new Map(pending.map((r) => [r.id, r]));
    const changed = [];
    let total = Money.ZERO;
    for (const outcome of outcomes) {
      if (outcome.status !== 'issued') continue;
      const reward = byId.get(outcome.rewardId)!;
      reward.apply(outcome.creditNote);
      changed.push(reward);
      total = total.plus(Money.fromRand(outcome.creditNote.amountInclVat));
    }
    await this.rewards.saveAllFromPending(changed);
    await this.outbox.append(changed.flatMap((r) => r.pullEvents()));
    return { applied: changed.length, total };
  }
}
