import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { PERMISSIONS, type Permission } from './principal.js';

/** Customer ids come from the billing system: 1–64 of [A-Za-z0-9_-] (SPEC §1). */
const CUSTOMER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** An admin's `sub` is stored as the audit actor: 1–128 characters, no control characters. */
const ADMIN_SUB = /^[^\u0000-\u001f\u007f]{1,128}$/;

/** Validation of `POST /api/dev/sign-in`: the fields of the role named, and only those. */
export class DevSignInDto {
  @IsIn(['customer', 'admin'], { message: 'role must be customer or admin' })
  role!: 'customer' | 'admin';

  @ValidateIf((o: DevSignInDto) => o.role === 'customer')
  @IsString()
  @Matches(CUSTOMER_ID, { message: 'customerId must be 1–64 characters of A–Z, a–z, 0–9, _ and -' })
  customerId?: string;

  @ValidateIf((o: DevSignInDto) => o.role === 'admin')
  @IsString()
  @Length(1, 128)
  @Matches(ADMIN_SUB, { message: 'sub must not contain control characters' })
  sub?: string;

  @ValidateIf((o: DevSignInDto) => o.role === 'admin')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PERMISSIONS, { each: true, message: `each permission must be one of ${PERMISSIONS.join(', ')}` })
  permissions?: Permission[];
}

/** The fields each role takes, for the "unknown field" check and the OpenAPI alternatives. */
export const DEV_SIGN_IN_FIELDS = {
  customer: ['role', 'customerId'],
  admin: ['role', 'sub', 'permissions'],
} as const;

export class DevCustomerSignInDto {
  @ApiProperty({ enum: ['customer'] }) role!: 'customer';
  @ApiProperty({ pattern: CUSTOMER_ID.source, example: 'cus_demo_lerato', description: 'The billing customer id' })
  customerId!: string;
}

export class DevAdminSignInDto {
  @ApiProperty({ enum: ['admin'] }) role!: 'admin';
  @ApiProperty({
    pattern: ADMIN_SUB.source,
    minLength: 1,
    maxLength: 128,
    example: 'admin-1',
    description: 'The admin user id (recorded as the audit actor)',
  })
  sub!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...PERMISSIONS] },
    minItems: 1,
    uniqueItems: true,
    example: ['referrals:view'],
  })
  permissions!: Permission[];
}

export class DevTokenDto {
  @ApiProperty({ description: 'HS256 JWT signed with JWT_SECRET, as the API verifies it' }) token!: string;
  @ApiProperty({ format: 'date-time', description: 'When the token expires (one hour after it was issued)' })
  expiresAt!: string;
}
