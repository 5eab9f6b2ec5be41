import { randomUUID } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { ScreenReferral, type ScreeningResult } from '#libs/contracts/index.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { ReferralCode } from '../../../domain/referral-code.value-object.js';
import { Referral } from '../../../domain/referral.aggregate.js';
import { ReferralCodeRepository } from '../../ports/referral-code.repository.js';
import { ReferralRepository } from '../../ports/referral.repository.js';
import { AlreadyReferred } from '../../../domain/referral.errors.js';
import { AttributeReferral, type AttributedReferral } from './attribute-referral.command.js';

/**
 * SPEC §4: referrer = the code's owner, referred = the new customer, referredAt = occurredAt.
 * An unknown or malformed code records nothing (not an error for the sender); a customer is
 * referred at most once (a second attribution is ignored, or refused when an admin links one).
 * The new referral is screened by the Fraud context in the same transaction, and the outcome and
 * its events are saved with it. The one attribution path: a signup's customer.created and an
 * admin's link after the fact (SPEC §14) both come through here.
 */
@CommandHandler(AttributeReferral)
export class AttributeReferralHandler implements ICommandHandler<AttributeReferral, AttributedReferral | null> {
  private readonly logger = new Logger(AttributeReferralHandler.name);

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(ReferralCodeRepository) private readonly codes: ReferralCodeRepository,
    @Inject(ReferralRepository) private readonly referrals: ReferralRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Transactional()
  async execute({ input }: AttributeReferral): Promise<AttributedReferral | null> {
    const code = ReferralCode.tryParse(input.code);
    const owner = code ? await this.codes.findOwner(code) : null;
    if (!code || !owner) {
      this.logger.log({ referredId: input.referredId }, 'signup with an unknown referral code: nothing attributed');
      return null;
    }
    const referral = Referral.attribute({
      id: randomUUID(),
      referrerId: owner.customerId,
      referredId: input.referredId,
      code: owner.code,
      source: input.source ?? null,
      referredName: input.referredName,
      referredEmail: input.referredEmail,
      referredAt: input.referredAt,
    });
    const source = { sourceEventId: input.sourceEventId ?? null, actor: input.actor ?? null };
    if (!(await this.referrals.insertIfNotReferred(referral, source))) {
      if (input.ifAlreadyReferred === 'refuse') throw new AlreadyReferred(input.referredId);
      this.logger.log({ referredId: input.referredId }, 'customer already referred: attribution ignored');
      return null;
    }
    const result = await this.commandBus.execute<ScreenReferral, ScreeningResult>(
      new ScreenReferral({
        referralId: referral.id,
        referrerId: owner.customerId,
        referredId: input.referredId,
        referredAt: input.referredAt,
        email: input.referredEmail,
        emailNormalized: input.emailNormalized,
        phoneNormalized: input.phoneNormalized,
        addressNormalized: input.addressNormalized,
        signupIp: input.signupIp,
      }),
    );
    referral.screened(result);
    // An accepted referral is stored as inserted (pending); only a flag or a rejection changes the row.
    if (result.outcome !== 'accepted') await this.referrals.save(referral, source);
    await this.outbox.append(referral.pullEvents());
    this.metrics.referralsAttributed.inc({ status: referral.status });
    return { id: referral.id, status: referral.status, referredAt: input.referredAt };
  }
}
