import request from 'supertest';
import {
  CustomerDetailsChanged,
  CustomerRegistered,
  ServiceActivated,
  ServiceInterrupted,
  ServiceReactivated,
  type IntegrationEvent,
} from '#libs/contracts/index.js';
import { IntegrationEventBus } from '../../src/platform/messaging/integration-event-bus.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { customerCreated, serviceActivated, uniqueId } from '../support/billing.js';
import { count, deliver, event, inboundEventStored, recordIntegrationEvents, rows, send } from './billing-support.js';

let t: TestApp;
let published: IntegrationEvent[];

beforeAll(async () => {
  t = await startTestApp();
  published = recordIntegrationEvents(t);
});
afterAll(async () => {
  await t?.close();
});

const publishedOf = <E extends IntegrationEvent>(type: string, match: (e: E) => boolean) =>
  (published.filter((e) => e.type === type) as E[]).filter(match);

/** A customer with one active service; returns their ids. */
async function customerWithService(
  serviceOverrides: Record<string, unknown> = {},
  activatedAt = '2026-01-12T08:00:00.000Z',
) {
  const customer = customerCreated();
  await deliver(t, customer);
  const customerId = customer.data.customerId as string;
  const activation = serviceActivated(customerId, serviceOverrides, activatedAt);
  await deliver(t, activation);
  return { customerId, serviceId: activation.data.serviceId as string };
}

const serviceRow = async (serviceId: string) =>
  (
    await rows<{
      status: string;
      monthly_price_cents: string;
      first_interrupted_on: string | null;
      status_changed_at: Date;
    }>(
      t,
      `SELECT status, monthly_price_cents::text, to_char(first_interrupted_on, 'YYYY-MM-DD') AS first_interrupted_on, status_changed_at
       FROM billing_services WHERE id = $1`,
      [serviceId],
    )
  )[0];

describe('customer.created', () => {
  it('stores the customer with normalised email, phone and address, created at occurredAt, and records the event id', async () => {
    const customerId = uniqueId('cus');
    const id = await deliver(
      t,
      customerCreated(
        {
          customerId,
          name: 'Thandi Nkosi',
          email: `T.Hand.i+${customerId}@GoogleMail.com`,
          phone: '082 123 4567',
          installationAddress: '12 Main Rd.,  Sea Point',
          signupIp: '196.25.1.10',
          userAgent: 'Mozilla/5.0',
        },
        '2026-01-10T08:00:00.000Z',
      ),
    );
    const [row] = await rows(t, 'SELECT * FROM billing_customers WHERE id = $1', [customerId]);
    expect(row).toMatchObject({
      name: 'Thandi Nkosi',
      email: `T.Hand.i+${customerId}@GoogleMail.com`,
      email_normalized: 'thandi@gmail.com',
      phone: '082 123 4567',
      phone_normalized: '+27821234567',
      address: '12 Main Rd.,  Sea Point',
      address_normalized: '12 main rd sea point',
      signup_ip: '196.25.1.10',
      user_agent: 'Mozilla/5.0',
    });
    expect((row!.created_at as Date).toISOString()).toBe('2026-01-10T08:00:00.000Z');
    const [inbound] = await rows(t, 'SELECT type, occurred_at, payload FROM billing_inbound_events WHERE id = $1', [
      id,
    ]);
    expect(inbound).toMatchObject({ type: 'customer.created', payload: { id, type: 'customer.created' } });
    expect((inbound!.occurred_at as Date).toISOString()).toBe('2026-01-10T08:00:00.000Z');
  });

  it('tells the other contexts about the signup with its referral code and source', async () => {
    const customerId = uniqueId('cus');
    await deliver(
      t,
      customerCreated({
        customerId,
        referralCode: 'CT-REF-AAAAAAAA',
        referralSource: 'manual_entry',
        signupIp: '10.0.0.1',
      }),
    );
    const [registered] = publishedOf<CustomerRegistered>(
      CustomerRegistered.TYPE,
      (e) => e.customer.customerId === customerId,
    );
    expect(registered).toBeDefined();
    expect(registered!.occurredAt.toISOString()).toBe('2026-01-10T08:00:00.000Z');
    expect(registered!.referral).toEqual({ code: 'CT-REF-AAAAAAAA', source: 'manual_entry' });
    expect(registered!.customer).toMatchObject({
      emailNormalized: `${customerId.toLowerCase()}@example.com`,
      signupIp: '10.0.0.1',
    });
  });

  it('without a referral code the signup is published with no referral part', async () => {
    const customerId = uniqueId('cus');
    await deliver(t, customerCreated({ customerId }));
    const [registered] = publishedOf<CustomerRegistered>(
      CustomerRegistered.TYPE,
      (e) => e.customer.customerId === customerId,
    );
    expect(registered!.referral).toBeUndefined();
  });

  it('a second customer.created for a known customer is acknowledged and changes nothing', async () => {
    const customerId = uniqueId('cus');
    await deliver(t, customerCreated({ customerId, name: 'First Name' }));
    const again = await send(t, customerCreated({ customerId, name: 'Other Name' }, '2026-02-01T00:00:00.000Z'));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: false });
    const [row] = await rows(t, 'SELECT name, created_at FROM billing_customers WHERE id = $1', [customerId]);
    expect(row!.name).toBe('First Name');
    expect((row!.created_at as Date).toISOString()).toBe('2026-01-10T08:00:00.000Z');
    expect(
      publishedOf<CustomerRegistered>(CustomerRegistered.TYPE, (e) => e.customer.customerId === customerId),
    ).toHaveLength(1);
  });
});

