import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TransactionHost, Transactional } from '../../../../../platform/database/transaction.js';
import { MarkReferralsRewarded } from '#libs/contracts/index.js';
import type { Db } from '../../../../../platform/database/transaction.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { ReferralsNotQualified } from '../../../domain/referral.errors.js';

/**
 * The Rewards ledger consumed qualified referrals into a reward: one bulk UPDATE … FROM unnest.
 * Repeating it with the same reward ids is a no-op; a referral that is not qualified (or was
 * consumed by another reward) fails the whole command, so the two ledgers never disagree.
 */
@CommandHandler(MarkReferralsRewarded)
export class MarkReferralsRewardedHandler implements ICommandHandler<MarkReferralsRewarded, void> {
  constructor(
    @Inject(TransactionHost) private readonly db: Db,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Transactional()
  async execute({ items, at }: MarkReferralsRewarded): Promise<void> {
    if (items.length === 0) return;
    const ids = items.map((i) => i.referralId);
    const rewardIds = items.map((i) => i.rewardId);
    const updated = await this.db.tx.$queryRaw<{ id: string }[]>`
      UPDATE referrals r
         SET lifecycle = 'rewarded', status = 'rewarded', reward_id = u.reward_id, rewarded_at = ${at}, updated_at = now()
        FROM unnest(${ids}::uuid[], ${rewardIds}::uuid[]) AS u(referral_id, reward_id)
       WHERE r.id = u.referral_id AND r.lifecycle = 'qualified'
      RETURNING r.id`;
    if (updated.length < items.length) {
      const done = new Set(updated.map((r) => r.id));
      const rest = items.filter((i) => !done.has(i.referralId));
      const already = await this.db.tx.$queryRaw<{ id: string }[]>`
        SELECT r.id FROM referrals r
          JOIN unnest(${rest.map((i) => i.referralId)}::uuid[], ${rest.map((i) => i.rewardId)}::uuid[]) AS u(referral_id, reward_id)
            ON r.id = u.referral_id AND r.lifecycle = 'rewarded' AND r.reward_id = u.reward_id`;
      const ok = new Set(already.map((r) => r.id));
      const bad = rest.filter((i) => !ok.has(i.referralId)).map((i) => i.referralId);
      if (bad.length) throw new ReferralsNotQualified(bad);
    }
    if (updated.length) this.metrics.referralTransitions.inc({ status: 'rewarded' }, updated.length);
  }
}
