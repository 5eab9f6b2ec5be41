import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReferralStats, ReferralStatus } from '#libs/contracts/index.js';
import { maskEmail } from '#libs/ddd/index.js';
import { nextStepOf, type StatusReason } from '../../../domain/referral.aggregate.js';
import { ReferralReadModel } from '../../ports/referral-read.model.js';
import { GetMyReferralsPage } from './get-my-referrals-page.query.js';

export interface MyReferral {
  id: string;
  referredName: string;
  /** Masked (POPIA): a referrer sees who, not their details. */
  referredEmail: string;
  status: ReferralStatus;
  referredAt: string;
  activatedAt: string | null;
  qualifiedAt: string | null;
  /** SPEC §12: what is ahead, with its date (YYYY-MM-DD), or null. */
  nextStep: { kind: 'activate_by' | 'qualifies_on' | 'under_review' | 'waiting_for_pair'; on: string | null } | null;
  /** SPEC §12: why a terminal referral ended there, customer-safe; null otherwise. */
  statusReason: StatusReason | null;
}

export interface MyReferralsPage {
  items: MyReferral[];
  nextCursor: string | null;
  stats: ReferralStats;
}

/** The customer's own referrals: each with its next step from the same rules the nightly run uses. */
@QueryHandler(GetMyReferralsPage)
export class GetMyReferralsPageHandler implements IQueryHandler<GetMyReferralsPage, MyReferralsPage> {
  constructor(@Inject(ReferralReadModel) private readonly read: ReferralReadModel) {}

  async execute({ referrerId, filter }: GetMyReferralsPage): Promise<MyReferralsPage> {
    const page = await this.read.customerPage(referrerId, filter);
    return {
      items: page.items.map((r) => {
        const next = nextStepOf({
          status: r.status,
          referredAt: new Date(r.referredAt),
          activatedAt: r.activatedAt ? new Date(r.activatedAt) : null,
          serviceInterruptedAt: r.serviceInterruptedAt ? new Date(r.serviceInterruptedAt) : null,
        });
        return {
          id: r.id,
          referredName: r.referredName,
          referredEmail: maskEmail(r.referredEmail),
          status: r.status,
          referredAt: r.referredAt,
          activatedAt: r.activatedAt,
          qualifiedAt: r.qualifiedAt,
          nextStep: next ? { kind: next.kind, on: next.on?.toString() ?? null } : null,
          statusReason: (r.statusReason as StatusReason | null) ?? null,
        };
      }),
      nextCursor: page.nextCursor,
      stats: page.stats,
    };
  }
}
