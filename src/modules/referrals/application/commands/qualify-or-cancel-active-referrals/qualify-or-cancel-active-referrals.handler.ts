import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import { QualifyOrCancelActiveReferrals, ReferralsQualified, type QualifyStepResult } from '#libs/contracts/index.js';
import { BusinessDate } from '#libs/ddd/index.js';
import type { Db } from '../../../../../platform/database/transaction.js';
import { IntegrationEventBus } from '../../../../../platform/messaging/integration-event-bus.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { lastQualifyingActivatedOn, QUALIFYING_HOLD_DAYS } from '../../../domain/referral.aggregate.js';
import { maxId, NIL_UUID, startOfSastDaySql } from '../nightly-sql.js';

/**
 * SPEC §4/§8 step 2, set-based in batches (each batch one transaction with its outbox rows):
 *  - cancel: an active referral whose service was suspended or cancelled before the start of
 *    A+30 is cancelled (cancelledAt = the interruption) at any run on or after the interruption date;
 *  - qualify: an active referral at a run with asOf ≥ A+30, not interrupted before A+30 and not
 *    waiting for review, qualifies with qualifiedAt = the start of A+30 (SAST). Flagged ones wait
 *    for approval and qualify at the first run after it. Each batch publishes ReferralsQualified
 *    (for the Rewards ledger) and one `referral.qualified` outbox event per referral.
 * Both use the (lifecycle, activated_on) index. Re-running the same asOf changes nothing.
 */
@CommandHandler(QualifyOrCancelActiveReferrals)
export class QualifyOrCancelActiveReferralsHandler implements ICommandHandler<
  QualifyOrCancelActiveReferrals,
  QualifyStepResult
> {
  constructor(
    @Inject(TransactionHost) private readonly db: Db,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(IntegrationEventBus) private readonly events: IntegrationEventBus,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute({ asOf: asOfIso, batchSize }: QualifyOrCancelActiveReferrals): Promise<QualifyStepResult> {
    const asOf = BusinessDate.parse(asOfIso);
    const cancelled = await this.cancelInterrupted(asOf, batchSize);
    const qualified = await this.qualify(asOf, batchSize);
    if (cancelled) this.metrics.referralTransitions.inc({ status: 'cancelled' }, cancelled);
    if (qualified) this.metrics.referralTransitions.inc({ status: 'qualified' }, qualified);
    return { qualified, cancelled };
  }

  private async cancelInterrupted(asOf: BusinessDate, batchSize: number): Promise<number> {
    const holdEnds = startOfSastDaySql('activated_on', QUALIFYING_HOLD_DAYS);
    // "on or after the interruption date" ⇔ interrupted before the end of asOf (SAST).
    const endOfAsOf = asOf.plusDays(1).startOfDay();
    let total = 0;
    let after = NIL_UUID; // keyset: each batch starts after the last id of the previous one
    for (;;) {
      const n = await this.db.withTransaction(async () => {
        const rows = await this.db.tx.$queryRaw<{ id: string }[]>`
          UPDATE referrals r
             SET lifecycle = 'cancelled', status = 'cancelled', cancelled_at = r.service_interrupted_at, updated_at = now()
           WHERE r.id IN (SELECT id FROM referrals
                           WHERE lifecycle = 'active' AND activated_on <= ${asOf.toString()}::date
                             AND service_interrupted_at < ${endOfAsOf}
                             AND service_interrupted_at < ${holdEnds}
                             AND id > ${after}::uuid
                           ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
          RETURNING r.id`;
        after = maxId(rows, after);
        return rows.length;
      });
      total += n;
      if (n < batchSize) return total;
    }
  }

  private async qualify(asOf: BusinessDate, batchSize: number): Promise<number> {
    const lastActivatedOn = lastQualifyingActivatedOn(asOf).toString();
    const holdEnds = startOfSastDaySql('activated_on', QUALIFYING_HOLD_DAYS);
    const qualifiedAt = startOfSastDaySql('r.activated_on', QUALIFYING_HOLD_DAYS);
    let total = 0;
    let after = NIL_UUID; // keyset: each batch starts after the last id of the previous one
    for (;;) {
      const n = await this.db.withTransaction(async () => {
        const rows = await this.db.tx.$queryRaw<
          { id: string; referrer_id: string; referred_id: string; qualified_at: Date }[]
        >`
          UPDATE referrals r
             SET lifecycle = 'qualified', status = 'qualified', qualified_at = ${qualifiedAt}, updated_at = now()
           WHERE r.id IN (SELECT id FROM referrals
                           WHERE lifecycle = 'active' AND activated_on <= ${lastActivatedOn}::date
                             AND review IN ('none', 'approved')
                             AND (service_interrupted_at IS NULL OR service_interrupted_at >= ${holdEnds})
                             AND id > ${after}::uuid
                           ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
          RETURNING r.id, r.referrer_id, r.referred_id, r.qualified_at`;
        if (rows.length === 0) return 0;
        after = maxId(rows, after);
        rows.sort((a, b) => a.qualified_at.getTime() - b.qualified_at.getTime() || a.id.localeCompare(b.id));
        await this.outbox.append(
          rows.map((r) => ({
            type: 'referral.qualified',
            occurredAt: r.qualified_at,
            data: {
              referralId: r.id,
              referrerId: r.referrer_id,
              referredId: r.referred_id,
              qualifiedAt: r.qualified_at.toISOString(),
            },
          })),
        );
        await this.events.publish(
          new ReferralsQualified(
            asOf.startOfDay(),
            rows.map((r) => ({ referralId: r.id, referrerId: r.referrer_id, qualifiedAt: r.qualified_at })),
          ),
        );
        return rows.length;
      });
      total += n;
      if (n < batchSize) return total;
    }
  }
}
