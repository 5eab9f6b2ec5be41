import { ApiProperty } from '@nestjs/swagger';
import { IsBusinessDate } from '../../../../platform/http/business-date.validator.js';

export class ProgrammeReportQueryDto {
  @ApiProperty({ format: 'date', example: '2026-01-01', description: 'First day (SAST), inclusive' })
  @IsBusinessDate()
  from!: string;

  @ApiProperty({
    format: 'date',
    example: '2026-06-30',
    description: 'Last day (SAST), inclusive; on or after from, at most 36 months touched',
  })
  @IsBusinessDate()
  to!: string;
}

export class CreditsDto {
  @ApiProperty({ example: '1598.00', description: 'Credit notes issued: amounts incl. VAT (rand)' }) inclVat!: string;
  @ApiProperty({ example: '208.44' }) vat!: string;
  @ApiProperty({ example: '1389.56' }) exclVat!: string;
}

export class ProgrammeCountersDto {
  @ApiProperty({ example: 12, description: 'Referral codes created (a customer first asked for theirs)' })
  codesCreated!: number;
  @ApiProperty({ example: 30, description: 'Referrals whose signup (referredAt) falls in the month' })
  referralsAttributed!: number;
  @ApiProperty({
    example: 2,
    description: 'Of those, flagged for review by the fraud screening (whatever the review decided)',
  })
  flagged!: number;
  @ApiProperty({
    example: 3,
    description: 'Referrals rejected in the month (rejectedAt): by a fraud rule at signup or on review',
  })
  rejected!: number;
  @ApiProperty({
    example: 20,
    description: "Referrals whose activation (the friend's first service, within R+30) happened in the month",
  })
  activated!: number;
  @ApiProperty({
    example: 16,
    description: 'Referrals that qualified in the month (qualifiedAt = start of A+30), rewarded ones included',
  })
  qualified!: number;
  @ApiProperty({ example: 8, description: 'Rewards earned by two qualified referrals (earnedAt in the month)' })
  rewardsEarned!: number;
  @ApiProperty({ example: 1, description: 'Rewards granted by hand (at the moment of the grant)' })
  rewardsGranted!: number;
  @ApiProperty({ example: 0, description: 'Rewards revoked in the month' }) rewardsRevoked!: number;
  @ApiProperty({ example: 0, description: 'Rewards that expired unused in the month (at their expiresAt)' })
  rewardsExpired!: number;
  @ApiProperty({ example: 7, description: 'Rewards applied as a free month (their credit note issued in the month)' })
  rewardsApplied!: number;
  @ApiProperty({ type: CreditsDto, description: 'Credit notes issued in the month (SAST date of issuedAt)' })
  credits!: CreditsDto;
}

export class LiabilityDto {
  @ApiProperty({
    example: 4,
    description: 'Rewards pending at the end of asOf (earned, not applied, revoked or expired)',
  })
  pendingRewards!: number;
  @ApiProperty({
    example: '3196.00',
    description:
      "Their expected credit (SPEC §12): the free month the nightly run's planner would credit each, as of asOf " +
      '(a reward since issued counts at its credit note; one with no active service to credit, at 0.00)',
  })
  amount!: string;
  @ApiProperty({
    format: 'date',
    example: '2026-01-31',
    description: "The day measured at its end: the month's last day within [from, to], or today if earlier",
  })
  asOf!: string;
}

export class ProgrammeMonthDto extends ProgrammeCountersDto {
  @ApiProperty({ example: '2026-01', description: 'SAST calendar month' }) month!: string;
  @ApiProperty({ type: LiabilityDto }) liabilityAtMonthEnd!: LiabilityDto;
}

export class ProgrammeReportDto {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({
    type: [ProgrammeMonthDto],
    description: 'Every SAST month [from, to] touches, in order, each counting its days within [from, to]',
  })
  months!: ProgrammeMonthDto[];
  @ApiProperty({ type: ProgrammeCountersDto, description: 'The counters and credits of the whole period' })
  totals!: ProgrammeCountersDto;
}
