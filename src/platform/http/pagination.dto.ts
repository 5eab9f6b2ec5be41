import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** SPEC §1: every list takes `?limit=` (1–100, default 20) and `?cursor=`. Extend for filters. */
export class PageQueryDto {
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

/** Ids that come from the billing system: 1–64 characters of [A-Za-z0-9_-] (SPEC §1). */
export const BILLING_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `{id}` of the admin routes under /api/admin/customers/{id}/…: a billing customer id. */
export class CustomerIdParams {
  @ApiProperty({ description: 'Billing customer id', pattern: '^[A-Za-z0-9_-]{1,64}$', example: 'cus_1001' })
  @Matches(BILLING_ID_PATTERN, { message: 'id must be 1–64 characters of A-Z, a-z, 0-9, _ and -' })
  id!: string;
}
