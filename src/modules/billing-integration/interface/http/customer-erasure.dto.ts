import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CustomerIdParams } from '../../../../platform/http/pagination.dto.js';

export class EraseCustomerParams extends CustomerIdParams {}

export class EraseCustomerDto {
  @ApiProperty({
    minLength: 3,
    maxLength: 500,
    example: 'POPIA s24 request received by e-mail on 2026-03-01, ticket 4411',
    description: 'Why the data is erased (kept in the audit log, without the customer’s personal data).',
  })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class CustomerErasureDto {
  @ApiProperty({ example: 'cus_1001' })
  customerId!: string;

  @ApiProperty({ enum: [true], example: true })
  erased!: true;

  @ApiProperty({
    format: 'date-time',
    example: '2026-03-01T10:00:00.000Z',
    description: 'When the data was erased; a repeated erasure answers the first one’s time.',
  })
  erasedAt!: string;
}
