import { ValidationFailed } from '#libs/ddd/index.js';
import { parseBillingEvent } from './billing-event.parser.js';

const envelope = (type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'evt_1',
  type,
  occurredAt: '2026-02-01T08:00:00.000Z',
  data,
  ...extra,
});

const activation = (data: Record<string, unknown> = {}) =>
  envelope('service.activated', {
    customerId: 'cus_1',
    serviceId: 'svc_1',
    monthlyPrice: '799.00',
    billingDay: 1,
    ...data,
  });

function fieldErrors(body: unknown): { field: string; message: string }[] {
  try {
    parseBillingEvent(body);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationFailed);
    return (err as ValidationFailed).errors ?? [];
  }
  throw new Error('expected the event to be rejected');
}

const fields = (body: unknown) => fieldErrors(body).map((e) => e.field);

describe('parseBillingEvent', () => {
  describe('valid events', () => {
    it('reads a customer.created with every optional field, trimming text', () => {
      const event = parseBillingEvent(
        envelope('customer.created', {
          customerId: 'cus_1',
          name: ' Thandi Nkosi ',
          email: 'thandi@example.co.za',
          phone: '082 123 4567',
          installationAddress: '12 Main Rd',
          referralCode: 'CT-REF-7K3M9QXZ',
          referralSource: 'url_param',
          signupIp: '2001:db8::1',
          userAgent: 'Mozilla/5.0',
        }),
      );
      expect(event.type).toBe('customer.created');
      expect(event.occurredAt.toISOString()).toBe('2026-02-01T08:00:00.000Z');
      expect(event.data).toMatchObject({ customerId: 'cus_1', name: 'Thandi Nkosi', referralSource: 'url_param' });
    });

    it('reads the monthly price as money and the billing day as a number', () => {
      const event = parseBillingEvent(activation({ monthlyPrice: '799.5', billingDay: 31 }));
      if (event.type !== 'service.activated') throw new Error('wrong type');
      expect(event.data.monthlyPrice.toRand()).toBe('799.50');
      expect(event.data.billingDay).toBe(31);
    });

    it('in customer.created a null optional field is treated as absent', () => {
      const event = parseBillingEvent(
        envelope('customer.created', { customerId: 'c', name: 'N', email: 'n@example.com', phone: null }),
      );
      expect(event.data).not.toHaveProperty('phone');
    });

    it('in customer.updated a null phone or address is kept: it clears the field', () => {
      const event = parseBillingEvent(envelope('customer.updated', { customerId: 'c', phone: null }));
      expect(event.data).toEqual({ customerId: 'c', phone: null });
    });

    it.each(['service.suspended', 'service.cancelled', 'service.reactivated'])('reads a %s', (type) => {
      expect(parseBillingEvent(envelope(type, { serviceId: 'svc_1' })).type).toBe(type);
    });

    it.each(['invoice.overdue', 'invoice.paid'])('reads an %s', (type) => {
      expect(parseBillingEvent(envelope(type, { customerId: 'cus_1', invoiceId: 'inv_1' })).data).toEqual({
        customerId: 'cus_1',
        invoiceId: 'inv_1',
      });
    });

    it('accepts a timestamp with an offset and converts it to the same instant', () => {
      const event = parseBillingEvent({ ...activation(), occurredAt: '2026-02-01T10:00:00+02:00' });
      expect(event.occurredAt.toISOString()).toBe('2026-02-01T08:00:00.000Z');
    });
  });

  describe('the envelope', () => {
    it.each([[null], [[]], ['text'], [42]])('a body that is not an object (%p) is rejected', (body) => {
      expect(fields(body)).toEqual(['body']);
    });

    it('reports every missing envelope field at once', () => {
      expect(fields({})).toEqual(['id', 'type', 'occurredAt', 'data']);
    });

    it('rejects an unknown envelope field', () => {
      expect(fieldErrors({ ...activation(), extra: 1 })).toEqual([{ field: 'extra', message: 'unknown field' }]);
    });

    it('rejects an unknown type', () => {
      expect(fields(envelope('customer.deleted', { customerId: 'c' }))).toEqual(['type']);
    });

    it.each([[''], ['x'.repeat(129)], [12], ['evt\n1']])('rejects the event id %p', (id) => {
      expect(fields({ ...activation(), id })).toEqual(['id']);
    });

    it('accepts an event id of 128 characters', () => {
      expect(parseBillingEvent({ ...activation(), id: 'e'.repeat(128) }).id).toHaveLength(128);
    });

    it('rejects data that is not an object', () => {
      expect(fields({ ...activation(), data: [] })).toEqual(['data']);
    });
  });

  describe('data', () => {
    it('rejects an unknown field in data', () => {
      expect(fieldErrors(activation({ discount: '10.00' }))).toEqual([
        { field: 'data.discount', message: 'unknown field' },
      ]);
    });

    it('reports a missing required field by its path', () => {
      const body = activation();
      delete (body.data as Record<string, unknown>).serviceId;
      expect(fields(body)).toEqual(['data.serviceId']);
    });

    it.each([
      ['799.999'],
      [799],
      ['-799.00'],
      ['0.00'],
      ['0'],
      ['799.'],
      [' 799.00'],
      ['R799'],
      ['1e3'],
      ['1,00'],
      [null],
    ])('rejects the monthly price %p', (monthlyPrice) => {
      expect(fields(activation({ monthlyPrice }))).toEqual(['data.monthlyPrice']);
    });

    it.each([[0], [32], [1.5], ['1'], [null]])('rejects the billing day %p', (billingDay) => {
      expect(fields(activation({ billingDay }))).toEqual(['data.billingDay']);
    });

    it.each([[''], ['x'.repeat(65)], ['cus 1'], ['cus/1'], ['cüs'], [123]])(
      'rejects the billing id %p',
      (customerId) => {
        expect(fields(activation({ customerId }))).toEqual(['data.customerId']);
      },
    );

    it('accepts a billing id of 64 characters', () => {
      expect(() => parseBillingEvent(activation({ customerId: 'A'.repeat(64) }))).not.toThrow();
    });

    it.each([['not-an-email'], ['a@b'], ['two@@example.com'], [''], [42]])('rejects the email %p', (email) => {
      expect(fields(envelope('customer.created', { customerId: 'c', name: 'N', email }))).toEqual(['data.email']);
    });

    it('rejects an unknown referral source', () => {
      expect(
        fields(
          envelope('customer.created', { customerId: 'c', name: 'N', email: 'n@example.com', referralSource: 'sms' }),
        ),
      ).toEqual(['data.referralSource']);
    });

    it('rejects a signup IP that is not an IP address', () => {
      expect(
        fields(
          envelope('customer.created', { customerId: 'c', name: 'N', email: 'n@example.com', signupIp: '999.1.1.1' }),
        ),
      ).toEqual(['data.signupIp']);
    });

    it('rejects a blank name', () => {
      expect(fields(envelope('customer.created', { customerId: 'c', name: '   ', email: 'n@example.com' }))).toEqual([
        'data.name',
      ]);
    });

    it('a customer.updated must change at least one field', () => {
      expect(fields(envelope('customer.updated', { customerId: 'c' }))).toEqual(['data']);
    });

    it('a customer.updated cannot clear the name or the email', () => {
      expect(fields(envelope('customer.updated', { customerId: 'c', name: null, email: null }))).toEqual([
        'data.name',
        'data.email',
      ]);
    });

    it('lists every bad field at once', () => {
      expect(
        fields({ ...activation({ monthlyPrice: 799, billingDay: 0, extra: true }), occurredAt: 'yesterday' }),
      ).toEqual(['occurredAt', 'data.extra', 'data.monthlyPrice', 'data.billingDay']);
    });
  });
});
