import { ApiProperty } from '@nestjs/swagger';

/** The answer to a billing event (the request's shape is described by the parser: application/billing-event.parser.ts). */
export class BillingEventAckDto {
  @ApiProperty({ enum: [true], example: true }) received!: true;
  @ApiProperty({
    description: 'True when this event id was already processed (nothing was done again)',
    example: false,
  })
  duplicate!: boolean;
}
