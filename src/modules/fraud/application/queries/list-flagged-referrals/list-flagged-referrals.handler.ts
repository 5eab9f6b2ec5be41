import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetReferralsByIds, type ReferralView } from '#libs/contracts/index.js';
import { FraudScreeningRepository } from '../../ports/fraud-screening.repository.js';
import { decodeFlaggedCursor, encodeFlaggedCursor } from '../../flagged-cursor.js';
import { ListFlaggedReferrals } from './list-flagged-referrals.query.js';

export type FlaggedReferralItem = ReferralView & {
  fraudFlags: { rule: string; outcome: 'reject' | 'flag'; detail: string }[];
};
export interface FlaggedPage {
  items: FlaggedReferralItem[];
  nextCursor: string | null;
}

@QueryHandler(ListFlaggedReferrals)
export class ListFlaggedReferralsHandler implements IQueryHandler<ListFlaggedReferrals, FlaggedPage> {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(FraudScreeningRepository) private readonly screenings: FraudScreeningRepository,
  ) {}

  async execute({ limit, cursor }: ListFlaggedReferrals): Promise<FlaggedPage> {
    const after = cursor ? decodeFlaggedCursor(cursor) : undefined;
    const rows = await this.screenings.flaggedPage(limit, after);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeFlaggedCursor(last) : null;
    const ids = page.map((r) => r.referralId);
    const views = ids.length
      ? await this.queryBus.execute<GetReferralsByIds, ReferralView[]>(new GetReferralsByIds(ids))
      : [];
    const byId = new Map(views.map((v) => [v.id, v]));
    const findings = await this.screenings.findingsOf(ids);
    const items = ids.flatMap((id) => {
      const view = byId.get(id);
      if (!view) return [];
      const fraudFlags = (findings.get(id) ?? []).map(({ rule, outcome, detail }) => ({ rule, outcome, detail }));
      return [{ ...view, fraudFlags }];
    });
    return { items, nextCursor };
  }
}
