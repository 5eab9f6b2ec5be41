import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class CreditNoteCustomerParams {
  @ApiProperty({ description: 'Billing customer id', pattern: '^[A-Za-z0-9_-]{1,64}$', example: 'cus_1001' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'id must be 1–64 characters of A-Z, a-z, 0-9, _ and -' })
  id!: string;
}

export class CreditNotePageQueryDto {
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

export class CreditNoteDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'CN-2026-00042', pattern: '^CN-\\d{4}-\\d{5}$' }) number!: string;
  @ApiProperty({ example: 'cus_1001' }) customerId!: string;
  @ApiProperty({ example: 'svc_2001' }) serviceId!: string;
  @ApiProperty({ format: 'uuid' }) rewardId!: string;
  @ApiProperty({ format: 'date', example: '2026-02-01' }) periodStart!: string;
  @ApiProperty({ format: 'date', example: '2026-02-28', description: 'Inclusive' }) periodEnd!: string;
  @ApiProperty({ example: '799.00', description: 'VAT-inclusive rand' }) amountInclVat!: string;
  @ApiProperty({ example: '104.22', description: 'round(amount × 15/115), half-up' }) vatAmount!: string;
  @ApiProperty({ example: '694.78' }) amountExclVat!: string;
  @ApiProperty({ enum: ['15.00'] }) vatRate!: '15.00';
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

export class CreditNotePageDto {
  @ApiProperty({ type: [CreditNoteDto] }) items!: CreditNoteDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
