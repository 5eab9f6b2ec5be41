import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { firstNameOf } from '#libs/ddd/index.js';
import { ReferralCodeRepository } from '../../ports/referral-code.repository.js';
import { ReferralRepository } from '../../ports/referral.repository.js';
import { UpdateReferredContact } from './update-referred-contact.command.js';

/** Keeps the snapshots fresh: the referred name/email the referrer sees, and the code owner's first name. */
@CommandHandler(UpdateReferredContact)
export class UpdateReferredContactHandler implements ICommandHandler<UpdateReferredContact, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(ReferralCodeRepository) private readonly codes: ReferralCodeRepository,
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
