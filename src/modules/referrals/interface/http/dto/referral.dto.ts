import { PageQueryDto } from '../../../../../platform/http/pagination.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { ReferralStatus } from '#libs/contracts/index.js';
import { REFERRAL_STATUSES } from '../../../infrastructure/referral-read.model.js';

export class ReferralStatsDto {
  @ApiProperty({ example: 3 }) total!: number;
  @ApiProperty({ example: 1 }) pending!: number;
  @ApiProperty({ example: 1 }) active!: number;
  @ApiProperty({ example: 1 }) qualified!: number;
  @ApiProperty({ example: 0 }) rewarded!: number;
  @ApiProperty({ example: 0 }) expired!: number;
  @ApiProperty({ example: 0 }) cancelled!: number;
  @ApiProperty({ example: 0 }) flagged!: number;
  @ApiProperty({ example: 0 }) rejected!: number;
}

export class ReferralProgressDto {
  @ApiProperty({ example: 1, description: 'Qualified referrals not yet consumed by a reward' }) qualified!: number;
  @ApiProperty({ example: 2, enum: [2] }) required!: 2;
  @ApiProperty({ example: '1/2' }) label!: string;
}

export class MyReferralCodeDto {
  @ApiProperty({ example: 'CT-REF-7K3M9QXZ' }) referralCode!: string;
  @ApiProperty({ example: 'https://www.circletel.co.za/?ref=CT-REF-7K3M9QXZ' }) referralLink!: string;
  @ApiProperty({ type: ReferralStatsDto }) stats!: ReferralStatsDto;
  @ApiProperty({ example: 1, description: 'Pending (unused) free-month rewards' }) rewardBalance!: number;
  @ApiProperty({ type: ReferralProgressDto }) progress!: ReferralProgressDto;
}

export class MyReferralDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Thandi Nkosi' }) referredName!: string;
  @ApiProperty({ example: 't***@example.com', description: 'Masked (POPIA)' }) referredEmail!: string;
  @ApiProperty({ enum: REFERRAL_STATUSES }) status!: ReferralStatus;
  @ApiProperty({ format: 'date-time' }) referredAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) activatedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) qualifiedAt!: string | null;
}

export class MyReferralsPageDto {
  @ApiProperty({ type: [MyReferralDto] }) items!: MyReferralDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?cursor= for the next page; null on the last page',
  })
  nextCursor!: string | null;
  @ApiProperty({ type: ReferralStatsDto }) stats!: ReferralStatsDto;
}

export class ListMyReferralsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES as ReferralStatus[])
  status?: ReferralStatus;
}

export class ReferralCodeCheckDto {
  @ApiProperty({ example: true, enum: [true] }) valid!: true;
  @ApiProperty({ example: 'Thandi' }) referrerFirstName!: string;
}
