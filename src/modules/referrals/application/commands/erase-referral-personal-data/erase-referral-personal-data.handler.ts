import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { ReferralCodeRepository } from '../../ports/referral-code.repository.js';
import { ReferralPersonalData } from '../../ports/referral-personal-data.js';
import { EraseReferralPersonalData } from './erase-referral-personal-data.command.js';

/**
 * The customer's code stops resolving and loses the owner's first name; the referral that brought
 * them in loses the referred name and e-mail; the history of their referrals is cleaned. Their
 * referrals keep ids, states and dates, so they still count for the referrer (in the caller's
 * transaction: all of the erasure or none of it).
 */
@CommandHandler(EraseReferralPersonalData)
export class EraseReferralPersonalDataHandler implements ICommandHandler<EraseReferralPersonalData, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(ReferralCodeRepository) private readonly codes: ReferralCodeRepository,
    @Inject(ReferralPersonalData) private readonly personalData: ReferralPersonalData,
  ) {}

  @Transactional()
  async execute({ customerId, personalData, at }: EraseReferralPersonalData): Promise<void> {
    await this.codes.erase(customerId, at);
    await this.personalData.erase(customerId, personalData);
  }
}
