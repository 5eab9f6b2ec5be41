import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { FraudPersonalData } from '../../ports/fraud-personal-data.js';
import { EraseFraudPersonalData } from './erase-fraud-personal-data.command.js';

/**
 * Screenings and findings keep their outcomes, rules and dates (the referral's history stays
 * explainable) but no longer show the customer's e-mail, IP or name. An erased signup's e-mail
 * and IP no longer count in DUPLICATE_REFERRAL or SHARED_IP: the data is gone.
 */
@CommandHandler(EraseFraudPersonalData)
export class EraseFraudPersonalDataHandler implements ICommandHandler<EraseFraudPersonalData, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(FraudPersonalData) private readonly personalData: FraudPersonalData,
  ) {}

  @Transactional()
  async execute({ customerId, personalData }: EraseFraudPersonalData): Promise<void> {
    await this.personalData.erase(customerId, personalData);
  }
}
