import { ApiProperty } from '@nestjs/swagger';
import { CustomerIdParams, PageQueryDto } from '../../../../platform/http/pagination.dto.js';

export class CreditNoteCustomerParams extends CustomerIdParams {}

export class CreditNotePageQueryDto extends PageQueryDto {}

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
  @ApiProperty({ example: '15.00', description: 'The VAT rate the note was split at (stored with it)' })
  vatRate!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

export class CreditNotePageDto {
  @ApiProperty({ type: [CreditNoteDto] }) items!: CreditNoteDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
