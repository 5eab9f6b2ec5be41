import { PageQueryDto } from '../../../../../platform/http/pagination.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, IsUUID, Matches, ValidateIf } from 'class-validator';

export class StartReconciliationRunDto {
  @ApiPropertyOptional({
    example: '2026-02-11',
    format: 'date',
    description:
      'Business date (SAST) to reconcile, exactly YYYY-MM-DD, a real date from 2000-01-01; default today in ' +
      'Africa/Johannesburg. A future date is 400 AS_OF_IN_FUTURE.',
  })
  // Its shape here; whether it is a real date in range and not in the future is judged once, by
  // resolveAsOf (the same rule for the API, the CLI and the schedule).
  @ValidateIf((_o, v) => v !== undefined)
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date YYYY-MM-DD' })
  asOf?: string;

  @ApiPropertyOptional({ default: false, description: 'Report what the run would do and change nothing' })
  @ValidateIf((_o, v) => v !== undefined)
  @IsBoolean()
  dryRun?: boolean;
}

export class RunCountsDto {
  @ApiProperty({ example: 0 }) referralsExpired!: number;
  @ApiProperty({ example: 2 }) referralsQualified!: number;
  @ApiProperty({ example: 0 }) referralsCancelled!: number;
  @ApiProperty({ example: 1 }) rewardsEarned!: number;
  @ApiProperty({ example: 1 }) rewardsApplied!: number;
  @ApiProperty({ example: 0 }) rewardsExpired!: number;
}

export class ReconciliationRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-03-01', format: 'date' }) asOf!: string;
  @ApiProperty({ enum: ['schedule', 'manual', 'cli'] }) trigger!: 'schedule' | 'manual' | 'cli';
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ enum: ['running', 'succeeded', 'failed'] }) status!: 'running' | 'succeeded' | 'failed';
  @ApiProperty({
    enum: [
      'expire_stale_referrals',
      'qualify_or_cancel_active_referrals',
      'earn_rewards',
      'apply_due_rewards',
      'expire_rewards',
      'remind_expiring_rewards',
    ],
    nullable: true,
    description: 'The step in progress (running), or the last step entered (finished); null before the first',
  })
  step!: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ type: RunCountsDto }) counts!: RunCountsDto;
  @ApiProperty({ example: '799.00', description: 'Sum of the credit notes issued by the run (VAT-inclusive rand)' })
  creditsTotal!: string;
  @ApiPropertyOptional({
    example: 'apply_due_rewards: connection terminated',
    description: 'Failed runs only: the step that failed and why ("interrupted" when the process died)',
  })
  error?: string;
}

export class ReconciliationRunsPageDto {
  @ApiProperty({ type: [ReconciliationRunDto] }) items!: ReconciliationRunDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?cursor= for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class ListReconciliationRunsQueryDto extends PageQueryDto {}

export class RunIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}
