import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'reason' }) field!: string;
  @ApiProperty({ example: 'reason must be longer than or equal to 3 characters' }) message!: string;
}

/** RFC 9457 problem details — the body of every error response. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'https://api.circletel.co.za/problems/referral-code-not-found' }) type!: string;
  @ApiProperty({ example: 'Not Found' }) title!: string;
  @ApiProperty({ example: 404 }) status!: number;
  @ApiProperty({ example: 'No referral code CT-REF-ABCDEFGH.' }) detail!: string;
  @ApiProperty({ example: 'REFERRAL_CODE_NOT_FOUND', description: 'Stable UPPER_SNAKE error code' }) code!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}
