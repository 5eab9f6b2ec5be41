import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RemindExpiringRewards } from '#libs/contracts/index.js';
import { BusinessDate } from '#libs/ddd/index.js';
import { Db } from '../../../../../platform/database/db.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { EXPIRY_REMINDER_DAYS } from '../../../domain/reward.aggregate.js';
import { RewardRepository } from '../../ports/reward.repository.js';

/**
 * Nightly step, after the expiry step (SPEC §15): each pending reward whose expiry date is at
 * most 30 days after asOf is reminded once (outbox `reward.expiry_reminder`, which the
 * notifications e-mail). The reward row records it in the same transaction, so runs, retries and
 * instances remind it once. Batches of `batchSize`, each one transaction.
 */
@CommandHandler(RemindExpiringRewards)
export class RemindExpiringRewardsHandler implements ICommandHandler<RemindExpiringRewards, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(RewardRepository) private readonly rewards: RewardRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async execute({ asOf: asOfIso, batchSize }: RemindExpiringRewards): Promise<void> {
    const asOf = BusinessDate.parse(asOfIso);
    for (;;) {
      const n = await this.db.transaction(async () => {
        const due = await this.rewards.lockDueForExpiryReminder(asOf, EXPIRY_REMINDER_DAYS, batchSize);
        const reminded = due.filter((r) => r.remindOfExpiry(asOf));
        await this.rewards.markExpiryReminded(reminded);
        await this.outbox.append(reminded.flatMap((r) => r.pullEvents()));
        return due.length;
      });
      if (n < batchSize) break;
    }
  }
}
