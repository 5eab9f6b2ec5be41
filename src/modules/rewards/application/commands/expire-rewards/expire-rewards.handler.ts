import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ExpireRewards } from '#libs/contracts/index.js';
import { BusinessDate } from '#libs/ddd/index.js';
import { Db } from '../../../../../platform/database/db.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { RewardRepository } from '../../ports/reward.repository.js';

/**
 * Nightly step (SPEC §6): pending rewards whose expiry date is on or before asOf expire
 * (outbox `reward.expired`). Batches of `batchSize`, each one transaction with the run's counts.
 */
@CommandHandler(ExpireRewards)
export class ExpireRewardsHandler implements ICommandHandler<ExpireRewards, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(RewardRepository) private readonly rewards: RewardRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute({ asOf: asOfIso, batchSize, report }: ExpireRewards): Promise<void> {
    const asOf = BusinessDate.parse(asOfIso);
    for (;;) {
      const n = await this.db.transaction(async () => {
        const due = await this.rewards.lockExpiring(asOf, batchSize);
        for (const reward of due) reward.expire(asOf);
        await this.rewards.saveAllFromPending(due);
        await this.outbox.append(due.flatMap((r) => r.pullEvents()));
        await report({ rewardsExpired: due.length });
        return due.length;
      });
      if (n) this.metrics.rewards.inc({ event: 'expired' }, n);
      if (n < batchSize) break;
    }
  }
}
