import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { ReferralRepository } from '../../ports/referral.repository.js';
import { RecordReferralServiceInterrupted } from './record-referral-service-interrupted.command.js';

/**
 * Remembers the first interruption of the referral's own service. The nightly step decides
 * what it means (before A+30 → cancelled), so replays and late deliveries give the same answer.
 */
@CommandHandler(RecordReferralServiceInterrupted)
export class RecordReferralServiceInterruptedHandler implements ICommandHandler<
  RecordReferralServiceInterrupted,
  void
> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
  ) {}

  @Transactional()
  async execute({ referredId, serviceId, at, sourceEventId }: RecordReferralServiceInterrupted): Promise<void> {
    const referral = await this.referrals.findByReferredIdForUpdate(referredId);
    if (!referral || referral.snapshot().serviceId !== serviceId) return;
    if (referral.recordServiceInterrupted(at)) await this.referrals.save(referral, { sourceEventId });
  }
}
