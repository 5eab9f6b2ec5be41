import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import { ExpireStaleReferrals, type StepResult } from '#libs/contracts/index.js';
import { BusinessDate } from '#libs/ddd/index.js';
import type { Db } from '../../../../../platform/database/transaction.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { ACTIVATION_WINDOW_DAYS, lastStaleReferredOn } from '../../../domain/referral.aggregate.js';
import { maxId, NIL_UUID, startOfSastDaySql } from '../nightly-sql.js';

/**
 * SPEC §4/§8 step 1: a referral still pending at a run with asOf ≥ R+31 expires, at the start of
 * R+31 (SAST) — the same moment a late activation would give. Flagged pending ones expire too
 * (their review stays flagged, their status becomes expired). Set-based, in batches, each its
 * own transaction; rows locked by someone else are left for the next run (SKIP LOCKED).
 * Uses the (lifecycle, referred_on) index.
 */
@CommandHandler(ExpireStaleReferrals)
export class ExpireStaleReferralsHandler implements ICommandHandler<ExpireStaleReferrals, StepResult> {
  constructor(
    @Inject(TransactionHost) private readonly db: Db,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute({ asOf, batchSize }: ExpireStaleReferrals): Promise<StepResult> {
    const lastStale = lastStaleReferredOn(BusinessDate.parse(asOf)).toString();
    const expiryOffset = ACTIVATION_WINDOW_DAYS + 1;
    let changed = 0;
    let after = NIL_UUID; // keyset: each batch starts after the last id of the previous one
    for (;;) {
      const n = await this.db.withTransaction(async () => {
        const rows = await this.db.tx.$queryRaw<{ id: string }[]>`
          UPDATE referrals r
             SET lifecycle = 'expired', status = 'expired',
                 expired_at = ${startOfSastDaySql('r.referred_on', expiryOffset)}, updated_at = now()
           WHERE r.id IN (SELECT id FROM referrals
                           WHERE lifecycle = 'pending' AND referred_on <= ${lastStale}::date
                             AND id > ${after}::uuid
                           ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
          RETURNING r.id`;
        after = maxId(rows, after);
        return rows.length;
      });
      changed += n;
      if (n < batchSize) break;
    }
    if (changed) this.metrics.referralTransitions.inc({ status: 'expired' }, changed);
    return { changed };
  }
}
