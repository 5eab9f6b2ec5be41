import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReferralReadModel, type MyReferralsPage } from '../../../infrastructure/referral-read.model.js';
import { GetMyReferralsPage } from './get-my-referrals-page.query.js';

@QueryHandler(GetMyReferralsPage)
export class GetMyReferralsPageHandler implements IQueryHandler<GetMyReferralsPage, MyReferralsPage> {
  constructor(@Inject(ReferralReadModel) private readonly read: ReferralReadModel) {}

  execute({ referrerId, filter }: GetMyReferralsPage): Promise<MyReferralsPage> {
    return this.read.customerPage(referrerId, filter);
  }
}
