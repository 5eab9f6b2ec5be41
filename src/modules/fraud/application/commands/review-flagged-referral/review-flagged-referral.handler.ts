import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { Transactional } from '../../../../../platform/database/transaction.js';
import {
  GetReferralsByIds,
  ResolveFlaggedReferral,
  type ReferralStatus,
  type ReferralView,
} from '#libs/contracts/index.js';
import { AuditLog } from '../../../../../platform/audit/audit-log.js';
import { PrismaFraudScreeningRepository } from '../../../infrastructure/prisma-fraud-screening.repository.js';
import { ReviewFlaggedReferral } from './review-flagged-referral.command.js';

/**
 * One transaction: Referrals resolves the referral (404 REFERRAL_NOT_FOUND, 409
 * REFERRAL_NOT_FLAGGED), the fraud ledger records the decision (an approved referral counts as
 * accepted, a rejected one no longer counts towards MONTHLY_LIMIT), and the audit log gets the
 * admin's action. A refused review changes nothing.
 */
@CommandHandler(ReviewFlaggedReferral)
export class ReviewFlaggedReferralHandler implements ICommandHandler<
  ReviewFlaggedReferral,
  { id: string; status: ReferralStatus }
> {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(PrismaFraudScreeningRepository) private readonly screenings: PrismaFraudScreeningRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Transactional()
  async execute(cmd: ReviewFlaggedReferral): Promise<{ id: string; status: ReferralStatus }> {
    const [before] = await this.queryBus.execute<GetReferralsByIds, ReferralView[]>(
      new GetReferralsByIds([cmd.referralId]),
    );
    const after = await this.commandBus.execute<ResolveFlaggedReferral, { id: string; status: ReferralStatus }>(
      new ResolveFlaggedReferral(cmd.referralId, cmd.decision, cmd.at),
    );
    await this.screenings.recordReview(cmd.referralId, {
      decision: cmd.decision,
      reason: cmd.reason,
      by: cmd.actor,
      at: cmd.at,
    });
    const referrerId = before?.referrerId ?? (await this.screenings.find(cmd.referralId))?.screening.referrerId;
    await this.audit.append({
      actor: cmd.actor,
      action: 'referral.reviewed',
      customerId: referrerId ?? '',
      subjectId: cmd.referralId,
      reason: cmd.reason,
      before: { status: before?.status ?? 'flagged', decision: null },
      after: { status: after.status, decision: cmd.decision },
    });
    return { id: after.id, status: after.status };
  }
}
