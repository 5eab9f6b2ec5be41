import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { GetCustomerSummary, type CustomerSummary } from '#libs/contracts/index.js';
import { BusinessDate, ValidationFailed } from '#libs/ddd/index.js';
import { AuditLog } from '../../../../../platform/audit/audit-log.js';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { ACTIVATION_WINDOW_DAYS } from '../../../domain/referral.aggregate.js';
import { CustomerNotFound, LinkWindowClosed } from '../../../domain/referral.errors.js';
import { AttributeReferral, type AttributedReferral } from '../attribute-referral/attribute-referral.command.js';
import {
  GetOrCreateReferralCode,
  type GetOrCreateReferralCodeResult,
} from '../get-or-create-referral-code/get-or-create-referral-code.command.js';
import { LinkReferral, type LinkedReferral } from './link-referral.command.js';

/** SPEC §14: a referral may be linked while the referred customer's signup is at most this many days old. */
export const LINK_WINDOW_DAYS = ACTIVATION_WINDOW_DAYS;

/**
 * One transaction: the two customers are looked up in billing's mirror, the link window is judged
 * by the wall clock (today, SAST, at most 30 days after the signup date — the last day the
 * referral could still activate), the referrer's code is created if they have none yet (codes are
 * permanent), and the referral is attributed through the one attribution path — the Referral
 * aggregate and the Fraud context's ScreenReferral, every rule — with referredAt = the signup,
 * source `admin_override`, its history naming the admin and the signup's billing event; then the
 * audit log records it under the referrer. A refused link writes nothing.
 */
@CommandHandler(LinkReferral)
export class LinkReferralHandler implements ICommandHandler<LinkReferral, LinkedReferral> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Transactional()
  async execute(cmd: LinkReferral): Promise<LinkedReferral> {
    if (cmd.referrerId === cmd.referredId) {
      throw new ValidationFailed([
        { field: 'referredId', message: 'a customer cannot be linked as their own referral' },
      ]);
    }
    const referrer = await this.customer(cmd.referrerId);
    const referred = await this.customer(cmd.referredId);
    if (!referrer) throw new CustomerNotFound(cmd.referrerId);
    if (!referred) throw new CustomerNotFound(cmd.referredId);

    const signedUpOn = BusinessDate.ofInstant(referred.createdAt);
    const lastDay = signedUpOn.plusDays(LINK_WINDOW_DAYS);
    if (BusinessDate.ofInstant(cmd.at).isAfter(lastDay)) {
      throw new LinkWindowClosed(cmd.referredId, signedUpOn.toString(), lastDay.toString());
    }

    const { code } = await this.commandBus.execute<GetOrCreateReferralCode, GetOrCreateReferralCodeResult>(
      new GetOrCreateReferralCode(cmd.referrerId),
    );
    const attributed = (await this.commandBus.execute<AttributeReferral, AttributedReferral | null>(
      new AttributeReferral({
        referredId: referred.customerId,
        referredName: referred.name,
        referredEmail: referred.email,
        emailNormalized: referred.emailNormalized,
        ...(referred.phoneNormalized ? { phoneNormalized: referred.phoneNormalized } : {}),
        ...(referred.addressNormalized ? { addressNormalized: referred.addressNormalized } : {}),
        ...(referred.signupIp ? { signupIp: referred.signupIp } : {}),
        code,
        source: 'admin_override',
        referredAt: referred.createdAt,
        sourceEventId: referred.signupEventId,
        actor: cmd.actor,
        ifAlreadyReferred: 'refuse',
      }),
    ))!; // the code was just read or created in this transaction: it has an owner

    const linked: LinkedReferral = {
      id: attributed.id,
      referrerId: cmd.referrerId,
      referredId: cmd.referredId,
      status: attributed.status,
      referredAt: attributed.referredAt.toISOString(),
      source: 'admin_override',
    };
    await this.audit.append({
      actor: cmd.actor,
      action: 'referral.linked',
      customerId: cmd.referrerId,
      subjectId: attributed.id,
      reason: cmd.reason,
      before: null,
      after: { ...linked, code },
    });
    return linked;
  }

  private customer(id: string): Promise<CustomerSummary | null> {
    return this.queryBus.execute<GetCustomerSummary, CustomerSummary | null>(new GetCustomerSummary(id));
  }
}
