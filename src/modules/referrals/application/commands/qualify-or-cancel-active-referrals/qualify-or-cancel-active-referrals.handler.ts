import { Inject } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import {
  GetRewardProgress,
  QualifyOrCancelActiveReferrals,
  ReferralsQualified,
  type RewardProgressView,
} from '#libs/contracts/index.js';
import { BusinessDate } from '#libs/ddd/index.js';
import { Db } from '../../../../../platform/database/db.js';
import { IntegrationEventBus } from '../../../../../platform/messaging/integration-event-bus.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import type { Referral } from '../../../domain/referral.aggregate.js';
import { ReferralRepository } from '../../ports/referral.repository.js';
import { walkInBatches } from '../../nightly/keyset.js';

/**
 * SPEC §4/§8 step 2, set-based: active referrals whose service was interrupted by asOf, then
 * those whose 30-day hold ended by asOf, come by keyset in batches; the Referral aggregate decides
 * (reachHoldEnd: cancelled, qualified, or not yet), and each batch is one transaction: the rows
 * and their history in one statement, `referral.qualified` in the outbox (with the referrer's
 * progress, as the Rewards ledger counts it), ReferralsQualified for the Rewards ledger, and the
 * run's counts. Re-running the same asOf changes nothing.
 */
@CommandHandler(QualifyOrCancelActiveReferrals)
export class QualifyOrCancelActiveReferralsHandler implements ICommandHandler<QualifyOrCancelActiveReferrals, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(IntegrationEventBus) private readonly events: IntegrationEventBus,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute({ asOf: asOfIso, batchSize, runId, report }: QualifyOrCancelActiveReferrals): Promise<void> {
    const asOf = BusinessDate.parse(asOfIso);
    for (const kind of ['interrupted', 'hold_ended'] as const) {
      await walkInBatches({
        batchSize,
        transaction: (fn) => this.db.transaction(fn),
        next: (after) => this.referrals.lockHoldCandidates(kind, asOf, after, batchSize),
        handle: (candidates) => this.decide(candidates, asOf, runId, report),
      });
    }
  }

  private async decide(
    candidates: Referral[],
    asOf: BusinessDate,
    runId: string,
    report: QualifyOrCancelActiveReferrals['report'],
  ): Promise<void> {
    const progress = await this.queryBus.execute<GetRewardProgress, Map<string, RewardProgressView>>(
      new GetRewardProgress([...new Set(candidates.map((r) => r.referrerId))]),
    );
    const counted = new Map<string, number>();
    const progressAfter = (referrerId: string) => {
      const now = (counted.get(referrerId) ?? progress.get(referrerId)?.qualified ?? 0) + 1;
      counted.set(referrerId, now);
      return { qualified: now, required: progress.get(referrerId)!.required };
    };
    const qualified: Referral[] = [];
    const cancelled: Referral[] = [];
    for (const referral of candidates) {
      const outcome = referral.reachHoldEnd(asOf, progressAfter);
      if (outcome === 'qualified') qualified.push(referral);
      else if (outcome === 'cancelled') cancelled.push(referral);
    }
    const changed = [...qualified, ...cancelled];
    if (changed.length === 0) return;
    await this.referrals.saveAll(changed, { runId });
    await this.outbox.append(qualified.flatMap((r) => r.pullEvents()));
    if (qualified.length > 0) {
      await this.events.publish(
        new ReferralsQualified(
          asOf.startOfDay(),
          qualified.map((r) => ({
            referralId: r.id,
            referrerId: r.referrerId,
            qualifiedAt: r.snapshot().qualifiedAt!,
          })),
        ),
      );
    }
    await report({ referralsQualified: qualified.length, referralsCancelled: cancelled.length });
    if (cancelled.length) this.metrics.referralTransitions.inc({ status: 'cancelled' }, cancelled.length);
    if (qualified.length) this.metrics.referralTransitions.inc({ status: 'qualified' }, qualified.length);
  }
}
