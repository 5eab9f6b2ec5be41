import { PageQueryDto } from '../../../../../platform/http/pagination.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REFERRAL_STATUSES, type ReferralStatus } from '#libs/contracts/index.js';

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
  @ApiProperty({ example: 2, description: 'Qualified referrals one reward takes' }) required!: number;
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
  @ApiProperty({
    type: () => NextStepDto,
    nullable: true,
    description: "What is ahead, judged by the nightly run's own dates; null when nothing is",
  })
  nextStep!: NextStepDto | null;
  @ApiProperty({
    enum: ['not_activated_in_time', 'service_interrupted', 'already_referred', 'not_eligible', 'rejected_on_review'],
    nullable: true,
    description: 'Why a terminal referral ended there (expired, cancelled, rejected); null otherwise',
  })
  statusReason!: string | null;
}

export class NextStepDto {
  @ApiProperty({
    enum: ['activate_by', 'qualifies_on', 'under_review', 'waiting_for_pair'],
    description:
      'activate_by: the friend must be connected by `on` (R+30); qualifies_on: counts on `on` (A+30) if the ' +
      'service stays active; under_review: a person is checking it; waiting_for_pair: qualified, waiting for a second',
  })
  kind!: 'activate_by' | 'qualifies_on' | 'under_review' | 'waiting_for_pair';
  @ApiProperty({ format: 'date', nullable: true, type: String, example: '2026-03-12' }) on!: string | null;
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
  @IsIn([...REFERRAL_STATUSES])
  status?: ReferralStatus;
}

export class ReferralCodeCheckDto {
  @ApiProperty({ example: true, enum: [true] }) valid!: true;
  @ApiProperty({ example: 'Thandi' }) referrerFirstName!: string;
}
