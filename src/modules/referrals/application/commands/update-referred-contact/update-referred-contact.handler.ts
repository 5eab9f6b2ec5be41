import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Transactional } from '../../../../../platform/database/transaction.js';
import { firstNameOf, PrismaReferralCodeRepository } from '../../../infrastructure/prisma-referral-code.repository.js';
import { PrismaReferralRepository } from '../../../infrastructure/prisma-referral.repository.js';
import { UpdateReferredContact } from './update-referred-contact.command.js';

/** Keeps the snapshots fresh: the referred name/email the referrer sees, and the code owner's first name. */
@CommandHandler(UpdateReferredContact)
export class UpdateReferredContactHandler implements ICommandHandler<UpdateReferredContact, void> {
  constructor(
    @Inject(PrismaReferralRepository) private readonly referrals: PrismaReferralRepository,
    @Inject(PrismaReferralCodeRepository) private readonly codes: PrismaReferralCodeRepository,
  ) {}

  @Transactional()
  async execute({ customerId, name, email }: UpdateReferredContact): Promise<void> {
    const referral = await this.referrals.findByReferredIdForUpdate(customerId);
    if (referral) {
      referral.contactChanged(name, email);
      await this.referrals.save(referral);
    }
    await this.codes.updateFirstName(customerId, firstNameOf(name));
  }
}
