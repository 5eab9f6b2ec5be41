import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import {
  ApplyDueRewards,
  IssueFreeMonthCredits,
  type ApplyStepResult,
  type FreeMonthOutcome,
} from '#libs/contracts/index.js';
import { CLOCK, Money, type BusinessDate, type Clock } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../../../../../platform/config/config.js';
import type { Db } from '../../../../../platform/database/transaction.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { PrismaRewardRepository } from '../../../infrastructure/prisma-reward.repository.js';
import { parseAsOf, positiveBatchSize } from '../../as-of.js';

/**
 * Nightly step (SPEC §7): pending rewards whose free-month cycle has started by asOf get their
 * credit note from BillingIntegration and become `applied` (outbox `reward.applied` carrying the
 * note). Customers are taken in batches (all of one customer's rewards in the same batch, oldest
 * first); each batch is one transaction. Paused (a no-op) while ENABLE_REFERRAL_REWARDS=false.
 */
@CommandHandler(ApplyDueRewards)
export class ApplyDueRewardsHandler implements ICommandHandler<ApplyDueRewards, ApplyStepResult> {
  constructor(
    @Inject(TransactionHost) private readonly db: Db,
    private readonly rewards: PrismaRewardRepository,
    private readonly outbox: OutboxWriter,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute(command: ApplyDueRewards): Promise<ApplyStepResult> {
    const asOf = parseAsOf(command.asOf);
    if (!this.config.enableReferralRewards) return { applied: 0, creditsTotal: '0.00' };
    const batchSize = positiveBatchSize(command.batchSize, 500);
    let after: string | null = null;
    let applied = 0;
    let total = Money.ZERO;
    for (;;) {
      const customers = await this.rewards.customersWithPendingRewards(asOf, after, batchSize);
      if (customers.length === 0) break;
      const batch = await this.db.withTransaction(() => this.applyBatch(customers, asOf));
      applied += batch.applied;
      if (batch.applied) this.metrics.rewards.inc({ event: 'applied' }, batch.applied);
      if (batch.applied) this.metrics.creditsIssuedCents.inc(Number(batch.total.cents));
      total = total.plus(batch.total);
      after = customers[customers.length - 1]!;
      if (customers.length < batchSize) break;
    }
    return { applied, creditsTotal: total.toRand() };
  }

  private async applyBatch(customerIds: string[], asOf: BusinessDate): Promise<{ applied: number; total: Money }> {
    const pending = await this.rewards.lockPendingOfCustomers(customerIds, asOf);
    if (pending.length === 0) return { applied: 0, total: Money.ZERO };
    const outcomes = await this.commandBus.execute<IssueFreeMonthCredits, FreeMonthOutcome[]>(
      new IssueFreeMonthCredits(
        pending.map((r) => ({
          rewardId: r.id,
          customerId: r.customerId,
          earnedOn: r.earnedOn.toString(),
          latestCycleStart: r.expiresOn.toString(),
        })),
        asOf.toString(),
        this.clock.now(),
      ),
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
