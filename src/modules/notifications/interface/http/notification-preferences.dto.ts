import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsDefined } from 'class-validator';

export class NotificationPreferencesBodyDto {
  @ApiProperty({
    description: 'false: no more referral e-mails (sign-ups, qualified referrals, free months, reminders)',
    example: false,
  })
  @IsDefined()
  @IsBoolean()
  referralEmails!: boolean;
}

export class NotificationPreferencesDto {
  @ApiProperty({ description: 'Whether the customer receives referral e-mails (true until they opt out)' })
  referralEmails!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When they last chose (here or with an unsubscribe link); null: never',
  })
  updatedAt!: string | null;
}
