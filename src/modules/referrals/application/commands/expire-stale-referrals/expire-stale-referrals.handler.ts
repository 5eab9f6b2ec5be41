import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ExpireStaleReferrals } from '#libs/contracts/index.js';
import { BusinessDate } from '#libs/ddd/index.js';
import { Db } from '../../../../../platform/database/db.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { ReferralRepository } from '../../ports/referral.repository.js';
import { walkInBatches } from '../../nightly/keyset.js';

/**
 * SPEC §4/§8 step 1, set-based: candidates (pending, R+30 passed) come by keyset in batches, the
 * Referral aggregate decides (expireIfStale), and each batch is written in one statement with its
 * history, in one transaction that also moves the run's counts. Rows locked by someone else are
 * left for the next run (SKIP LOCKED).
 */
@CommandHandler(ExpireStaleReferrals)
export class ExpireStaleReferralsHandler implements ICommandHandler<ExpireStaleReferrals, void> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async execute({ asOf: asOfIso, batchSize, runId, report }: ExpireStaleReferrals): Promise<void> {
    const asOf = BusinessDate.parse(asOfIso);
    await walkInBatches({
      batchSize,
      transaction: (fn) => this.db.transaction(fn),
      next: (after) => this.referrals.lockStaleCandidates(asOf, after, batchSize),
      handle: async (candidates) => {
        const expired = candidates.filter((r) => r.expireIfStale(asOf) === 'expired');
        await this.referrals.saveAll(expired, { runId });
        await report({ referralsExpired: expired.length });
        if (expired.length) this.metrics.referralTransitions.inc({ status: 'expired' }, expired.length);
      },
    });
  }
}
