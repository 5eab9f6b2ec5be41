import type http from 'node:http';
import request from 'supertest';
import { signPayload } from '../../src/platform/http/webhook-signature.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer } from '../support/auth.js';
import { BILLING_EVENTS_PATH, customerCreated, TEST_BILLING_SECRET, uniqueId } from '../support/billing.js';
import { deliver, inboundEventStored, rows } from '../billing-integration/billing-support.js';
import { signUp } from '../fraud/fraud-support.js';
import { aReferrer } from '../support/builders.js';
import { rawClient } from '../support/drill-http.js';

/**
 * SPEC §1 bounds, so that nothing a client sends reaches the database as a 500 (issue 9): text
 * is valid Unicode, dates and timestamps lie in 2000–2100, asOf is exactly YYYY-MM-DD, money is
 * 0.00–100000.00. Each refusal is 400 problem+json naming the field, and nothing is written.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: '2026-06-15T10:00:00.000Z' });
  await t.app.listen(0, '127.0.0.1');
});
afterAll(() => t.close());

const admin = bearer(adminToken(['referrals:view', 'referrals:manage', 'reconciliation:run']));

/** Posts a raw JSON text signed at the app's clock (lone surrogates travel as `\ud800` escapes). */
const postSigned = (body: string, secret = TEST_BILLING_SECRET) =>
  request(t.server)
    .post(BILLING_EVENTS_PATH)
    .set('Content-Type', 'application/json')
    .set('CircleTel-Signature', signPayload(secret, body, t.clock.now()))
    .send(body);

function expectFieldRefused(res: request.Response, field: string, message?: RegExp): void {
  expect([res.status, res.headers['content-type']]).toEqual([
    400,
    expect.stringMatching(/^application\/problem\+json/),
  ]);
  expect(res.body.code).toBe('VALIDATION_FAILED');
  expect(res.body.errors).toEqual(
    expect.arrayContaining([{ field, message: message ? expect.stringMatching(message) : expect.any(String) }]),
  );
}

const count = async (sql: string, params: unknown[] = []) =>
  Number((await rows<{ n: string }>(t, `SELECT count(*) AS n FROM (${sql}) q`, params))[0]!.n);

/** A valid event of every type (ids need not exist: a refused event never reaches the handler). */
const VALID_DATA: Record<string, Record<string, unknown>> = {
  'customer.created': {
    customerId: 'cus_bounds',
    name: 'Thandi Nkosi',
    email: 'thandi@example.com',
    phone: '082 123 4567',
    installationAddress: '12 Main Rd, Sea Point',
    referralCode: 'CT-REF-7K3M9QXZ',
    referralSource: 'url_param',
    signupIp: '196.25.1.10',
    userAgent: 'Mozilla/5.0',
  },
  'customer.updated': {
    customerId: 'cus_bounds',
    name: 'Thandi Nkosi',
    email: 'thandi@example.com',
    phone: '082 123 4567',
    installationAddress: '12 Main Rd',
  },
  'service.activated': { customerId: 'cus_bounds', serviceId: 'svc_bounds', monthlyPrice: '799.00', billingDay: 1 },
  'service.price_changed': { serviceId: 'svc_bounds', monthlyPrice: '899.00' },
  'service.suspended': { serviceId: 'svc_bounds' },
  'service.cancelled': { serviceId: 'svc_bounds' },
  'service.reactivated': { serviceId: 'svc_bounds' },
  'invoice.overdue': { customerId: 'cus_bounds', invoiceId: 'inv_bounds' },
  'invoice.paid': { customerId: 'cus_bounds', invoiceId: 'inv_bounds' },
};
const TYPES = Object.keys(VALID_DATA);
const STRING_FIELDS = TYPES.flatMap((type) =>
  Object.entries(VALID_DATA[type]!)
    .filter(([, v]) => typeof v === 'string')
    .map(([field, value]) => [type, field, value as string] as const),
);

/** Where a lone surrogate can sit in a string, each a different way to be invalid. */
const LONE = ['\ud800', '\udfff', '\udc00\ud800'];

