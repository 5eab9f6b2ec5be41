import { ApiProperty } from '@nestjs/swagger';
import { PageQueryDto } from '../../../../platform/http/pagination.dto.js';
import { IsBusinessDate } from '../../../../platform/http/business-date.validator.js';
import { CreditNoteDto } from './credit-notes.dto.js';

export class CreditNoteRegisterQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'date', example: '2026-03-01', description: 'First day of issue (SAST), inclusive' })
  @IsBusinessDate()
  from!: string;

  @ApiProperty({
    format: 'date',
    example: '2026-03-31',
    description: 'Last day of issue (SAST), inclusive; on or after from',
  })
  @IsBusinessDate()
  to!: string;
}

export class RegisterCreditNoteDto extends CreditNoteDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The reconciliation run that issued it' })
  runId!: string | null;
}

export class RegisterTotalsDto {
  @ApiProperty({ example: 2, description: 'Notes issued in the period' }) count!: number;
  @ApiProperty({ example: '1598.00', description: 'Sum of amountInclVat (rand)' }) inclVat!: string;
  @ApiProperty({ example: '208.44', description: 'Sum of vatAmount' }) vat!: string;
  @ApiProperty({ example: '1389.56', description: 'Sum of amountExclVat' }) exclVat!: string;
}

export class CreditNoteRegisterPageDto {
  @ApiProperty({ type: [RegisterCreditNoteDto], description: 'By number (CN-YYYY-NNNNN)' })
  items!: RegisterCreditNoteDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor!: string | null;
  @ApiProperty({ type: RegisterTotalsDto, description: 'Of the whole period, whatever the page' })
  totals!: RegisterTotalsDto;
}