describe('customer.updated', () => {
  it('updates the given fields with their normalised forms and publishes the new details', async () => {
    const customerId = uniqueId('cus');
    await deliver(t, customerCreated({ customerId, phone: '0821234567' }));
    await deliver(
      t,
      event(
        'customer.updated',
        { customerId, email: 'New.Person+x@Example.com', installationAddress: '1 Long St, Cape Town' },
        '2026-02-01T00:00:00.000Z',
      ),
    );
    const [row] = await rows(t, 'SELECT * FROM billing_customers WHERE id = $1', [customerId]);
    expect(row).toMatchObject({
      email: 'New.Person+x@Example.com',
      email_normalized: 'new.person@example.com',
      address_normalized: '1 long st cape town',
      phone_normalized: '+27821234567',
      name: 'Thandi Nkosi',
    });
    expect((row!.updated_at as Date).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    const [changed] = publishedOf<CustomerDetailsChanged>(
      CustomerDetailsChanged.TYPE,
      (e) => e.customerId === customerId,
    );
    expect(changed).toMatchObject({
      email: 'New.Person+x@Example.com',
      emailNormalized: 'new.person@example.com',
      name: 'Thandi Nkosi',
    });
  });

  it('a null phone clears the phone', async () => {
    const customerId = uniqueId('cus');
    await deliver(t, customerCreated({ customerId, phone: '0821234567' }));
    await deliver(t, event('customer.updated', { customerId, phone: null }, '2026-02-01T00:00:00.000Z'));
    const [row] = await rows(t, 'SELECT phone, phone_normalized FROM billing_customers WHERE id = $1', [customerId]);
    expect(row).toEqual({ phone: null, phone_normalized: null });
  });

  it('an older update delivered after a newer one does not overwrite the newer value, but sets the fields nobody changed since', async () => {
    const customerId = uniqueId('cus');
    await deliver(t, customerCreated({ customerId }));
    await deliver(
      t,
      event('customer.updated', { customerId, email: 'newest@example.com' }, '2026-03-01T00:00:00.000Z'),
    );
    await deliver(
      t,
      event(
        'customer.updated',
        { customerId, email: 'older@example.com', name: 'Older Name' },
        '2026-02-01T00:00:00.000Z',
      ),
    );
    const [row] = await rows(t, 'SELECT name, email, updated_at FROM billing_customers WHERE id = $1', [customerId]);
    expect(row!.email).toBe('newest@example.com');
    expect(row!.name).toBe('Older Name');
    expect((row!.updated_at as Date).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('an update older than every field it carries changes nothing and publishes nothing', async () => {
    const customerId = uniqueId('cus');
    await deliver(t, customerCreated({ customerId }));
    await deliver(t, event('customer.updated', { customerId, name: 'Newest' }, '2026-03-01T00:00:00.000Z'));
    const before = publishedOf(
      CustomerDetailsChanged.TYPE,
      (e: CustomerDetailsChanged) => e.customerId === customerId,
    ).length;
    await deliver(t, event('customer.updated', { customerId, name: 'Stale' }, '2026-02-01T00:00:00.000Z'));
    const [row] = await rows(t, 'SELECT name FROM billing_customers WHERE id = $1', [customerId]);
    expect(row!.name).toBe('Newest');
    expect(
      publishedOf(CustomerDetailsChanged.TYPE, (e: CustomerDetailsChanged) => e.customerId === customerId),
    ).toHaveLength(before);
  });

  it('for an unknown customer is 409 UNKNOWN_CUSTOMER, records nothing, and the same event succeeds once the customer exists', async () => {
    const customerId = uniqueId('cus');
    const update = {
      ...event('customer.updated', { customerId, name: 'Later' }, '2026-02-01T00:00:00.000Z'),
      id: uniqueId('evt'),
    };
    const refused = await send(t, update);
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 409, code: 'UNKNOWN_CUSTOMER' });
    expect(await inboundEventStored(t, update.id)).toBe(false);

    await deliver(t, customerCreated({ customerId }));
    const retried = await send(t, update);
    expect(retried.body).toEqual({ received: true, duplicate: false });
    const [row] = await rows(t, 'SELECT name FROM billing_customers WHERE id = $1', [customerId]);
    expect(row!.name).toBe('Later');
  });
});

describe('service.activated', () => {
  it('stores the service with its price, billing day, activation time and SAST date, first price and status rows', async () => {
    const customerId = uniqueId('cus');
    await deliver(t, customerCreated({ customerId }));
    const serviceId = uniqueId('svc');
    // 23:30 UTC on 31 January is 01:30 on 1 February in Johannesburg.
    await deliver(
      t,
      serviceActivated(customerId, { serviceId, monthlyPrice: '899.5', billingDay: 15 }, '2026-01-31T23:30:00.000Z'),
    );
    const [service] = await rows(
      t,
      `SELECT customer_id, monthly_price_cents::text AS cents, billing_day, status, activated_at,
              to_char(activated_on, 'YYYY-MM-DD') AS activated_on, first_interrupted_on
       FROM billing_services WHERE id = $1`,
      [serviceId],
    );
    expect(service).toMatchObject({
      customer_id: customerId,
      cents: '89950',
      billing_day: 15,
      status: 'active',
      activated_on: '2026-02-01',
      first_interrupted_on: null,
    });
    expect((service!.activated_at as Date).toISOString()).toBe('2026-01-31T23:30:00.000Z');
    expect(
      await rows(
        t,
        `SELECT price_cents::text AS cents, to_char(effective_on, 'YYYY-MM-DD') AS effective_on FROM billing_service_prices WHERE service_id = $1`,
        [serviceId],
      ),
    ).toEqual([{ cents: '89950', effective_on: '2026-02-01' }]);
    expect(
      await rows(t, 'SELECT status FROM billing_service_status_changes WHERE service_id = $1', [serviceId]),
    ).toEqual([{ status: 'activated' }]);
    const [activated] = publishedOf<ServiceActivated>(ServiceActivated.TYPE, (e) => e.serviceId === serviceId);
    expect(activated).toMatchObject({ customerId, monthlyPrice: '899.50', billingDay: 15 });
    expect(activated!.occurredAt.toISOString()).toBe('2026-01-31T23:30:00.000Z');
  });

  it('a second activation of a known service is acknowledged and changes nothing', async () => {
    const { customerId, serviceId } = await customerWithService();
    const again = await send(
      t,
      serviceActivated(customerId, { serviceId, monthlyPrice: '1.00', billingDay: 2 }, '2026-03-01T00:00:00.000Z'),
    );
    expect(again.body).toEqual({ received: true, duplicate: false });
    expect(await serviceRow(serviceId)).toMatchObject({ status: 'active', monthly_price_cents: '79900' });
    expect(await count(t, 'SELECT 1 FROM billing_service_prices WHERE service_id = $1', [serviceId])).toBe(1);
    expect(await count(t, 'SELECT 1 FROM billing_service_status_changes WHERE service_id = $1', [serviceId])).toBe(1);
    expect(publishedOf<ServiceActivated>(ServiceActivated.TYPE, (e) => e.serviceId === serviceId)).toHaveLength(1);
  });

  it('for an unknown customer is 409 UNKNOWN_CUSTOMER with nothing written, and the same event succeeds after the customer arrives', async () => {
    const customerId = uniqueId('cus');
    const activation = { ...serviceActivated(customerId), id: uniqueId('evt') };
    const serviceId = activation.data.serviceId as string;
    const refused = await send(t, activation);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('UNKNOWN_CUSTOMER');
    expect(await inboundEventStored(t, activation.id)).toBe(false);
    expect(await count(t, 'SELECT 1 FROM billing_services WHERE id = $1', [serviceId])).toBe(0);
    expect(await count(t, 'SELECT 1 FROM billing_service_prices WHERE service_id = $1', [serviceId])).toBe(0);

    await deliver(t, customerCreated({ customerId }));
    const retried = await send(t, activation);
    expect(retried.body).toEqual({ received: true, duplicate: false });
    expect(await serviceRow(serviceId)).toMatchObject({ status: 'active' });
  });
});

describe('service.price_changed', () => {
  it('adds a price effective at occurredAt and the latest effective price becomes current', async () => {
    const { serviceId } = await customerWithService();
    await deliver(t, event('service.price_changed', { serviceId, monthlyPrice: '999.00' }, '2026-03-01T00:00:00.000Z'));
    expect((await serviceRow(serviceId))!.monthly_price_cents).toBe('99900');
    expect(
      await rows(
        t,
        'SELECT price_cents::text AS cents FROM billing_service_prices WHERE service_id = $1 ORDER BY effective_at',
        [serviceId],
      ),
    ).toEqual([{ cents: '79900' }, { cents: '99900' }]);
  });

  it('an older price change delivered late joins the history but does not replace the current price', async () => {
    const { serviceId } = await customerWithService();
    await deliver(t, event('service.price_changed', { serviceId, monthlyPrice: '999.00' }, '2026-04-01T00:00:00.000Z'));
    await deliver(t, event('service.price_changed', { serviceId, monthlyPrice: '899.00' }, '2026-03-01T00:00:00.000Z'));
    expect((await serviceRow(serviceId))!.monthly_price_cents).toBe('99900');
    expect(
      await rows(
        t,
        'SELECT price_cents::text AS cents FROM billing_service_prices WHERE service_id = $1 ORDER BY effective_at',
        [serviceId],
      ),
    ).toEqual([{ cents: '79900' }, { cents: '89900' }, { cents: '99900' }]);
  });

  it('for an unknown service is 409 UNKNOWN_SERVICE with nothing written', async () => {
    const serviceId = uniqueId('svc');
    const change = {
      ...event('service.price_changed', { serviceId, monthlyPrice: '999.00' }, '2026-03-01T00:00:00.000Z'),
      id: uniqueId('evt'),
    };
    const res = await send(t, change);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'UNKNOWN_SERVICE', status: 409 });
    expect(await inboundEventStored(t, change.id)).toBe(false);
    expect(await count(t, 'SELECT 1 FROM billing_service_prices WHERE service_id = $1', [serviceId])).toBe(0);
  });
});

