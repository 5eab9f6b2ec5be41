import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REFERRAL_SOURCES } from '../../../domain/billing-event.js';

/*
 * OpenAPI documentation of the inbound billing events (SPEC §3). The request is validated by
 * ../billing-event.parser.ts (the shape of `data` depends on `type`); these classes describe
 * the same shapes for /docs-json.
 */

const BILLING_ID = { pattern: '^[A-Za-z0-9_-]{1,64}$', minLength: 1, maxLength: 64 };
const RAND = {
  pattern: '^\\d{1,12}(\\.\\d{1,2})?$',
  example: '799.00',
  description: 'VAT-inclusive rand amount, > 0, as a string',
};

abstract class BillingEventEnvelopeDto {
  @ApiProperty({
    description: 'Unique event id: a repeated id is acknowledged and has no further effect',
    minLength: 1,
    maxLength: 128,
    example: 'evt_01HZY3',
  })
  id!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When it happened in the billing system (the time the rules use)',
    example: '2026-02-01T08:00:00.000Z',
  })
  occurredAt!: string;
}

export class CustomerCreatedDataDto {
  @ApiProperty({ ...BILLING_ID, example: 'cus_1001' }) customerId!: string;
  @ApiProperty({ maxLength: 200, example: 'Thandi Nkosi' }) name!: string;
  @ApiProperty({ format: 'email', maxLength: 254, example: 'thandi@example.co.za' }) email!: string;
  @ApiPropertyOptional({ maxLength: 64, example: '082 123 4567', nullable: true }) phone?: string;
  @ApiPropertyOptional({ maxLength: 500, example: '12 Main Rd, Sea Point, Cape Town', nullable: true })
  installationAddress?: string;
  @ApiPropertyOptional({
    maxLength: 64,
    example: 'CT-REF-7K3M9QXZ',
    nullable: true,
    description: 'An unknown code records nothing and is not an error',
  })
  referralCode?: string;
  @ApiPropertyOptional({ enum: REFERRAL_SOURCES, nullable: true }) referralSource?: string;
  @ApiPropertyOptional({ description: 'IPv4 or IPv6', example: '196.25.1.10', nullable: true }) signupIp?: string;
  @ApiPropertyOptional({ maxLength: 1024, nullable: true }) userAgent?: string;
}

export class CustomerUpdatedDataDto {
  @ApiProperty({ ...BILLING_ID, example: 'cus_1001' }) customerId!: string;
  @ApiPropertyOptional({ maxLength: 200 }) name?: string;
  @ApiPropertyOptional({ format: 'email', maxLength: 254 }) email?: string;
  @ApiPropertyOptional({ maxLength: 64, nullable: true, description: 'null clears it' }) phone?: string | null;
  @ApiPropertyOptional({ maxLength: 500, nullable: true, description: 'null clears it' }) installationAddress?:
    string | null;
}

export class ServiceActivatedDataDto {
  @ApiProperty({ ...BILLING_ID, example: 'cus_1001' }) customerId!: string;
  @ApiProperty({ ...BILLING_ID, example: 'svc_2001' }) serviceId!: string;
  @ApiProperty(RAND) monthlyPrice!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 31, example: 1 }) billingDay!: number;
}

export class ServicePriceChangedDataDto {
  @ApiProperty({ ...BILLING_ID, example: 'svc_2001' }) serviceId!: string;
  @ApiProperty(RAND) monthlyPrice!: string;
}

export class ServiceRefDataDto {
  @ApiProperty({ ...BILLING_ID, example: 'svc_2001' }) serviceId!: string;
}

export class InvoiceRefDataDto {
  @ApiProperty({ ...BILLING_ID, example: 'cus_1001' }) customerId!: string;
  @ApiProperty({ ...BILLING_ID, example: 'inv_3001' }) invoiceId!: string;
}

export class CustomerCreatedEventDto extends BillingEventEnvelopeDto {
  @ApiProperty({ enum: ['customer.created'] }) type!: 'customer.created';
  @ApiProperty({ type: CustomerCreatedDataDto }) data!: CustomerCreatedDataDto;
}

export class CustomerUpdatedEventDto extends BillingEventEnvelopeDto {
  @ApiProperty({ enum: ['customer.updated'] }) type!: 'customer.updated';
  @ApiProperty({ type: CustomerUpdatedDataDto, description: 'customerId and at least one other field' })
  data!: CustomerUpdatedDataDto;
}

