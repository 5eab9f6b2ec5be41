import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  ListCreditNotesOfRewards,
  PlanFreeMonths,
  type CreditNoteView,
  type FreeMonthOutcome,
} from '#libs/contracts/index.js';
import { BusinessDate, CLOCK, type Clock } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../../../../../platform/config/config.js';
import { RewardReadModel } from '../../ports/reward.read-model.js';
import { rewardsArePaused } from '../../free-month-items.js';
import { GetReferralBalance, type ExpectedCredit, type ReferralBalance } from './get-referral-balance.query.js';

/**
 * Pending rewards (oldest first), each with the credit it is expected to become (SPEC §12: the
 * cycle BillingIntegration's planner — the one the nightly run issues by — would credit if nothing
 * changes, stacked rewards on consecutive cycles), and applied ones with their credit notes.
 */
@QueryHandler(GetReferralBalance)
export class GetReferralBalanceHandler implements IQueryHandler<GetReferralBalance, ReferralBalance> {
  constructor(
    @Inject(RewardReadModel) private readonly read: RewardReadModel,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(query: GetReferralBalance): Promise<ReferralBalance> {
    const rewards = await this.read.pendingAndApplied(query.customerId);
    const pending = rewards.filter((r) => r.status === 'pending');
    const applied = rewards.filter((r) => r.status === 'applied');
    const today = BusinessDate.ofInstant(this.clock.now());
    const [notes, plans] = await Promise.all([
      applied.length
        ? this.queryBus.execute<ListCreditNotesOfRewards, CreditNoteView[]>(
            new ListCreditNotesOfRewards(applied.map((r) => r.id)),
          )
        : [],
      pending.length && !rewardsArePaused(this.config)
        ? this.queryBus.execute<PlanFreeMonths, FreeMonthOutcome[]>(
            new PlanFreeMonths(
              pending.map((r) => ({
                rewardId: r.id,
                customerId: query.customerId,
                earnedOn: r.earnedOn,
                latestCycleStart: r.expiresOn,
              })),
              today.toString(),
            ),
          )
        : [],
    ]);
    const planOf = new Map(plans.map((p) => [p.rewardId, p]));
    const noteOf = new Map(notes.map((n) => [n.rewardId, n]));
    return {
      availableRewards: pending.length,
      pendingRewards: pending.map((r) => ({
        id: r.id,
        rewardType: 'free_month' as const,
        status: 'pending' as const,
        earnedAt: r.earnedAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        manuallyGranted: r.manuallyGranted,
        ...expectedCredit(rewardsArePaused(this.config), planOf.get(r.id), today),
      })),
      appliedRewards: applied
        .filter((r) => noteOf.has(r.id))
        .sort((a, b) => b.appliedAt!.getTime() - a.appliedAt!.getTime() || (a.id < b.id ? 1 : -1))
        .map((r) => {
          const n = noteOf.get(r.id)!;
          return {
            id: r.id,
            appliedAt: r.appliedAt!.toISOString(),
            serviceId: n.serviceId,
            periodStart: n.periodStart,
            periodEnd: n.periodEnd,
            amountWaived: n.amountInclVat,
            creditNoteNumber: n.number,
          };
        }),
    };
  }
}

function expectedCredit(
  paused: boolean,
  outcome: FreeMonthOutcome | undefined,
  today: BusinessDate,
): { expectedCredit: ExpectedCredit | null; reason?: 'no_active_service' | 'rewards_paused' } {
  if (paused) return { expectedCredit: null, reason: 'rewards_paused' };
  const planned = outcome && 'planned' in outcome ? outcome.planned : undefined;
  if (!planned) return { expectedCredit: null, reason: 'no_active_service' };
  const start = BusinessDate.parse(planned.periodStart);
  return {
    expectedCredit: { ...planned, appliesOn: (start.isAfter(today) ? start : today).toString() },
  };
}
