import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import { ExpireRewards, type StepResult } from '#libs/contracts/index.js';
import type { BusinessDate } from '#libs/ddd/index.js';
import type { Db } from '../../../../../platform/database/transaction.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { PrismaRewardRepository } from '../../../infrastructure/prisma-reward.repository.js';
import { parseAsOf, positiveBatchSize } from '../../as-of.js';

/**
 * Nightly step (SPEC §6): pending rewards whose expiry date is on or before asOf expire
 * (outbox `reward.expired`). Batches of `batchSize`, each one transaction.
 */
@CommandHandler(ExpireRewards)
export class ExpireRewardsHandler implements ICommandHandler<ExpireRewards, StepResult> {
  constructor(
    @Inject(TransactionHost) private readonly db: Db,
    private readonly rewards: PrismaRewardRepository,
    private readonly outbox: OutboxWriter,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute(command: ExpireRewards): Promise<StepResult> {
    const asOf = parseAsOf(command.asOf);
    const batchSize = positiveBatchSize(command.batchSize, 1000);
    let changed = 0;
    for (;;) {
      const n = await this.db.withTransaction(() => this.expireBatch(asOf, batchSize));
      changed += n;
      if (n) this.metrics.rewards.inc({ event: 'expired' }, n);
      if (n < batchSize) break;
    }
    return { changed };
  }

  private async expireBatch(asOf: BusinessDate, batchSize: number): Promise<number> {
    const due = await this.rewards.lockExpiring(asOf, batchSize);
    for (const reward of due) reward.expire(asOf);
    await this.rewards.saveAllFromPending(due);
    await this.outbox.append(due.flatMap((r) => r.pullEvents()));
    return due.length;
  }
}
