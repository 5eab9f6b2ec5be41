import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  GetReferralCodeOf,
  GetReferralsByIds,
  GetReferralStats,
  ListReferralsOfReferrer,
  type ReferralStats,
  type ReferralView,
} from '#libs/contracts/index.js';
import { ReferralCodeRepository } from '../../ports/referral-code.repository.js';
import { ReferralAdminReadModel } from '../../ports/referral-admin.read-model.js';
import { ReferralReadModel } from '../../ports/referral-read.model.js';

/** Queries other contexts (admin view, fraud review, rewards) ask of Referrals: read straight from SQL. */

@QueryHandler(GetReferralsByIds)
export class GetReferralsByIdsHandler implements IQueryHandler<GetReferralsByIds, ReferralView[]> {
  constructor(@Inject(ReferralAdminReadModel) private readonly read: ReferralAdminReadModel) {}
  execute({ ids }: GetReferralsByIds): Promise<ReferralView[]> {
    return this.read.byIds(ids);
  }
}

/** Throws INVALID_CURSOR (400) for a cursor this list did not hand out. */
@QueryHandler(ListReferralsOfReferrer)
export class ListReferralsOfReferrerHandler implements IQueryHandler<
  ListReferralsOfReferrer,
  { items: ReferralView[]; nextCursor: string | null }
> {
  constructor(@Inject(ReferralAdminReadModel) private readonly read: ReferralAdminReadModel) {}
  execute({ referrerId, filter }: ListReferralsOfReferrer) {
    return this.read.listOfReferrer(referrerId, filter);
  }
}

@QueryHandler(GetReferralStats)
export class GetReferralStatsHandler implements IQueryHandler<GetReferralStats, ReferralStats> {
  constructor(@Inject(ReferralReadModel) private readonly read: ReferralReadModel) {}
  execute({ referrerId }: GetReferralStats): Promise<ReferralStats> {
    return this.read.stats(referrerId);
  }
}

@QueryHandler(GetReferralCodeOf)
export class GetReferralCodeOfHandler implements IQueryHandler<GetReferralCodeOf, { code: string } | null> {
  constructor(@Inject(ReferralCodeRepository) private readonly codes: ReferralCodeRepository) {}
  async execute({ customerId }: GetReferralCodeOf): Promise<{ code: string } | null> {
    const found = await this.codes.findByCustomer(customerId);
    return found ? { code: found.code } : null;
  }
}