describe('service status changes', () => {
  it('a suspension makes the service suspended, records the day it was first interrupted and tells the other contexts', async () => {
    const { customerId, serviceId } = await customerWithService();
    await deliver(t, event('service.suspended', { serviceId }, '2026-02-10T22:30:00.000Z')); // 11 Feb SAST
    expect(await serviceRow(serviceId)).toMatchObject({ status: 'suspended', first_interrupted_on: '2026-02-11' });
    expect(
      await rows(t, 'SELECT status FROM billing_service_status_changes WHERE service_id = $1 ORDER BY occurred_at', [
        serviceId,
      ]),
    ).toEqual([{ status: 'activated' }, { status: 'suspended' }]);
    const [interrupted] = publishedOf<ServiceInterrupted>(ServiceInterrupted.TYPE, (e) => e.serviceId === serviceId);
    expect(interrupted).toMatchObject({ customerId, status: 'suspended' });
  });

  it('a cancellation makes the service cancelled and tells the other contexts', async () => {
    const { customerId, serviceId } = await customerWithService();
    await deliver(t, event('service.cancelled', { serviceId }, '2026-02-20T08:00:00.000Z'));
    expect(await serviceRow(serviceId)).toMatchObject({ status: 'cancelled', first_interrupted_on: '2026-02-20' });
    expect(publishedOf<ServiceInterrupted>(ServiceInterrupted.TYPE, (e) => e.serviceId === serviceId)[0]).toMatchObject(
      {
        customerId,
        status: 'cancelled',
      },
    );
  });

  it('a reactivation makes it active again, keeps the first interruption and tells the other contexts', async () => {
    const { customerId, serviceId } = await customerWithService();
    await deliver(t, event('service.suspended', { serviceId }, '2026-02-10T08:00:00.000Z'));
    await deliver(t, event('service.reactivated', { serviceId }, '2026-02-12T08:00:00.000Z'));
    expect(await serviceRow(serviceId)).toMatchObject({ status: 'active', first_interrupted_on: '2026-02-10' });
    expect(publishedOf<ServiceReactivated>(ServiceReactivated.TYPE, (e) => e.serviceId === serviceId)[0]).toMatchObject(
      { customerId },
    );
  });

  it('suspended then reactivated, delivered in reverse order, ends active', async () => {
    const { serviceId } = await customerWithService();
    await deliver(t, event('service.reactivated', { serviceId }, '2026-02-12T08:00:00.000Z'));
    await deliver(t, event('service.suspended', { serviceId }, '2026-02-10T08:00:00.000Z'));
    const row = await serviceRow(serviceId);
    expect(row).toMatchObject({ status: 'active', first_interrupted_on: '2026-02-10' });
    expect(row!.status_changed_at.toISOString()).toBe('2026-02-12T08:00:00.000Z');
    expect(await count(t, 'SELECT 1 FROM billing_service_status_changes WHERE service_id = $1', [serviceId])).toBe(3);
  });

  it.each(['service.suspended', 'service.cancelled', 'service.reactivated'])(
    '%s of an unknown service is 409 UNKNOWN_SERVICE with nothing written',
    async (type) => {
      const serviceId = uniqueId('svc');
      const change = { ...event(type, { serviceId }, '2026-02-10T08:00:00.000Z'), id: uniqueId('evt') };
      const res = await send(t, change);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('UNKNOWN_SERVICE');
      expect(await inboundEventStored(t, change.id)).toBe(false);
      expect(await count(t, 'SELECT 1 FROM billing_service_status_changes WHERE service_id = $1', [serviceId])).toBe(0);
    },
  );
});

