import request from 'supertest';
import { signPayload } from '../../src/platform/http/webhook-signature.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  BILLING_EVENTS_PATH,
  customerCreated,
  sendBillingEvent,
  serviceActivated,
  TEST_BILLING_SECRET,
  uniqueId,
} from '../support/billing.js';
import { count, deliver, inboundEventStored, send } from './billing-support.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const customerStored = async (customerId: string) =>
  (await count(t, 'SELECT 1 FROM billing_customers WHERE id = $1', [customerId])) === 1;

/** Posts a raw body signed at the app's clock. */
const postRaw = (body: string, signature = signPayload(TEST_BILLING_SECRET, body, t.clock.now())) =>
  request(t.server)
    .post(BILLING_EVENTS_PATH)
    .set('Content-Type', 'application/json')
    .set('CircleTel-Signature', signature)
    .send(body);

function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
}

describe('the webhook signature', () => {
  it('a correctly signed event is accepted', async () => {
    const created = customerCreated();
    expect((await send(t, created)).status).toBe(200);
    expect(await customerStored(created.data.customerId as string)).toBe(true);
  });

  it('an event signed with another secret is 401 INVALID_SIGNATURE and nothing is written', async () => {
    const created = { ...customerCreated(), id: uniqueId('evt') };
    const res = await sendBillingEvent(t.server, created, { secret: 'not-the-billing-secret', at: t.clock.now() });
    expectProblem(res, 401, 'INVALID_SIGNATURE');
    expect(await customerStored(created.data.customerId as string)).toBe(false);
    expect(await inboundEventStored(t, created.id)).toBe(false);
  });

  it('a signature made more than 300 s ago is 401 and nothing is written', async () => {
    const created = customerCreated();
    const res = await sendBillingEvent(t.server, created, { at: new Date(t.clock.now().getTime() - 301_000) });
    expectProblem(res, 401, 'INVALID_SIGNATURE');
    expect(await customerStored(created.data.customerId as string)).toBe(false);
  });

  it('a signature dated more than 300 s in the future is 401', async () => {
    const res = await sendBillingEvent(t.server, customerCreated(), {
      at: new Date(t.clock.now().getTime() + 301_000),
    });
    expectProblem(res, 401, 'INVALID_SIGNATURE');
  });

  it('a signature made exactly 300 s ago is still accepted', async () => {
    const res = await sendBillingEvent(t.server, customerCreated(), {
      at: new Date(t.clock.now().getTime() - 300_000),
    });
    expect(res.status).toBe(200);
  });

  it('the tolerance is measured against the service clock, not the sender', async () => {
    const created = customerCreated();
    const signedAt = t.clock.now();
    t.clock.advance(301_000);
    try {
      expectProblem(await sendBillingEvent(t.server, created, { at: signedAt }), 401, 'INVALID_SIGNATURE');
    } finally {
      t.clock.advance(-301_000);
    }
  });

  it('a request without the CircleTel-Signature header is 401 and nothing is written', async () => {
    const created = customerCreated();
    const res = await request(t.server)
      .post(BILLING_EVENTS_PATH)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(created));
    expectProblem(res, 401, 'INVALID_SIGNATURE');
    expect(await customerStored(created.data.customerId as string)).toBe(false);
  });

  it.each([['garbage'], ['t=abc,v1=00'], ['v1=' + '0'.repeat(64)], ['t=1781517600']])(
    'a malformed header %p is 401',
    async (header) => {
      const res = await postRaw(JSON.stringify({ ...customerCreated(), id: uniqueId('evt') }), header);
      expectProblem(res, 401, 'INVALID_SIGNATURE');
    },
  );

  it('a body changed after signing is 401 and nothing is written', async () => {
    const created = { ...customerCreated(), id: uniqueId('evt') };
    const signature = signPayload(TEST_BILLING_SECRET, JSON.stringify(created), t.clock.now());
    const tampered = JSON.stringify({ ...created, data: { ...created.data, name: 'Someone Else' } });
    expectProblem(await postRaw(tampered, signature), 401, 'INVALID_SIGNATURE');
    expect(await customerStored(created.data.customerId as string)).toBe(false);
  });

  it('the signature covers the raw bytes: the same JSON with different spacing does not verify', async () => {
    const created = { ...customerCreated(), id: uniqueId('evt') };
    const signature = signPayload(TEST_BILLING_SECRET, JSON.stringify(created), t.clock.now());
    expectProblem(await postRaw(JSON.stringify(created, null, 2), signature), 401, 'INVALID_SIGNATURE');
  });

  it('no secret or internal detail leaks into the 401', async () => {
    const res = await sendBillingEvent(t.server, customerCreated(), { secret: 'wrong-secret-0000', at: t.clock.now() });
    expect(JSON.stringify(res.body)).not.toContain(TEST_BILLING_SECRET);
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.ts/);
  });
});

