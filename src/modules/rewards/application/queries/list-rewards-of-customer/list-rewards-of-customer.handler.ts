import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ListRewardsOfCustomer, type RewardView } from '#libs/contracts/index.js';
import { RewardReadModel } from '../../ports/reward.read-model.js';

/** Every reward of a customer, newest first, with the referrals that earned it. */
@QueryHandler(ListRewardsOfCustomer)
export class ListRewardsOfCustomerHandler implements IQueryHandler<ListRewardsOfCustomer, RewardView[]> {
  constructor(@Inject(RewardReadModel) private readonly read: RewardReadModel) {}

  execute(query: ListRewardsOfCustomer): Promise<RewardView[]> {
    return this.read.listOfCustomer(query.customerId);
  }
}
