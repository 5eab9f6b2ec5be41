import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const BILLING_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export class CustomerIdParams {
  @ApiProperty({ description: 'Billing customer id', pattern: '^[A-Za-z0-9_-]{1,64}$', example: 'cus_1001' })
  @Matches(BILLING_ID_PATTERN, { message: 'id must be 1–64 characters of A-Z, a-z, 0-9, _ and -' })
  id!: string;
}

export class AuditLogQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque: the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class AuditLogEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-06-15T10:00:00.000Z', description: 'When the action was taken (UTC)' }) at!: string;
  @ApiProperty({ example: 'admin-7', description: "The admin's JWT sub" }) actor!: string;
  @ApiProperty({ example: 'reward.revoked' }) action!: string;
  @ApiProperty({ example: '6f1c1c8e-3a55-4f44-9f7b-8d2f3e6c2a10', description: 'What was acted on (reward, referral, run …)' })
  subjectId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Duplicate account confirmed by support' }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'State before the action' })
  before!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'State after the action' })
  after!: Record<string, unknown> | null;
}

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditLogEntryDto] }) items!: AuditLogEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor!: string | null;
}