describe('invalid Unicode is 400 at the edge, for every string a client sends', () => {
  it.each(STRING_FIELDS)(
    'a %s whose data.%s holds a lone surrogate is 400 naming it, nothing stored',
    async (type, field, value) => {
      for (const lone of LONE) {
        const id = uniqueId('evt');
        const bad = `${value.slice(0, 1)}${lone}${value.slice(1)}`;
        const body = JSON.stringify({
          id,
          type,
          occurredAt: '2026-06-01T08:00:00.000Z',
          data: { ...VALID_DATA[type], [field]: bad },
        });
        expect(body.isWellFormed()).toBe(true); // sent as JSON escapes, as a billing system might
        const res = await postSigned(body);
        expectFieldRefused(res, `data.${field}`, /Unicode/);
        expect(await inboundEventStored(t, id)).toBe(false);
      }
      expect(await count("SELECT 1 FROM billing_customers WHERE id = 'cus_bounds'")).toBe(0);
    },
  );

  it.each([['id'], ['type'], ['occurredAt']])(
    'an envelope %s with a lone surrogate is 400 naming it',
    async (field) => {
      const event = {
        id: uniqueId('evt'),
        type: 'customer.created',
        occurredAt: '2026-06-01T08:00:00.000Z',
        data: VALID_DATA['customer.created'],
      };
      const res = await postSigned(
        JSON.stringify({ ...event, [field]: `${String(event[field as keyof typeof event])}\ud800` }),
      );
      expectFieldRefused(res, field, /Unicode/);
      expect(await count("SELECT 1 FROM billing_customers WHERE id = 'cus_bounds'")).toBe(0);
    },
  );

  it('a body whose bytes are not valid UTF-8 is 400 naming the field that holds them, not read as U+FFFD', async () => {
    const created = { ...customerCreated({ name: 'Thandi NAME' }), id: uniqueId('evt') };
    for (const bad of [[0xed, 0xa0, 0x80], [0xff], [0xc0, 0xae], [0xe2, 0x82]]) {
      const [before, after] = JSON.stringify(created).split('NAME') as [string, string];
      const body = Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]);
      // Raw bytes (supertest would serialise a Buffer as JSON).
      const client = rawClient(t.server as unknown as http.Server);
      const res = await client.send({
        method: 'POST',
        path: BILLING_EVENTS_PATH,
        headers: {
          'Content-Type': 'application/json',
          'CircleTel-Signature': signPayload(TEST_BILLING_SECRET, body, t.clock.now()),
        },
        body,
      });
      client.close();
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).errors).toEqual([{ field: 'data.name', message: expect.stringMatching(/Unicode/) }]);
    }
    expect(await inboundEventStored(t, created.id)).toBe(false);
  });

  it('JSON in a charset other than UTF-8 is 415', async () => {
    const body = Buffer.from(JSON.stringify({ reason: 'Goodwill gesture' }), 'utf16le');
    const res = await request(t.server)
      .post('/api/admin/customers/cus_bounds/referrals/grant')
      .set(admin)
      .set('Content-Type', 'application/json; charset=utf-16le')
      .send(body);
    expect([res.status, res.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('a key with a lone surrogate is 400, the field shown with U+FFFD in its place', async () => {
    const id = uniqueId('evt');
    const body = JSON.stringify({
      id,
      type: 'customer.updated',
      occurredAt: '2026-06-01T08:00:00.000Z',
      data: { customerId: 'cus_bounds', ['na\ud800me']: 'x' },
    });
    const res = await postSigned(body);
    expectFieldRefused(res, 'data.na\ufffdme', /Unicode/);
    expect(JSON.stringify(res.body).isWellFormed()).toBe(true);
    expect(await inboundEventStored(t, id)).toBe(false);
  });

  it('a badly signed event holding a lone surrogate is 401: the signature is judged before the content', async () => {
    const body = JSON.stringify({
      id: uniqueId('evt'),
      type: 'customer.created',
      occurredAt: '2026-06-01T08:00:00.000Z',
      data: { ...VALID_DATA['customer.created'], name: 'x\ud800y' },
    });
    const res = await postSigned(body, 'not-the-billing-secret');
    expect([res.status, res.body.code]).toEqual([401, 'INVALID_SIGNATURE']);
  });

  it('a proper surrogate pair (an emoji) is valid Unicode and accepted', async () => {
    const created = customerCreated({ name: 'Thandi 🦄 Nkosi' });
    await deliver(t, created);
    const [stored] = await rows<{ name: string }>(t, 'SELECT name FROM billing_customers WHERE id = $1', [
      created.data.customerId,
    ]);
    expect(stored!.name).toBe('Thandi 🦄 Nkosi');
  });

  it('a grant or revoke reason with a lone surrogate is 400, and no reward or audit entry is written', async () => {
    const created = customerCreated();
    await deliver(t, created);
    const customerId = created.data.customerId as string;
    const grant = await request(t.server)
      .post(`/api/admin/customers/${customerId}/referrals/grant`)
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"reason":"Goodwill \\ud800 gesture"}');
    expectFieldRefused(grant, 'reason', /Unicode/);
    const revoke = await request(t.server)
      .post(`/api/admin/customers/${customerId}/referrals/revoke`)
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"rewardId":"6f1c1c8e-3a55-4f44-9f7b-8d2f3e6c2a10","reason":"\\udc00 duplicate"}');
    expectFieldRefused(revoke, 'reason', /Unicode/);
    expect(await count('SELECT 1 FROM rewards WHERE customer_id = $1', [customerId])).toBe(0);
    expect(await count('SELECT 1 FROM audit_log WHERE customer_id = $1', [customerId])).toBe(0);
  });

  it('a review reason with a lone surrogate is 400 and the referral stays flagged (it was accepted as U+FFFD)', async () => {
    const referrer = await aReferrer(t);
    const flagged = await signUp(t, referrer.code, '2026-06-01T08:00:00.000Z', {
      email: `${uniqueId('x').toLowerCase()}@mailinator.com`,
    });
    expect(flagged.status).toBe('flagged');
    const res = await request(t.server)
      .post(`/api/admin/referrals/${flagged.referralId}/review`)
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"decision":"approve","reason":"Checked \\ud800 with the customer"}');
    expectFieldRefused(res, 'reason', /Unicode/);
    const [referral] = await rows<{ status: string }>(t, 'SELECT status FROM referrals WHERE id = $1', [
      flagged.referralId,
    ]);
    expect(referral!.status).toBe('flagged');
    expect(await count('SELECT 1 FROM audit_log WHERE subject_id = $1', [flagged.referralId])).toBe(0);
  });

  it('a query value whose percent-encoding is not UTF-8 is 400 naming the parameter; valid UTF-8 is read', async () => {
    const created = customerCreated();
    await deliver(t, created);
    const path = `/api/admin/customers/${created.data.customerId as string}/referrals`;
    for (const q of ['%ED%A0%80', 'ab%FFcd', '%C0%AE']) {
      expectFieldRefused(await request(t.server).get(`${path}?q=${q}`).set(admin), 'q', /Unicode/);
    }
    const euro = await request(t.server).get(`${path}?q=%E2%82%AC`).set(admin);
    expect(euro.status).toBe(200);
  });

  it('a path parameter whose percent-encoding is not UTF-8 is 400 VALIDATION_FAILED problem+json', async () => {
    const res = await request(t.server).get('/api/admin/customers/%ED%A0%80/referrals').set(admin);
    expectFieldRefused(res, 'path');
    const code = await request(t.server).get('/api/referral-codes/%FF');
    expectFieldRefused(code, 'path');
  });
});

