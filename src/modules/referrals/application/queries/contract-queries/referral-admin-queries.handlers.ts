import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  CountReferralActivityByMonth,
  FindReferralCodeOwner,
  GetReferralCodesOf,
  type ReferralActivityByMonth,
} from '#libs/contracts/index.js';
import { ReferralCode } from '../../../domain/referral-code.value-object.js';
import { ReferralActivityReport } from '../../ports/referral-activity-report.js';
import { ReferralCodeDirectory } from '../../ports/referral-code-directory.js';

/** Queries the admin console's reads in other contexts ask of Referrals (customer search, programme report). */

/** Spaces anywhere are ignored ("CT-REF-7K3M 9Q2X" as read over the phone); anything not a code owns nothing. */
@QueryHandler(FindReferralCodeOwner)
export class FindReferralCodeOwnerHandler implements IQueryHandler<
  FindReferralCodeOwner,
  { customerId: string; code: string } | null
> {
  constructor(@Inject(ReferralCodeDirectory) private readonly codes: ReferralCodeDirectory) {}
  async execute({ code }: FindReferralCodeOwner): Promise<{ customerId: string; code: string } | null> {
    const parsed = ReferralCode.tryParse(code.replace(/\s+/g, ''));
    return parsed ? this.codes.ownerOf(parsed) : null;
  }
}

@QueryHandler(GetReferralCodesOf)
export class GetReferralCodesOfHandler implements IQueryHandler<
  GetReferralCodesOf,
  { customerId: string; code: string }[]
> {
  constructor(@Inject(ReferralCodeDirectory) private readonly codes: ReferralCodeDirectory) {}
  execute({ customerIds }: GetReferralCodesOf): Promise<{ customerId: string; code: string }[]> {
    return this.codes.codesOf(customerIds);
  }
}

@QueryHandler(CountReferralActivityByMonth)
export class CountReferralActivityByMonthHandler implements IQueryHandler<
  CountReferralActivityByMonth,
  ReferralActivityByMonth[]
> {
  constructor(@Inject(ReferralActivityReport) private readonly report: ReferralActivityReport) {}
  execute({ from, to }: CountReferralActivityByMonth): Promise<ReferralActivityByMonth[]> {
    return this.report.byMonth(from, to);
  }
}
