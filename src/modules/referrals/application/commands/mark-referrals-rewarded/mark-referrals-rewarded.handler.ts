import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MarkReferralsRewarded } from '#libs/contracts/index.js';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { ReferralNotFound } from '../../../domain/referral.errors.js';
import { ReferralRepository } from '../../ports/referral.repository.js';

/**
 * The Rewards ledger consumed qualified referrals into rewards: each referral (locked) is marked
 * rewarded by the aggregate and the batch written in one statement with its history. Repeating it
 * with the same reward ids is a no-op; a referral that is not qualified (or was consumed by
 * another reward) fails the whole command, so the two ledgers never disagree.
 */
@CommandHandler(MarkReferralsRewarded)
export class MarkReferralsRewardedHandler implements ICommandHandler<MarkReferralsRewarded, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Transactional()
  async execute({ items, runId }: MarkReferralsRewarded): Promise<void> {
    if (items.length === 0) return;
    const byId = new Map((await this.referrals.lockByIds(items.map((i) => i.referralId))).map((r) => [r.id, r]));
    const changed = [];
    for (const item of items) {
      const referral = byId.get(item.referralId);
      if (!referral) throw new ReferralNotFound(item.referralId);
      const before = referral.lifecycle;
      referral.markRewarded(item.rewardId, item.at);
      if (before !== referral.lifecycle) changed.push(referral);
    }
    await this.referrals.saveAll(changed, { runId });
    if (changed.length) this.metrics.referralTransitions.inc({ status: 'rewarded' }, changed.length);
  }
}
