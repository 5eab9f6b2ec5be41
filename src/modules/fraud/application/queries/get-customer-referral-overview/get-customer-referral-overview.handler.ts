import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  GetCustomerSummary,
  GetReferralCodeOf,
  GetReferralStats,
  ListReferralsOfReferrer,
  ListRewardsOfCustomer,
  type CustomerSummary,
  type ReferralStats,
  type ReferralView,
  type RewardView,
} from '#libs/contracts/index.js';
import { CustomerNotFound } from '../../../domain/fraud.errors.js';
import { FraudScreeningRepository } from '../../ports/fraud-screening.repository.js';
import { GetCustomerReferralOverview } from './get-customer-referral-overview.query.js';

export interface CustomerReferralOverview {
  customer: { id: string; name: string; email: string; referralCode: string | null };
  referrals: (ReferralView & { fraudFlags: { rule: string; outcome: 'reject' | 'flag'; detail: string }[] })[];
  rewards: RewardView[];
  stats: {
    totalReferrals: number;
    activeReferrals: number;
    qualifiedReferrals: number;
    rewardsEarned: number;
    rewardsPending: number;
    rewardsApplied: number;
    rewardsRevoked: number;
    rewardsExpired: number;
  };
  nextCursor: string | null;
}

/** Composes the oversight view from the other contexts' queries and the fraud findings. */
@QueryHandler(GetCustomerReferralOverview)
export class GetCustomerReferralOverviewHandler implements IQueryHandler<
  GetCustomerReferralOverview,
  CustomerReferralOverview
> {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(FraudScreeningRepository) private readonly screenings: FraudScreeningRepository,
  ) {}

  async execute({ customerId, filter }: GetCustomerReferralOverview): Promise<CustomerReferralOverview> {
    const customer = await this.queryBus.execute<GetCustomerSummary, CustomerSummary | null>(
      new GetCustomerSummary(customerId),
    );
    if (!customer) throw new CustomerNotFound(customerId);
    const code = await this.queryBus.execute<GetReferralCodeOf, { code: string } | null>(
      new GetReferralCodeOf(customerId),
    );
    const page = await this.queryBus.execute<
      ListReferralsOfReferrer,
      { items: ReferralView[]; nextCursor: string | null }
    >(new ListReferralsOfReferrer(customerId, filter));
    const referralStats = await this.queryBus.execute<GetReferralStats, ReferralStats>(
      new GetReferralStats(customerId),
    );
    const rewards = await this.queryBus.execute<ListRewardsOfCustomer, RewardView[]>(
      new ListRewardsOfCustomer(customerId),
    );
    const findings = await this.screenings.findingsOf(page.items.map((r) => r.id));
    const countRewards = (status: RewardView['status']) => rewards.filter((r) => r.status === status).length;
    return {
      customer: {
        id: customer.customerId,
        name: customer.name,
        email: customer.email,
        referralCode: code?.code ?? null,
      },
      referrals: page.items.map((r) => ({
        ...r,
        fraudFlags: (findings.get(r.id) ?? []).map(({ rule, outcome, detail }) => ({ rule, outcome, detail })),
      })),
      rewards,
      stats: {
        totalReferrals: referralStats.total,
        activeReferrals: referralStats.active,
        // Rewarded referrals qualified first: they count as qualified too.
        qualifiedReferrals: referralStats.qualified + referralStats.rewarded,
        // Every reward the customer ever had, earned or granted by hand.
        rewardsEarned: rewards.length,
        rewardsPending: countRewards('pending'),
        rewardsApplied: countRewards('applied'),
        rewardsRevoked: countRewards('revoked'),
        rewardsExpired: countRewards('expired'),
      },
      nextCursor: page.nextCursor,
    };
  }
}