describe('timestamps lie in the years 2000–2100', () => {
  const OUT_OF_RANGE = [
    '0000-01-10T08:00:00.000Z',
    '0099-12-31T08:00:00Z',
    '1999-12-31T23:59:59.999Z',
    '2101-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
  ];

  it.each(TYPES)('a %s with an occurredAt outside 2000–2100 is 400 naming occurredAt, nothing stored', async (type) => {
    for (const occurredAt of OUT_OF_RANGE) {
      const id = uniqueId('evt');
      const res = await postSigned(JSON.stringify({ id, type, occurredAt, data: VALID_DATA[type] }));
      expectFieldRefused(res, 'occurredAt', /2000–2100/);
      expect(await inboundEventStored(t, id)).toBe(false);
    }
  });

  it('a customer.created with a referral code, in year 0000, is 400 (it was a 500: PostgreSQL 22008)', async () => {
    const referrer = await aReferrer(t);
    const id = uniqueId('evt');
    const event = { ...customerCreated({ referralCode: referrer.code }, '0000-01-10T08:00:00.000Z'), id };
    expectFieldRefused(await postSigned(JSON.stringify(event)), 'occurredAt');
    expect(await count('SELECT 1 FROM referrals WHERE referrer_id = $1', [referrer.customerId])).toBe(0);
  });

  it.each([['2000-01-01T00:00:00.000Z'], ['2100-12-31T23:59:59.999Z']])(
    'the boundary instant %s is accepted',
    async (occurredAt) => {
      const created = customerCreated({}, occurredAt);
      await deliver(t, created);
      const [stored] = await rows<{ created_at: Date }>(t, 'SELECT created_at FROM billing_customers WHERE id = $1', [
        created.data.customerId,
      ]);
      expect(stored!.created_at.toISOString()).toBe(occurredAt);
    },
  );

  it.each([
    ['/api/admin/reconciliation/runs', '0000-01-01T00:00:00.000Z'],
    ['/api/admin/referrals/flagged', '0000-01-01T00:00:00.000Z'],
    ['/api/admin/reconciliation/runs', '+275760-09-13T00:00:00.000Z'],
    ['/api/admin/referrals/flagged', '2101-01-01T00:00:00.000Z'],
  ])('%s with a forged cursor dated %s is 400 INVALID_CURSOR', async (path, at) => {
    const cursor = Buffer.from(JSON.stringify({ at, id: '6f1c1c8e-3a55-4f44-9f7b-8d2f3e6c2a10' })).toString(
      'base64url',
    );
    const res = await request(t.server).get(`${path}?cursor=${cursor}`).set(admin);
    expect([res.status, res.body.code]).toEqual([400, 'INVALID_CURSOR']);
  });
});

