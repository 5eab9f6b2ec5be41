import { ApiProperty } from '@nestjs/swagger';
import { PageQueryDto } from '../http/pagination.dto.js';

export { BILLING_ID_PATTERN, CustomerIdParams } from '../http/pagination.dto.js';

export class AuditLogQueryDto extends PageQueryDto {}

export class AuditLogEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-06-15T10:00:00.000Z', description: 'When the action was taken (UTC)' }) at!: string;
  @ApiProperty({ example: 'admin-7', description: "The admin's JWT sub" }) actor!: string;
  @ApiProperty({ example: 'reward.revoked' }) action!: string;
  @ApiProperty({
    example: '6f1c1c8e-3a55-4f44-9f7b-8d2f3e6c2a10',
    description: 'What was acted on (reward, referral, run …)',
  })
  subjectId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Duplicate account confirmed by support' }) reason!:
    string | null;
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
