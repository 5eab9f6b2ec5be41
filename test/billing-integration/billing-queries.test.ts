import { QueryBus } from '@nestjs/cqrs';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import {
  FindMatchingCustomers,
  GetCustomerSummary,
  GetEligibleCustomers,
  GetReferrerAndMatchingCustomers,
  GetServicesOfCustomer,
  type ReferrerAndMatchingCustomers,
  type BillingServiceView,
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
const services = (customerId: string) =>
  queries.execute<GetServicesOfCustomer, BillingServiceView[]>(new GetServicesOfCustomer(customerId));

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

  it('gives the contact details, normalised fields and signup time of a known customer', async () => {
    const phone = aPhone();
    const customerId = await aCustomer(
      { email: 'Sipho.D+ref@GMAIL.com', phone, installationAddress: '7, Loop Street', signupIp: '196.25.1.10' },
      '2026-01-10T08:00:00.000Z',
    );
    expect(await summary(customerId)).toEqual({
      customerId,
      name: 'Thandi Nkosi',
      email: 'Sipho.D+ref@GMAIL.com',
      emailNormalized: 'siphod@gmail.com',
      phoneNormalized: `+27${phone.slice(1)}`,
      addressNormalized: '7 loop street',
      signupIp: '196.25.1.10',
      createdAt: new Date('2026-01-10T08:00:00.000Z'),
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

describe('GetEligibleCustomers', () => {
  it('keeps only the customers in good standing with an active service', async () => {
    const eligible = await aCustomer();
    await anActiveService(eligible);
    const noService = await aCustomer();
    const suspended = await aCustomer();
    const suspendedService = await anActiveService(suspended);
    await deliver(t, event('service.suspended', { serviceId: suspendedService }, '2026-02-01T00:00:00.000Z'));
    const overdue = await aCustomer();
    await anActiveService(overdue);
    await deliver(
      t,
      event('invoice.overdue', { customerId: overdue, invoiceId: uniqueId('inv') }, '2026-03-05T00:00:00.000Z'),
    );

    const result = await queries.execute<GetEligibleCustomers, string[]>(
      new GetEligibleCustomers([eligible, noService, suspended, overdue, uniqueId('cus')]),
    );
    expect(result).toEqual([eligible]);
    expect(await queries.execute(new GetEligibleCustomers([]))).toEqual([]);
  });
});

describe('GetServicesOfCustomer', () => {
  it('lists the services oldest first with current status, current price and SAST dates', async () => {
    const customerId = await aCustomer();
    const first = await anActiveService(
      customerId,
      { monthlyPrice: '799.00', billingDay: 1 },
      '2026-01-31T22:15:00.000Z',
    );
    const second = await anActiveService(
      customerId,
      { monthlyPrice: '499.00', billingDay: 25 },
      '2026-02-10T08:00:00.000Z',
    );
    await deliver(
      t,
      event('service.price_changed', { serviceId: first, monthlyPrice: '899.00' }, '2026-03-01T00:00:00.000Z'),
    );
    await deliver(t, event('service.suspended', { serviceId: second }, '2026-02-20T08:00:00.000Z'));
    expect(await services(customerId)).toEqual([
      {
        serviceId: first,
        status: 'active',
        monthlyPrice: '899.00',
        billingDay: 1,
        activatedAt: new Date('2026-01-31T22:15:00.000Z'),
        activatedOn: '2026-02-01',
        firstInterruptedOn: null,
      },
      {
        serviceId: second,
        status: 'suspended',
        monthlyPrice: '499.00',
        billingDay: 25,
        activatedAt: new Date('2026-02-10T08:00:00.000Z'),
        activatedOn: '2026-02-10',
        firstInterruptedOn: '2026-02-20',
      },
    ]);
  });

  it('is empty for a customer without services', async () => {
    expect(await services(uniqueId('cus'))).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('documents the webhook with a schema per event type and its 200, 400, 401, 409 and 415 answers', async () => {
    const doc = (await request(t.server).get('/docs-json')).body;
    const op = doc.paths['/api/integrations/billing/events'].post;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '409', '415']);
    const body = op.requestBody.content['application/json'].schema;
    expect(Object.keys(body.discriminator.mapping).sort()).toEqual(
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
    expect(doc.components.schemas.ServiceActivatedDataDto.required).toEqual(
      expect.arrayContaining(['customerId', 'serviceId', 'monthlyPrice', 'billingDay']),
    );
    expect(op.security).toEqual([{ 'webhook-signature': [] }]);
  });
});
