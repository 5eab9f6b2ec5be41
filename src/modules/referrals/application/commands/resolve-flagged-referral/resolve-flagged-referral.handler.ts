import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { ResolveFlaggedReferral, type ResolvedReferral } from '#libs/contracts/index.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { ReferralNotFound } from '../../../domain/referral.errors.js';
import { ReferralRepository } from '../../ports/referral.repository.js';

/**
 * An admin decided a flagged referral (sent by the Fraud review, inside its transaction, which
 * also writes the audit log). Approve: it resumes its lifecycle as if never flagged (an active
 * one past A+30 qualifies at the next run). Reject: terminal.
 */
@CommandHandler(ResolveFlaggedReferral)
export class ResolveFlaggedReferralHandler implements ICommandHandler<ResolveFlaggedReferral, ResolvedReferral> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Transactional()
  async execute({ referralId, decision, at, actor }: ResolveFlaggedReferral): Promise<ResolvedReferral> {
    const referral = /^[0-9a-f-]{36}$/i.test(referralId)
      ? await this.referrals.findById(referralId, { forUpdate: true })
      : null;
    if (!referral) throw new ReferralNotFound(referralId);
    const statusBefore = referral.status;
    if (decision === 'approve') referral.approve(at);
    else referral.rejectByAdmin(at);
    await this.referrals.save(referral, { actor });
    await this.outbox.append(referral.pullEvents());
    this.metrics.referralTransitions.inc({ status: referral.status });
    return { id: referral.id, referrerId: referral.referrerId, statusBefore, status: referral.status };
  }
}
