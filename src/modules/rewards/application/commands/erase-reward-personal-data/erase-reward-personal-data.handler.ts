import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { RewardPersonalData } from '../../ports/reward-personal-data.js';
import { EraseRewardPersonalData } from './erase-reward-personal-data.command.js';

/** Rewards keep ids, states, dates and money; only what admins wrote about the customer is cleaned. */
@CommandHandler(EraseRewardPersonalData)
export class EraseRewardPersonalDataHandler implements ICommandHandler<EraseRewardPersonalData, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(RewardPersonalData) private readonly personalData: RewardPersonalData,
  ) {}

  @Transactional()
  async execute({ customerId, personalData }: EraseRewardPersonalData): Promise<void> {
    await this.personalData.erase(customerId, personalData);
  }
}