export class ServiceActivatedEventDto extends BillingEventEnvelopeDto {
  @ApiProperty({ enum: ['service.activated'] }) type!: 'service.activated';
  @ApiProperty({ type: ServiceActivatedDataDto }) data!: ServiceActivatedDataDto;
}

export class ServicePriceChangedEventDto extends BillingEventEnvelopeDto {
  @ApiProperty({ enum: ['service.price_changed'] }) type!: 'service.price_changed';
  @ApiProperty({ type: ServicePriceChangedDataDto }) data!: ServicePriceChangedDataDto;
}

export class ServiceStatusEventDto extends BillingEventEnvelopeDto {
  @ApiProperty({ enum: ['service.suspended', 'service.cancelled', 'service.reactivated'] })
  type!: 'service.suspended' | 'service.cancelled' | 'service.reactivated';
  @ApiProperty({ type: ServiceRefDataDto }) data!: ServiceRefDataDto;
}

export class InvoiceEventDto extends BillingEventEnvelopeDto {
  @ApiProperty({ enum: ['invoice.overdue', 'invoice.paid'] }) type!: 'invoice.overdue' | 'invoice.paid';
  @ApiProperty({ type: InvoiceRefDataDto }) data!: InvoiceRefDataDto;
}

/** Every event type and the schema of its envelope, for `oneOf` + discriminator. */
export const BILLING_EVENT_DTOS = {
  'customer.created': CustomerCreatedEventDto,
  'customer.updated': CustomerUpdatedEventDto,
  'service.activated': ServiceActivatedEventDto,
  'service.price_changed': ServicePriceChangedEventDto,
  'service.suspended': ServiceStatusEventDto,
  'service.cancelled': ServiceStatusEventDto,
  'service.reactivated': ServiceStatusEventDto,
  'invoice.overdue': InvoiceEventDto,
  'invoice.paid': InvoiceEventDto,
} as const;

export class BillingEventAckDto {
  @ApiProperty({ enum: [true], example: true }) received!: true;
  @ApiProperty({
    description: 'True when this event id was already processed (nothing was done again)',
    example: false,
  })
  duplicate!: boolean;
}

/** Request examples for Swagger UI, one per kind of event. */
export const BILLING_EVENT_EXAMPLES = {
  'customer.created': {
    summary: 'A new customer signed up with a referral code',
    value: {
      id: 'evt_01HZY3',
      type: 'customer.created',
      occurredAt: '2026-01-10T08:00:00.000Z',
      data: {
        customerId: 'cus_1002',
        name: 'Sipho Dlamini',
        email: 'sipho@example.co.za',
        phone: '082 765 4321',
        installationAddress: '4 Long St, Cape Town',
        referralCode: 'CT-REF-7K3M9QXZ',
        referralSource: 'url_param',
        signupIp: '196.25.1.10',
      },
    },
  },
  'customer.updated': {
    summary: 'Contact details changed',
    value: {
      id: 'evt_01HZY4',
      type: 'customer.updated',
      occurredAt: '2026-01-11T09:30:00.000Z',
      data: { customerId: 'cus_1002', phone: '083 000 1111' },
    },
  },
  'service.activated': {
    summary: 'A connectivity service went live',
    value: {
      id: 'evt_01HZY5',
      type: 'service.activated',
      occurredAt: '2026-01-12T10:00:00.000Z',
      data: { customerId: 'cus_1002', serviceId: 'svc_2002', monthlyPrice: '599.00', billingDay: 15 },
    },
  },
  'service.price_changed': {
    summary: 'A new monthly price',
    value: {
      id: 'evt_01HZY6',
      type: 'service.price_changed',
      occurredAt: '2026-03-01T00:00:00.000Z',
      data: { serviceId: 'svc_2002', monthlyPrice: '649.00' },
    },
  },
  'service.suspended': {
    summary: 'Suspended (also service.cancelled, service.reactivated)',
    value: {
      id: 'evt_01HZY7',
      type: 'service.suspended',
      occurredAt: '2026-02-01T06:00:00.000Z',
      data: { serviceId: 'svc_2002' },
    },
  },
  'invoice.overdue': {
    summary: 'An invoice is overdue (also invoice.paid)',
    value: {
      id: 'evt_01HZY8',
      type: 'invoice.overdue',
      occurredAt: '2026-02-08T00:00:00.000Z',
      data: { customerId: 'cus_1001', invoiceId: 'inv_3001' },
    },
  },
};
