import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import {
  GetReferrerAndMatchingCustomers,
  ScreenReferral,
  type ReferrerAndMatchingCustomers,
  type ScreeningResult,
} from '#libs/contracts/index.js';
import { isDisposableEmailDomain } from '#libs/ddd/index.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { Screening, sastMonth, type ScreeningSubject } from '../../../domain/screening.js';
import { FraudScreeningRepository } from '../../ports/fraud-screening.repository.js';

/**
 * Screens a new referral against every rule of SPEC §5, inside the Referrals attribution
 * transaction. A per-referrer advisory lock comes first, so concurrent attributions for one
 * referrer are counted one after another (none slips past MONTHLY_LIMIT or BURST). Windows use
 * the referral's business time (referredAt), never the wall clock. Screening the same referral
 * again answers the stored result.
 */
@CommandHandler(ScreenReferral)
export class ScreenReferralHandler implements ICommandHandler<ScreenReferral, ScreeningResult> {
  private readonly logger = new Logger(ScreenReferralHandler.name);

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(FraudScreeningRepository) private readonly screenings: FraudScreeningRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Transactional()
  async execute({ input }: ScreenReferral): Promise<ScreeningResult> {
    const subject: ScreeningSubject = { ...input, referredAt: new Date(input.referredAt) };
    // Three statements in one round trip (pipelined on the transaction's connection, sent in this
    // order): the locks, then the rule inputs from the ledger, then the referrer's summary and the
    // existing customers sharing the referred one's contact details from the billing mirror.
    // PostgreSQL runs them one after another, so the counts are read with a snapshot taken after
    // the locks were granted, as when each was awaited in turn.
    const [, inputs, { referrer, matchingCustomers }] = await Promise.all([
      this.screenings.lockFor(subject),
      this.screenings.ruleInputs(subject, sastMonth(subject.referredAt)),
      this.queryBus.execute<GetReferrerAndMatchingCustomers, ReferrerAndMatchingCustomers>(
        new GetReferrerAndMatchingCustomers(subject.referrerId, {
          emailNormalized: subject.emailNormalized || undefined,
          phoneNormalized: subject.phoneNormalized,
          addressNormalized: subject.addressNormalized,
          excludeCustomerIds: [subject.referredId, subject.referrerId],
          limit: 10,
        }),
      ),
    ]);
    if (inputs.screened) {
      const stored = (await this.screenings.find(subject.referralId))!;
      return {
        outcome: stored.screening.outcome,
        findings: stored.findings.map(({ rule, outcome, detail }) => ({ rule, outcome, detail })),
      };
    }

    const { nonRejectedInMonth, referrerInWindow, earlierSameEmail, ipInWindow } = inputs;

    const screening = Screening.evaluate(subject, {
      referrer: referrer
        ? {
            emailNormalized: referrer.emailNormalized,
            phoneNormalized: referrer.phoneNormalized,
            addressNormalized: referrer.addressNormalized,
            signupIp: referrer.signupIp,
            hasActiveService: referrer.hasActiveService,
          }
        : null,
      nonRejectedInMonth,
      referrerInWindow,
      earlierSameEmail,
      ipInWindow,
      matchingCustomers,
      disposableEmail: isDisposableEmailDomain(subject.email),
    });

    await this.screenings.save(screening);
    await this.outbox.append(screening.pullEvents());
    for (const f of screening.findings) this.metrics.fraudFindings.inc({ rule: f.rule });
    if (screening.findings.length > 0) {
      this.logger.log(
        {
          referralId: subject.referralId,
          referrerId: subject.referrerId,
          outcome: screening.outcome,
          rules: screening.findings.map((f) => f.rule),
        },
        'referral screened with findings',
      );
    }
    return {
      outcome: screening.outcome,
      findings: screening.findings.map(({ rule, outcome, detail }) => ({ rule, outcome, detail })),
    };
  }
}