describe('invoices', () => {
  const invoiceRow = async (invoiceId: string) =>
    (
      await rows<{ status: string; customer_id: string; updated_at: Date }>(
        t,
        'SELECT status, customer_id, updated_at FROM billing_invoices WHERE id = $1',
        [invoiceId],
      )
    )[0];

  it('an overdue invoice is stored as overdue, and paying it makes it paid', async () => {
    const { customerId } = await customerWithService();
    const invoiceId = uniqueId('inv');
    await deliver(t, event('invoice.overdue', { customerId, invoiceId }, '2026-03-05T08:00:00.000Z'));
    expect(await invoiceRow(invoiceId)).toMatchObject({ status: 'overdue', customer_id: customerId });
    await deliver(t, event('invoice.paid', { customerId, invoiceId }, '2026-03-09T08:00:00.000Z'));
    const row = await invoiceRow(invoiceId);
    expect(row!.status).toBe('paid');
    expect(row!.updated_at.toISOString()).toBe('2026-03-09T08:00:00.000Z');
  });

  it('an invoice paid before its overdue notice is delivered stays paid: the customer is still in good standing', async () => {
    const { customerId } = await customerWithService();
    const invoiceId = uniqueId('inv');
    await deliver(t, event('invoice.paid', { customerId, invoiceId }, '2026-03-09T08:00:00.000Z'));
    await deliver(t, event('invoice.overdue', { customerId, invoiceId }, '2026-03-05T08:00:00.000Z'));
    expect((await invoiceRow(invoiceId))!.status).toBe('paid');
    expect(
      await count(t, `SELECT 1 FROM billing_invoices WHERE customer_id = $1 AND status = 'overdue'`, [customerId]),
    ).toBe(0);
  });

  it.each(['invoice.overdue', 'invoice.paid'])(
    '%s for an unknown customer is 409 UNKNOWN_CUSTOMER with nothing written',
    async (type) => {
      const invoiceId = uniqueId('inv');
      const notice = {
        ...event(type, { customerId: uniqueId('cus'), invoiceId }, '2026-03-05T08:00:00.000Z'),
        id: uniqueId('evt'),
      };
      const res = await send(t, notice);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('UNKNOWN_CUSTOMER');
      expect(await inboundEventStored(t, notice.id)).toBe(false);
      expect(await invoiceRow(invoiceId)).toBeUndefined();
    },
  );
});