describe('a run asOf is exactly YYYY-MM-DD, a real date in 2000–2100, never reinterpreted', () => {
  const runs = () => count('SELECT 1 FROM reconciliation_runs');
  const start = (asOf: unknown) =>
    request(t.server).post('/api/admin/reconciliation/runs').set(admin).send({ asOf, dryRun: true });

  it.each([['0099-12-31'], ['0001-01-01'], ['0000-01-01'], ['1999-12-31']])(
    'asOf %s is 400 VALIDATION_FAILED naming asOf, and no run is recorded (it ran as 19xx)',
    async (asOf) => {
      const before = await runs();
      expectFieldRefused(await start(asOf), 'asOf', /2000–2100/);
      expect(await runs()).toBe(before);
    },
  );

  it.each([['2026-02-30'], [' 2026-06-01'], ['2026-06-01T00:00:00Z'], ['20260601'], ['+02026-06-01']])(
    'asOf %p is 400 VALIDATION_FAILED',
    async (asOf) => {
      expectFieldRefused(await start(asOf), 'asOf');
    },
  );

  it('2000-01-01 is a valid asOf and is run exactly as written', async () => {
    const res = await start('2000-01-01');
    expect([res.status, res.body.asOf]).toEqual([201, '2000-01-01']);
  });

  it('a date after 2100 is in the future: 400 AS_OF_IN_FUTURE, like any future date', async () => {
    for (const asOf of ['2026-06-16', '2999-01-01']) {
      const res = await start(asOf);
      expect([res.status, res.body.code]).toEqual([400, 'AS_OF_IN_FUTURE']);
    }
  });
});

describe('money a client sends is 0.00–100000.00', () => {
  it.each([['999999999999.99'], ['100000.01'], ['1000000']])(
    'a monthly price of %s is 400 and no service is stored',
    async (monthlyPrice) => {
      const id = uniqueId('evt');
      const serviceId = uniqueId('svc');
      const res = await postSigned(
        JSON.stringify({
          id,
          type: 'service.activated',
          occurredAt: '2026-06-01T08:00:00.000Z',
          data: { customerId: 'cus_bounds', serviceId, monthlyPrice, billingDay: 1 },
        }),
      );
      expectFieldRefused(res, 'data.monthlyPrice', /100000\.00/);
      expect(await count('SELECT 1 FROM billing_services WHERE id = $1', [serviceId])).toBe(0);
    },
  );

  it('a price change to more than R100 000 is 400 and the price stays', async () => {
    const created = customerCreated();
    await deliver(t, created);
    const serviceId = uniqueId('svc');
    await deliver(t, {
      type: 'service.activated',
      occurredAt: '2026-06-01T08:00:00.000Z',
      data: { customerId: created.data.customerId, serviceId, monthlyPrice: '100000.00', billingDay: 1 },
    });
    const res = await postSigned(
      JSON.stringify({
        id: uniqueId('evt'),
        type: 'service.price_changed',
        occurredAt: '2026-06-02T08:00:00.000Z',
        data: { serviceId, monthlyPrice: '999999999999.99' },
      }),
    );
    expectFieldRefused(res, 'data.monthlyPrice');
    const [service] = await rows<{ monthly_price_cents: string }>(
      t,
      'SELECT monthly_price_cents FROM billing_services WHERE id = $1',
      [serviceId],
    );
    expect(service!.monthly_price_cents).toBe('10000000');
  });
});

describe('text is at most 500 characters unless a field says otherwise', () => {
  it('a user agent of 501 characters is 400; of 500, accepted', async () => {
    const long = customerCreated({ userAgent: 'u'.repeat(501) });
    expectFieldRefused(await postSigned(JSON.stringify({ ...long, id: uniqueId('evt') })), 'data.userAgent');
    await deliver(t, customerCreated({ userAgent: 'u'.repeat(500) }));
  });

  it('a reason of 501 characters is 400', async () => {
    const created = customerCreated();
    await deliver(t, created);
    const res = await request(t.server)
      .post(`/api/admin/customers/${created.data.customerId as string}/referrals/grant`)
      .set(admin)
      .send({ reason: 'r'.repeat(501) });
    expectFieldRefused(res, 'reason');
  });
});
