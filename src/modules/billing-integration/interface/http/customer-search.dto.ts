import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../../../platform/http/pagination.dto.js';

export class CustomerSearchQueryDto extends PageQueryDto {
  @ApiProperty({
    description:
      'What support has: the customer id (exact), a referral code (any case, spaces ignored), an e-mail address or ' +
      'a phone number (compared normalised: `+tag`, gmail dots and `082…` vs `+2782…` do not matter) or part of the ' +
      'name (case-insensitive). 1–100 characters.',
    minLength: 1,
    maxLength: 100,
    example: 'thandi',
  })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'q must not be blank' })
  q!: string;
}

export class CustomerSearchItemDto {
  @ApiProperty({ example: 'cus_1001' }) id!: string;
  @ApiProperty({ example: 'Thandi Nkosi' }) name!: string;
  @ApiProperty({ example: 'thandi@example.com' }) email!: string;
  @ApiProperty({ type: String, nullable: true, example: '082 123 4567', description: 'As billing sent it' })
  phone!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'CT-REF-7K3M9Q2X',
    description: 'Null until they asked for one',
  })
  referralCode!: string | null;
  @ApiProperty({ format: 'date-time', description: 'Signup (customer.created occurredAt)' }) createdAt!: string;
}

export class CustomerSearchPageDto {
  @ApiProperty({ type: [CustomerSearchItemDto], description: 'Newest customers first' })
  items!: CustomerSearchItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor!: string | null;
}
