import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import type { ActivationResult } from '../../../domain/referral.aggregate.js';
import { ReferralRepository } from '../../ports/referral.repository.js';
import { ActivateReferral } from './activate-referral.command.js';

/** Only the first service of a pending referral counts: on or before R+30 it activates, later it expires. */
@CommandHandler(ActivateReferral)
export class ActivateReferralHandler implements ICommandHandler<ActivateReferral, ActivationResult | null> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Transactional()
  async execute({ referredId, serviceId, at, sourceEventId }: ActivateReferral): Promise<ActivationResult | null> {
    const referral = await this.referrals.findByReferredIdForUpdate(referredId);
    if (!referral) return null;
    const result = referral.activate(serviceId, at);
    if (result === 'ignored') return result;
    await this.referrals.save(referral, { sourceEventId });
    await this.outbox.append(referral.pullEvents());
    this.metrics.referralTransitions.inc({ status: result === 'activated' ? 'active' : 'expired' });
    return result;
  }
}
