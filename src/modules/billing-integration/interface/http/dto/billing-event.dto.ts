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
