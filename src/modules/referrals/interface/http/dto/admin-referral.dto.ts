import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length, Matches } from 'class-validator';
import { FRAUD_RULES, REFERRAL_STATUSES } from '#libs/contracts/index.js';
import { BILLING_ID_PATTERN } from '../../../../../platform/http/pagination.dto.js';
import { NextStepDto } from './referral.dto.js';

// ── requests ──

export class ExplainReferralParams {
  @ApiProperty({ format: 'uuid', example: '6f1c1c8e-3a55-4f44-9f7b-8d2f3e6c2a10' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

const billingId = { message: 'must be 1–64 characters of A-Z, a-z, 0-9, _ and -' };

export class LinkReferralDto {
  @ApiProperty({
    example: 'cus_1001',
    description: 'The customer who referred (billing id)',
    pattern: '^[A-Za-z0-9_-]{1,64}$',
  })
  @Matches(BILLING_ID_PATTERN, { message: `referrerId ${billingId.message}` })
  referrerId!: string;

  @ApiProperty({
    example: 'cus_2002',
    description: 'The friend who signed up without the code (billing id)',
    pattern: '^[A-Za-z0-9_-]{1,64}$',
  })
  @Matches(BILLING_ID_PATTERN, { message: `referredId ${billingId.message}` })
  referredId!: string;

  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Friend forgot the code at signup; confirmed on the phone' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

// ── responses ──

export class LinkedReferralDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'cus_1001' }) referrerId!: string;
  @ApiProperty({ example: 'cus_2002' }) referredId!: string;
  @ApiProperty({ enum: REFERRAL_STATUSES, description: 'After fraud screening: pending, flagged or rejected' })
  status!: string;
  @ApiProperty({ format: 'date-time', description: "The referred customer's signup (customer.created occurredAt)" })
  referredAt!: string;
  @ApiProperty({ enum: ['admin_override'] }) source!: 'admin_override';
}

export class ExplainedReferralDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() referrerId!: string;
  @ApiProperty() referredId!: string;
  @ApiProperty() referredName!: string;
  @ApiProperty({ enum: REFERRAL_STATUSES }) status!: string;
  @ApiProperty({ description: 'The lifecycle underneath a review (pending, active, qualified, …)' }) lifecycle!: string;
  @ApiProperty({ enum: ['none', 'flagged', 'approved', 'rejected'] }) review!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['not_activated_in_time', 'service_interrupted', 'already_referred', 'not_eligible', 'rejected_on_review'],
  })
  statusReason!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['url_param', 'manual_entry', 'admin_override'] })
  source!: string | null;
  @ApiProperty({ example: 'CT-REF-7K3M9Q2X' }) code!: string;
  @ApiProperty({ format: 'date-time' }) referredAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) activatedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) qualifiedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) rejectedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) rewardedAt!: string | null;
  @ApiProperty({ type: NextStepDto, nullable: true }) nextStep!: NextStepDto | null;
}

export class ExplainedFactDto {
  @ApiProperty({
    enum: ['customer_created', 'service_activated', 'service_interrupted'],
    description:
      "customer_created: the referred customer's signup the referral was attributed on; service_activated: their " +
      'first service (detail.inTime: on or before R+30); service_interrupted: its first suspension or cancellation ' +
      '(detail.beforeHoldEnded: before A+30)',
  })
  what!: string;
  @ApiProperty({ format: 'date-time', description: 'occurredAt of the billing event' }) at!: string;
  @ApiProperty({ type: String, nullable: true, example: 'evt_01HZX…', description: 'The billing event id' })
  sourceEventId!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'eventType (e.g. service.suspended), serviceId, and the dates the rules compared it with',
    example: {
      eventType: 'service.activated',
      serviceId: 'svc_2001',
      activatedOn: '2026-01-12',
      activateBy: '2026-02-09',
      inTime: true,
      qualifiesOn: '2026-02-11',
    },
  })
  detail!: Record<string, unknown>;
}

export class ExplainedRuleDto {
  @ApiProperty({ enum: FRAUD_RULES }) rule!: string;
  @ApiProperty({ enum: ['pass', 'flag', 'reject'] }) outcome!: string;
  @ApiProperty({ example: 'email domain gmail.com is not a known disposable-mail domain' }) detail!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the rule compared and counted' })
  evidence!: Record<string, unknown>;
}

export class ExplainedReviewDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: "The admin's JWT sub" }) by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class ExplainedByDto {
  @ApiProperty({ enum: ['billing_event', 'run', 'admin', 'service'] }) kind!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The billing event id, the reconciliation run id or the admin (JWT sub); null for the service itself',
  })
  id!: string | null;
}

export class ExplainedHistoryEntryDto {
  @ApiProperty({ format: 'date-time', description: 'Business time of the change' }) at!: string;
  @ApiProperty({
    example: 'activated',
    description:
      'attributed, flagged, rejected_by_rule, activated, activated_too_late, service_interrupted, expired, qualified, ' +
      'cancelled, rewarded, approved_on_review, rejected_on_review',
  })
  what!: string;
  @ApiProperty({ type: String, nullable: true, enum: REFERRAL_STATUSES }) from!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: REFERRAL_STATUSES }) to!: string | null;
  @ApiProperty({ type: ExplainedByDto }) by!: ExplainedByDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'What went with it (the rules that flagged or rejected, the reward that consumed it)',
  })
  detail!: Record<string, unknown> | null;
}

export class ExplainedRewardDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['pending', 'applied', 'expired', 'revoked'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) earnedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty() manuallyGranted!: boolean;
}

export class ExplainedCreditNoteDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'CN-2026-00042' }) number!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty() serviceId!: string;
  @ApiProperty({ format: 'uuid' }) rewardId!: string;
  @ApiProperty({ format: 'date' }) periodStart!: string;
  @ApiProperty({ format: 'date' }) periodEnd!: string;
  @ApiProperty({ example: '799.00' }) amountInclVat!: string;
  @ApiProperty({ example: '104.22' }) vatAmount!: string;
  @ApiProperty({ example: '694.78' }) amountExclVat!: string;
  @ApiProperty({ example: '15.00' }) vatRate!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

export class ReferralExplanationDto {
  @ApiProperty({ type: ExplainedReferralDto }) referral!: ExplainedReferralDto;
  @ApiProperty({ type: [ExplainedFactDto], description: 'The billing facts the rules judged by, oldest first' })
  facts!: ExplainedFactDto[];
  @ApiProperty({
    type: [ExplainedRuleDto],
    description:
      'Every fraud rule evaluated at attribution, in rule order. For referrals screened before every evaluation was ' +
      'recorded: only the rules that fired (see unrecordedRules)',
  })
  fraudRules!: ExplainedRuleDto[];
  @ApiProperty({
    enum: FRAUD_RULES,
    isArray: true,
    description:
      'Rules whose evaluation was not recorded (screened before it was kept): they did not fire, but their detail ' +
      'and evidence are unknown. Empty for referrals screened since.',
  })
  unrecordedRules!: string[];
  @ApiProperty({ type: ExplainedReviewDto, nullable: true }) review!: ExplainedReviewDto | null;
  @ApiProperty({ type: [ExplainedHistoryEntryDto], description: 'Every state change and fact, oldest first' })
  history!: ExplainedHistoryEntryDto[];
  @ApiProperty({ type: ExplainedRewardDto, nullable: true, description: 'The reward it fed, if any' })
  reward!: ExplainedRewardDto | null;
  @ApiProperty({ type: ExplainedCreditNoteDto, nullable: true, description: "That reward's credit note, once issued" })
  creditNote!: ExplainedCreditNoteDto | null;
}
