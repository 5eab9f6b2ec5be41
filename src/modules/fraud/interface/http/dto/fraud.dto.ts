import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CustomerIdParams, PageQueryDto } from '../../../../../platform/http/pagination.dto.js';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { FRAUD_RULES, REFERRAL_STATUSES } from '#libs/contracts/index.js';

// ── requests ──

export { CustomerIdParams, PageQueryDto };

export class ReferralIdParams {
  @ApiProperty({ format: 'uuid', example: '6f1c1c8e-3a55-4f44-9f7b-8d2f3e6c2a10' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class CustomerReferralsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES)
  status?: (typeof REFERRAL_STATUSES)[number];

  @ApiPropertyOptional({
    description: "Searches the referred customer's name or email (case-insensitive)",
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

export class ReviewReferralDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision!: 'approve' | 'reject';

  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Confirmed with the customer: different households' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

// ── responses ──

export class FraudFlagDto {
  @ApiProperty({ enum: FRAUD_RULES }) rule!: string;
  @ApiProperty({ enum: ['reject', 'flag'] }) outcome!: 'reject' | 'flag';
  @ApiProperty({ example: "email matches referrer's email (j***@gmail.com normalised)" }) detail!: string;
}

export class AdminReferralDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() referrerId!: string;
  @ApiProperty() referredId!: string;
  @ApiProperty() referredName!: string;
  @ApiProperty() referredEmail!: string;
  @ApiProperty({ example: 'CT-REF-7K3M9Q2X' }) code!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['url_param', 'manual_entry', 'admin_override'] }) source!:
    string | null;
  @ApiProperty({ enum: REFERRAL_STATUSES }) status!: string;
  @ApiProperty({ description: 'Underlying lifecycle state while flagged' }) lifecycle!: string;
  @ApiProperty({ enum: ['none', 'flagged', 'approved', 'rejected'] }) review!: string;
  @ApiProperty({ type: String, nullable: true }) serviceId!: string | null;
  @ApiProperty({ format: 'date-time' }) referredAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) activatedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) qualifiedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) rejectedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) rewardedAt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) rewardId!: string | null;
  @ApiProperty({ type: [FraudFlagDto], description: 'Fraud findings, each with its rule and explanation' })
  fraudFlags!: FraudFlagDto[];
}

export class FlaggedPageDto {
  @ApiProperty({ type: [AdminReferralDto] }) items!: AdminReferralDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor!: string | null;
}

export class ReviewResultDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: REFERRAL_STATUSES, description: "The referral's new state" }) status!: string;
}

export class AdminRewardDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: ['free_month'] }) rewardType!: string;
  @ApiProperty({ enum: ['pending', 'applied', 'expired', 'revoked'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) earnedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty() manuallyGranted!: boolean;
  @ApiProperty({ type: String, nullable: true }) grantReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokeReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) appliedAt!: string | null;
  @ApiProperty({ type: [String] }) referralIds!: string[];
}

export class OverviewCustomerDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true, example: 'CT-REF-7K3M9Q2X' }) referralCode!: string | null;
}

export class OverviewStatsDto {
  @ApiProperty() totalReferrals!: number;
  @ApiProperty() activeReferrals!: number;
  @ApiProperty({ description: 'Qualified, including those already consumed by a reward' }) qualifiedReferrals!: number;
  @ApiProperty({ description: 'Every reward, earned or granted' }) rewardsEarned!: number;
  @ApiProperty() rewardsPending!: number;
  @ApiProperty() rewardsApplied!: number;
  @ApiProperty() rewardsRevoked!: number;
  @ApiProperty() rewardsExpired!: number;
}

export class CustomerReferralOverviewDto {
  @ApiProperty({ type: OverviewCustomerDto }) customer!: OverviewCustomerDto;
  @ApiProperty({ type: [AdminReferralDto], description: 'Newest first, filtered by status and q' })
  referrals!: AdminReferralDto[];
  @ApiProperty({ type: [AdminRewardDto] }) rewards!: AdminRewardDto[];
  @ApiProperty({ type: OverviewStatsDto }) stats!: OverviewStatsDto;
  @ApiProperty({ type: String, nullable: true, description: 'Next page of referrals; null on the last' }) nextCursor!:
    string | null;
}
