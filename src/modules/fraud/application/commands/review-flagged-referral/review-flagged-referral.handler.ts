import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { ResolveFlaggedReferral, type ReferralStatus, type ResolvedReferral } from '#libs/contracts/index.js';
import { AuditLog } from '../../../../../platform/audit/audit-log.js';
import { FraudScreeningRepository } from '../../ports/fraud-screening.repository.js';
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
    @Inject(Db) private readonly db: Db,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(FraudScreeningRepository) private readonly screenings: FraudScreeningRepository,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  @Transactional()
  async execute(cmd: ReviewFlaggedReferral): Promise<{ id: string; status: ReferralStatus }> {
    const after = await this.commandBus.execute<ResolveFlaggedReferral, ResolvedReferral>(
      new ResolveFlaggedReferral(cmd.referralId, cmd.decision, cmd.at, cmd.actor),
    );
    await this.screenings.recordReview(cmd.referralId, {
      decision: cmd.decision,
      reason: cmd.reason,
      by: cmd.actor,
      at: cmd.at,
    });
    await this.audit.append({
      actor: cmd.actor,
      action: 'referral.reviewed',
      customerId: after.referrerId,
      subjectId: cmd.referralId,
      reason: cmd.reason,
      before: { status: after.statusBefore, decision: null },
      after: { status: after.status, decision: cmd.decision },
    });
    return { id: after.id, status: after.status };
  }
}
