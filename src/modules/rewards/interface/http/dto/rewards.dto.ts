import { CustomerIdParams } from '../../../../../platform/http/pagination.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';

export class RewardCustomerParams extends CustomerIdParams {}

export class GrantRewardDto {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Goodwill: two-day outage in March' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class RevokeRewardDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'rewardId must be a UUID' })
  rewardId!: string;

  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Referral found to be the same household' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class GrantRewardResponseDto {
  @ApiProperty({ format: 'uuid' }) rewardId!: string;
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
  @ApiProperty({ enum: [true] }) manuallyGranted!: true;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class RevokeRewardResponseDto {
  @ApiProperty({ format: 'uuid' }) rewardId!: string;
  @ApiProperty({ enum: ['revoked'] }) status!: 'revoked';
  @ApiProperty({ format: 'date-time' }) revokedAt!: string;
}

export class PendingRewardDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['free_month'] }) rewardType!: 'free_month';
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
  @ApiProperty({ format: 'date-time' }) earnedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty() manuallyGranted!: boolean;
  @ApiProperty({
    type: () => ExpectedCreditDto,
    nullable: true,
    description:
      'The cycle this reward is expected to credit if nothing changes (the same planner the nightly run uses); ' +
      'null when it cannot be planned — see `reason`',
  })
  expectedCredit!: ExpectedCreditDto | null;
  @ApiPropertyOptional({ enum: ['no_active_service', 'rewards_paused'], description: 'Why expectedCredit is null' })
  reason?: 'no_active_service' | 'rewards_paused';
}

export class ExpectedCreditDto {
  @ApiProperty({ example: 'svc_2001' }) serviceId!: string;
  @ApiProperty({ format: 'date', example: '2026-03-01' }) periodStart!: string;
  @ApiProperty({ format: 'date', example: '2026-03-31', description: 'Inclusive' }) periodEnd!: string;
  @ApiProperty({ example: '799.00', description: 'VAT-inclusive rand, pro-rata for a partial first cycle' })
  amount!: string;
  @ApiProperty({
    format: 'date',
    example: '2026-03-01',
    description: 'Business date of the nightly run expected to apply it (the cycle start, or today if that has passed)',
  })
  appliesOn!: string;
}

export class AppliedRewardDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) appliedAt!: string;
  @ApiProperty({ example: 'svc_2001' }) serviceId!: string;
  @ApiProperty({ format: 'date', example: '2026-02-01' }) periodStart!: string;
  @ApiProperty({ format: 'date', example: '2026-02-28', description: 'Inclusive' }) periodEnd!: string;
  @ApiProperty({ example: '799.00', description: 'VAT-inclusive rand' }) amountWaived!: string;
  @ApiProperty({ example: 'CN-2026-00042' }) creditNoteNumber!: string;
}

export class ReferralBalanceDto {
  @ApiProperty({ description: 'Pending rewards', example: 1 }) availableRewards!: number;
  @ApiProperty({ type: [PendingRewardDto] }) pendingRewards!: PendingRewardDto[];
  @ApiProperty({ type: [AppliedRewardDto] }) appliedRewards!: AppliedRewardDto[];
}