describe('malformed events', () => {
  /** A signed malformed event: 400 VALIDATION_FAILED naming the bad fields, nothing written. */
  async function expectRejected(body: Record<string, unknown>, fields: string[]): Promise<void> {
    const id = typeof body.id === 'string' ? body.id : undefined;
    const res = await postRaw(JSON.stringify(body));
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
    for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
    if (id) expect(await inboundEventStored(t, id)).toBe(false);
  }

  const aCustomer = async () => {
    const created = customerCreated();
    await deliver(t, created);
    return created.data.customerId as string;
  };

  it('a body that is not JSON is 400 problem+json', async () => {
    const res = await postRaw('{"id": "evt_1", "type": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: expect.stringMatching(/^[A-Z_]+$/) });
  });

  it('a JSON array is 400', async () => {
    expectProblem(await postRaw('[]'), 400, 'VALIDATION_FAILED');
  });

  it('an event without id, type, occurredAt and data lists all four', async () => {
    await expectRejected({}, ['id', 'type', 'occurredAt', 'data']);
  });

  it('an unknown type is 400 and nothing is written', async () => {
    const customerId = uniqueId('cus');
    await expectRejected(
      { id: uniqueId('evt'), type: 'customer.deleted', occurredAt: '2026-01-10T08:00:00.000Z', data: { customerId } },
      ['type'],
    );
    expect(await customerStored(customerId)).toBe(false);
  });

  it('an unknown field in data is 400 and the customer is not created', async () => {
    const created = { ...customerCreated({ loyaltyTier: 'gold' }), id: uniqueId('evt') };
    await expectRejected(created, ['data.loyaltyTier']);
    expect(await customerStored(created.data.customerId as string)).toBe(false);
  });

  it('an unknown field in the envelope is 400', async () => {
    await expectRejected({ ...customerCreated(), id: uniqueId('evt'), priority: 'high' }, ['priority']);
  });

  it('a missing required data field is 400', async () => {
    const created = customerCreated();
    delete created.data.email;
    await expectRejected({ ...created, id: uniqueId('evt') }, ['data.email']);
  });

  it('wrong types are 400 with every bad field listed', async () => {
    await expectRejected({ ...customerCreated({ name: 42, email: ['a@b.co'] }), id: uniqueId('evt') }, [
      'data.name',
      'data.email',
    ]);
  });

  it.each([
    ['"799.999" (three decimals)', '799.999'],
    ['799 as a number', 799],
    ['"0.00" (not > 0)', '0.00'],
    ['"-1.00" (negative)', '-1.00'],
    ['"R799"', 'R799'],
  ])('the monthly price %s is 400 and the service is not stored', async (_label, monthlyPrice) => {
    const customerId = await aCustomer();
    const activation = { ...serviceActivated(customerId, { monthlyPrice }), id: uniqueId('evt') };
    await expectRejected(activation, ['data.monthlyPrice']);
    expect(await count(t, 'SELECT 1 FROM billing_services WHERE id = $1', [activation.data.serviceId])).toBe(0);
  });

  it.each([[0], [32], [1.5], ['1']])('the billing day %p is 400', async (billingDay) => {
    const customerId = await aCustomer();
    const activation = { ...serviceActivated(customerId, { billingDay }), id: uniqueId('evt') };
    await expectRejected(activation, ['data.billingDay']);
    expect(await count(t, 'SELECT 1 FROM billing_services WHERE id = $1', [activation.data.serviceId])).toBe(0);
  });

  it.each([
    ['yesterday'],
    ['2026-02-30T08:00:00.000Z'],
    ['2026-02-01'],
    ['2026-02-01T08:00:00'],
    [1769932800000],
    [null],
  ])('the occurredAt %p is 400', async (occurredAt) => {
    const created = { ...customerCreated(), id: uniqueId('evt') };
    await expectRejected({ ...created, occurredAt }, ['occurredAt']);
    expect(await customerStored(created.data.customerId as string)).toBe(false);
  });

  it.each([['cus with space'], ['x'.repeat(65)], ['']])('the customer id %p is 400', async (customerId) => {
    await expectRejected({ ...customerCreated({ customerId, email: 'someone@example.com' }), id: uniqueId('evt') }, [
      'data.customerId',
    ]);
  });

  it('an event id longer than 128 characters is 400', async () => {
    await expectRejected({ ...customerCreated(), id: 'e'.repeat(129) }, ['id']);
  });

  it('an invalid email is 400', async () => {
    await expectRejected({ ...customerCreated({ email: 'not-an-email' }), id: uniqueId('evt') }, ['data.email']);
  });

  it('an unknown referral source is 400', async () => {
    await expectRejected(
      { ...customerCreated({ referralCode: 'CT-REF-AAAAAAAA', referralSource: 'billboard' }), id: uniqueId('evt') },
      ['data.referralSource'],
    );
  });

  it('a customer.updated that changes nothing is 400', async () => {
    const customerId = await aCustomer();
    await expectRejected(
      { id: uniqueId('evt'), type: 'customer.updated', occurredAt: '2026-02-01T00:00:00.000Z', data: { customerId } },
      ['data'],
    );
  });

  it('a malformed event is rejected before anything else: its id stays free for a corrected event', async () => {
    const id = uniqueId('evt');
    const created = customerCreated();
    await expectRejected({ ...created, id, data: { ...created.data, email: 'bad' } }, ['data.email']);
    const corrected = await send(t, { ...created, id });
    expect(corrected.body).toEqual({ received: true, duplicate: false });
  });
});