describe('at-least-once delivery', () => {
  it('a repeated event id is acknowledged as a duplicate and has no second effect', async () => {
    const { serviceId } = await customerWithService();
    const suspension = {
      ...event('service.suspended', { serviceId }, '2026-02-10T08:00:00.000Z'),
      id: uniqueId('evt'),
    };
    expect((await send(t, suspension)).body).toEqual({ received: true, duplicate: false });
    const again = await send(t, suspension);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(
      await count(t, `SELECT 1 FROM billing_service_status_changes WHERE service_id = $1 AND status = 'suspended'`, [
        serviceId,
      ]),
    ).toBe(1);
    expect(publishedOf<ServiceInterrupted>(ServiceInterrupted.TYPE, (e) => e.serviceId === serviceId)).toHaveLength(1);
  });

  it('a repeated id with a different body is still only acknowledged', async () => {
    const { serviceId } = await customerWithService();
    const id = uniqueId('evt');
    await deliver(t, {
      ...event('service.price_changed', { serviceId, monthlyPrice: '999.00' }, '2026-03-01T00:00:00.000Z'),
      id,
    });
    const res = await send(t, {
      ...event('service.price_changed', { serviceId, monthlyPrice: '1.00' }, '2026-04-01T00:00:00.000Z'),
      id,
    });
    expect(res.body).toEqual({ received: true, duplicate: true });
    expect((await serviceRow(serviceId))!.monthly_price_cents).toBe('99900');
  });

  it('five concurrent deliveries of one event id have exactly one effect', async () => {
    const { serviceId } = await customerWithService();
    const suspension = {
      ...event('service.suspended', { serviceId }, '2026-02-10T08:00:00.000Z'),
      id: uniqueId('evt'),
    };
    const responses = await Promise.all(Array.from({ length: 5 }, () => send(t, suspension)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(responses.filter((r) => r.body.duplicate === true)).toHaveLength(4);
    expect(
      await count(t, `SELECT 1 FROM billing_service_status_changes WHERE service_id = $1 AND status = 'suspended'`, [
        serviceId,
      ]),
    ).toBe(1);
  });

  it('five concurrent deliveries of one customer.created store one customer and announce it once', async () => {
    const created = { ...customerCreated(), id: uniqueId('evt') };
    const customerId = created.data.customerId as string;
    const responses = await Promise.all(Array.from({ length: 5 }, () => send(t, created)));
    expect(responses.filter((r) => r.status === 200 && r.body.duplicate === false)).toHaveLength(1);
    expect(await count(t, 'SELECT 1 FROM billing_customers WHERE id = $1', [customerId])).toBe(1);
    expect(
      publishedOf<CustomerRegistered>(CustomerRegistered.TYPE, (e) => e.customer.customerId === customerId),
    ).toHaveLength(1);
  });
});

describe('one transaction per event', () => {
  it('when a listener in another context fails, the whole event rolls back and its retry is processed', async () => {
    const bus = t.get<IntegrationEventBus>(IntegrationEventBus);
    const { serviceId } = await customerWithService();
    const suspension = {
      ...event('service.suspended', { serviceId }, '2026-02-10T08:00:00.000Z'),
      id: uniqueId('evt'),
    };
    const working = bus.publish;
    bus.publish = async (e) => {
      if (e.type === ServiceInterrupted.TYPE) throw new Error('listener failed');
      return working(e);
    };
    try {
      const failed = await send(t, suspension);
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ code: 'INTERNAL_ERROR' });
      expect(JSON.stringify(failed.body)).not.toContain('listener failed');
    } finally {
      bus.publish = working;
    }
    expect(await inboundEventStored(t, suspension.id)).toBe(false);
    expect((await serviceRow(serviceId))!.status).toBe('active');
    expect(
      await count(t, `SELECT 1 FROM billing_service_status_changes WHERE service_id = $1 AND status = 'suspended'`, [
        serviceId,
      ]),
    ).toBe(0);

    expect((await send(t, suspension)).body).toEqual({ received: true, duplicate: false });
    expect((await serviceRow(serviceId))!.status).toBe('suspended');
  });
});

describe('metrics', () => {
  it('counts inbound events by type and outcome', async () => {
    const { serviceId } = await customerWithService();
    const suspension = {
      ...event('service.suspended', { serviceId }, '2026-02-10T08:00:00.000Z'),
      id: uniqueId('evt'),
    };
    await send(t, suspension);
    await send(t, suspension);
    const res = await request(t.server).get('/metrics');
    expect(res.text).toMatch(/billing_events_received_total\{type="service.suspended",outcome="processed"\} [1-9]/);
    expect(res.text).toMatch(/billing_events_received_total\{type="service.suspended",outcome="duplicate"\} [1-9]/);
  });
});
