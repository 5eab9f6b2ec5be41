import { QueryBus } from '@nestjs/cqrs';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import {
  FindMatchingCustomers,
  GetCustomerSummary,
  GetFirstEligibleDays,
  GetReferrerAndMatchingCustomers,
  type ReferrerAndMatchingCustomers,
  type CustomerSummary,
  type MatchingCustomer,
} from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { customerCreated, serviceActivated, uniqueId } from '../support/billing.js';
import { deliver, event } from './billing-support.js';

let t: TestApp;
let queries: QueryBus;

beforeAll(async () => {
  t = await startTestApp();
  queries = t.get(QueryBus);
});
afterAll(async () => {
  await t?.close();
});

const summary = (customerId: string) =>
  queries.execute<GetCustomerSummary, CustomerSummary | null>(new GetCustomerSummary(customerId));
const matches = (criteria: FindMatchingCustomers['criteria']) =>
  queries.execute<FindMatchingCustomers, MatchingCustomer[]>(new FindMatchingCustomers(criteria));

/** A South African mobile number nobody else in this file has. */
const aPhone = () => `083${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

async function aCustomer(overrides: Record<string, unknown> = {}, occurredAt?: string): Promise<string> {
  const created = customerCreated(overrides, occurredAt);
  await deliver(t, created);
  return created.data.customerId as string;
}

async function anActiveService(
  customerId: string,
  overrides: Record<string, unknown> = {},
  occurredAt?: string,
): Promise<string> {
  const activation = serviceActivated(customerId, overrides, occurredAt);
  await deliver(t, activation);
  return activation.data.serviceId as string;
}

describe('GetCustomerSummary', () => {
  it('is null for a customer billing has not told us about', async () => {
    expect(await summary(uniqueId('cus'))).toBeNull();
  });

  it('gives the contact details, normalised fields, signup time and signup event of a known customer', async () => {
    const phone = aPhone();
    const created = customerCreated(
      { email: 'Sipho.D+ref@GMAIL.com', phone, installationAddress: '7, Loop Street', signupIp: '196.25.1.10' },
      '2026-01-10T08:00:00.000Z',
    );
    const signupEventId = await deliver(t, created);
    const customerId = created.data.customerId as string;
    expect(await summary(customerId)).toEqual({
      customerId,
      name: 'Thandi Nkosi',
      email: 'Sipho.D+ref@GMAIL.com',
      emailNormalized: 'siphod@gmail.com',
      phoneNormalized: `+27${phone.slice(1)}`,
      addressNormalized: '7 loop street',
      signupIp: '196.25.1.10',
      createdAt: new Date('2026-01-10T08:00:00.000Z'),
      signupEventId,
      hasActiveService: false,
      inGoodStanding: true,
    });
  });

  it('has an active service while one is active, and not once it is suspended', async () => {
    const customerId = await aCustomer();
    const serviceId = await anActiveService(customerId);
    expect((await summary(customerId))!.hasActiveService).toBe(true);
    await deliver(t, event('service.suspended', { serviceId }, '2026-02-01T00:00:00.000Z'));
    expect((await summary(customerId))!.hasActiveService).toBe(false);
    await deliver(t, event('service.reactivated', { serviceId }, '2026-02-03T00:00:00.000Z'));
    expect((await summary(customerId))!.hasActiveService).toBe(true);
  });

  it('one cancelled service does not hide another that is active', async () => {
    const customerId = await aCustomer();
    const first = await anActiveService(customerId);
    await anActiveService(customerId);
    await deliver(t, event('service.cancelled', { serviceId: first }, '2026-02-01T00:00:00.000Z'));
    expect((await summary(customerId))!.hasActiveService).toBe(true);
  });

  it('is not in good standing while an invoice is overdue, and is again once it is paid', async () => {
    const customerId = await aCustomer();
    const invoiceId = uniqueId('inv');
    await deliver(t, event('invoice.overdue', { customerId, invoiceId }, '2026-03-05T00:00:00.000Z'));
    expect((await summary(customerId))!.inGoodStanding).toBe(false);
    await deliver(t, event('invoice.paid', { customerId, invoiceId }, '2026-03-06T00:00:00.000Z'));
    expect((await summary(customerId))!.inGoodStanding).toBe(true);
  });

  it('an invoice paid before its overdue notice arrives leaves the customer in good standing', async () => {
    const customerId = await aCustomer();
    const invoiceId = uniqueId('inv');
    await deliver(t, event('invoice.paid', { customerId, invoiceId }, '2026-03-06T00:00:00.000Z'));
    await deliver(t, event('invoice.overdue', { customerId, invoiceId }, '2026-03-05T00:00:00.000Z'));
    expect((await summary(customerId))!.inGoodStanding).toBe(true);
  });
});

describe('GetReferrerAndMatchingCustomers', () => {
  it('answers what GetCustomerSummary and FindMatchingCustomers answer, together', async () => {
    const phone = aPhone();
    const referrer = await aCustomer({}, '2026-01-01T00:00:00.000Z');
    await anActiveService(referrer);
    const samePhone = await aCustomer({ phone }, '2026-01-02T00:00:00.000Z');
    const criteria = { phoneNormalized: `+27${phone.slice(1)}`, excludeCustomerIds: [referrer] };
    const both = await queries.execute<GetReferrerAndMatchingCustomers, ReferrerAndMatchingCustomers>(
      new GetReferrerAndMatchingCustomers(referrer, criteria),
    );
    expect(both.referrer).toEqual(await summary(referrer));
    expect(both.referrer).toMatchObject({ customerId: referrer, hasActiveService: true, inGoodStanding: true });
    expect(both.matchingCustomers).toEqual(await matches(criteria));
    expect(both.matchingCustomers).toEqual([{ customerId: samePhone, matchedOn: ['phone'] }]);

    const unknown = await queries.execute<GetReferrerAndMatchingCustomers, ReferrerAndMatchingCustomers>(
      new GetReferrerAndMatchingCustomers(uniqueId('nobody'), { excludeCustomerIds: [] }),
    );
    expect(unknown).toEqual({ referrer: null, matchingCustomers: [] });
  });
});

describe('FindMatchingCustomers', () => {
  it('finds another customer with the same normalised email, whatever its spelling', async () => {
    const local = uniqueId('m').toLowerCase().replace(/_/g, '');
    const existing = await aCustomer({ email: `${local}@gmail.com` });
    expect(await matches({ emailNormalized: `${local}@gmail.com`, excludeCustomerIds: [] })).toEqual([
      { customerId: existing, matchedOn: ['email'] },
    ]);
    const dotted = `${local.slice(0, 2)}.${local.slice(2)}+promo@googlemail.com`;
    const newcomer = await aCustomer({ email: dotted });
    const newcomerSummary = await summary(newcomer);
    expect(
      await matches({ emailNormalized: newcomerSummary!.emailNormalized, excludeCustomerIds: [newcomer] }),
    ).toEqual([{ customerId: existing, matchedOn: ['email'] }]);
  });

  it('finds matches by phone and by address, saying which fields matched', async () => {
    const phone = aPhone();
    const street = `${randomInt(1, 99_999)} ${uniqueId('Street').replace(/_/g, '')}`;
    const byPhone = await aCustomer({ phone }, '2026-01-01T00:00:00.000Z');
    const byAddress = await aCustomer({ installationAddress: `${street}, Cape Town` }, '2026-01-02T00:00:00.000Z');
    const byBoth = await aCustomer(
      { phone, installationAddress: `${street.toUpperCase()} CAPE TOWN` },
      '2026-01-03T00:00:00.000Z',
    );
    const found = await matches({
      phoneNormalized: `+27${phone.slice(1)}`,
      addressNormalized: `${street.toLowerCase()} cape town`,
      excludeCustomerIds: [],
    });
    expect(found).toEqual([
      { customerId: byPhone, matchedOn: ['phone'] },
      { customerId: byAddress, matchedOn: ['address'] },
      { customerId: byBoth, matchedOn: ['phone', 'address'] },
    ]);
  });

  it('leaves out the excluded customers and stops at the limit', async () => {
    const phone = aPhone();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await aCustomer({ phone }, `2026-01-0${i + 1}T00:00:00.000Z`));
    const found = await matches({ phoneNormalized: `+27${phone.slice(1)}`, excludeCustomerIds: [ids[0]!], limit: 2 });
    expect(found.map((m) => m.customerId)).toEqual([ids[1], ids[2]]);
  });

  it('with no criteria, or only empty ones, matches nothing', async () => {
    expect(await matches({ excludeCustomerIds: [] })).toEqual([]);
    expect(await matches({ emailNormalized: '', addressNormalized: '', excludeCustomerIds: [] })).toEqual([]);
  });

  it('an address that is only punctuation never matches another', async () => {
    await aCustomer({ installationAddress: ' ,. ' });
    expect(await matches({ addressNormalized: '', excludeCustomerIds: [] })).toEqual([]);
  });
});

describe('GetFirstEligibleDays (SPEC §6: eligible as the day ends, judged by that day’s facts)', () => {
  const firstDay = async (customerId: string, from: string, to: string) =>
    (
      await queries.execute<GetFirstEligibleDays, (string | null)[]>(
        new GetFirstEligibleDays([{ customerId, from, to }]),
      )
    )[0];

  it('a customer in good standing with an active service is eligible from the day the service was activated', async () => {
    const c = await aCustomer();
    await anActiveService(c, {}, '2026-02-03T08:00:00.000Z');
    expect(await firstDay(c, '2026-02-01', '2026-02-10')).toBe('2026-02-03');
    expect(await firstDay(c, '2026-01-01', '2026-02-02')).toBeNull();
  });

  it('a customer without a service, or unknown, is never eligible', async () => {
    expect(await firstDay(await aCustomer(), '2026-01-01', '2026-12-31')).toBeNull();
    expect(await firstDay(uniqueId('cus'), '2026-01-01', '2026-12-31')).toBeNull();
  });

  it('an overdue invoice makes the days until it is paid ineligible — whatever was delivered since', async () => {
    const c = await aCustomer();
    await anActiveService(c, {}, '2026-01-05T08:00:00.000Z');
    const invoiceId = uniqueId('inv');
    await deliver(t, event('invoice.overdue', { customerId: c, invoiceId }, '2026-03-05T08:00:00.000Z'));
    await deliver(t, event('invoice.paid', { customerId: c, invoiceId }, '2026-03-09T08:00:00.000Z'));
    // A run for 7 March judges 5–7 March by the facts of those days: overdue, so not eligible.
    expect(await firstDay(c, '2026-03-05', '2026-03-07')).toBeNull();
    expect(await firstDay(c, '2026-03-05', '2026-03-20')).toBe('2026-03-09');
    expect(await firstDay(c, '2026-03-04', '2026-03-20')).toBe('2026-03-04');
  });

  it('a service suspended and reactivated leaves a gap; a late, older report does not overwrite a newer one', async () => {
    const c = await aCustomer();
    const serviceId = await anActiveService(c, {}, '2026-01-05T08:00:00.000Z');
    await deliver(t, event('service.suspended', { serviceId }, '2026-04-01T08:00:00.000Z'));
    await deliver(t, event('service.reactivated', { serviceId }, '2026-04-10T08:00:00.000Z'));
    expect(await firstDay(c, '2026-04-01', '2026-04-09')).toBeNull();
    expect(await firstDay(c, '2026-04-01', '2026-04-30')).toBe('2026-04-10');
  });

  it('answers a batch in input order', async () => {
    const a = await aCustomer();
    await anActiveService(a, {}, '2026-05-02T08:00:00.000Z');
    const b = await aCustomer();
    const result = await queries.execute<GetFirstEligibleDays, (string | null)[]>(
      new GetFirstEligibleDays([
        { customerId: b, from: '2026-05-01', to: '2026-05-31' },
        { customerId: a, from: '2026-05-01', to: '2026-05-31' },
      ]),
    );
    expect(result).toEqual([null, '2026-05-02']);
    expect(await queries.execute(new GetFirstEligibleDays([]))).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('documents the webhook with a schema per event type and its 200, 400, 401, 409 and 415 answers', async () => {
    const doc = (await request(t.server).get('/docs-json')).body;
    const op = doc.paths['/api/integrations/billing/events'].post;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '409', '415']);
    // The schema comes from the same field specs that validate the request (application/billing-event.parser.ts).
    const body = op.requestBody.content['application/json'].schema as {
      oneOf: { properties: { type: { enum: string[] }; data: { required: string[]; properties: object } } }[];
    };
    const byType = Object.fromEntries(body.oneOf.map((s) => [s.properties.type.enum[0]!, s.properties.data]));
    expect(Object.keys(byType).sort()).toEqual(
      [
        'customer.created',
        'customer.updated',
        'invoice.overdue',
        'invoice.paid',
        'service.activated',
        'service.cancelled',
        'service.price_changed',
        'service.reactivated',
        'service.suspended',
      ].sort(),
    );
    expect(byType['service.activated']!.required.sort()).toEqual(
      ['billingDay', 'customerId', 'monthlyPrice', 'serviceId'].sort(),
    );
    expect(Object.keys(byType['customer.created']!.properties)).toEqual(
      expect.arrayContaining(['customerId', 'name', 'email', 'referralCode', 'referralSource', 'signupIp']),
    );
    expect(op.security).toEqual([{ 'webhook-signature': [] }]);
  });
});
