import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Transactional } from '../../../../../platform/database/transaction.js';
import { PrismaReferralRepository } from '../../../infrastructure/prisma-referral.repository.js';
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
  constructor(@Inject(PrismaReferralRepository) private readonly referrals: PrismaReferralRepository) {}

  @Transactional()
  async execute({ referredId, serviceId, at }: RecordReferralServiceInterrupted): Promise<void> {
    const referral = await this.referrals.findByReferredIdForUpdate(referredId);
    if (!referral || referral.snapshot().serviceId !== serviceId) return;
    if (referral.recordServiceInterrupted(at)) await this.referrals.save(referral);
  }
}
