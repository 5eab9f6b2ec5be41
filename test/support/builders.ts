import request from 'supertest';
import type { TestApp } from './app.js';
import { bearer, customerToken } from './auth.js';
import { customerCreated, sendBillingEvent, serviceActivated, uniqueId, type BillingEvent } from './billing.js';

/**
 * The test builders every suite shares: one way to send a billing event that must be processed,
 * one "a referrer" (a customer with an active service and a referral code), one "a customer with a
 * service". Suites add only what is theirs (a screening read-back, a run scenario).
 */

/** Sends a signed billing event (signed at the app's clock) and expects it processed (200). */
export async function billing(t: TestApp, event: BillingEvent): Promise<void> {
  const res = await sendBillingEvent(t.server, event, { at: t.clock.now() });
  if (res.status !== 200)
    throw new Error(`billing event ${event.type} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

export interface ReferrerOptions {
  /** When the customer was created (default 2025-12-01 08:00 UTC). */
  createdAt?: string;
  /** false: no service, so the customer may refer but nothing can be credited to them. */
  active?: boolean;
  /** When their service was activated (default a day after `createdAt`). */
  activatedAt?: string;
  /** Fields of the service.activated event (monthlyPrice, billingDay, serviceId). */
  service?: Record<string, unknown>;
  /** How events are sent (default {@link billing}); a scenario passes one that moves its clock. */
  send?: (t: TestApp, event: BillingEvent) => Promise<unknown>;
}

export interface Referrer {
  customerId: string;
  /** Their active service, unless `active: false`. */
  serviceId?: string;
  code: string;
}

/** SPEC's referrer: a billing customer (fields of customer.created in `customer`) with an active service and a referral code. */
export async function aReferrer(
  t: TestApp,
  customer: Record<string, unknown> = {},
  opts: ReferrerOptions = {},
): Promise<Referrer> {
  const send = opts.send ?? billing;
  const customerId = (customer.customerId as string | undefined) ?? uniqueId('ref');
  const createdAt = opts.createdAt ?? '2025-12-01T08:00:00.000Z';
  await send(t, customerCreated({ name: 'Thandi Nkosi', ...customer, customerId }, createdAt));
  let serviceId: string | undefined;
  if (opts.active !== false) {
    const activated = serviceActivated(
      customerId,
      opts.service ?? {},
      opts.activatedAt ?? new Date(new Date(createdAt).getTime() + 86_400_000).toISOString(),
    );
    await send(t, activated);
    serviceId = activated.data.serviceId as string;
  }
  const res = await request(t.server)
    .post('/api/customer/referrals')
    .set(bearer(customerToken(customerId)))
    .send({});
  if (res.status !== 201 && res.status !== 200) throw new Error(`code creation answered ${res.status}: ${res.text}`);
  return { customerId, serviceId, code: res.body.referralCode as string };
}

/** A billing customer with one active service (activated at `activatedAt`), no referral code. */
export async function aCustomerWithService(
  t: TestApp,
  opts: { activatedAt?: string; monthlyPrice?: string; billingDay?: number } = {},
): Promise<{ customerId: string; serviceId: string }> {
  const customerId = uniqueId('cus');
  const serviceId = uniqueId('svc');
  await billing(t, customerCreated({ customerId }, '2025-10-01T08:00:00.000Z'));
  await billing(
    t,
    serviceActivated(
      customerId,
      { serviceId, monthlyPrice: opts.monthlyPrice ?? '799.00', billingDay: opts.billingDay ?? 1 },
      opts.activatedAt ?? '2025-10-01T08:00:00.000Z',
    ),
  );
  return { customerId, serviceId };
}

/** A new billing customer signing up with `code` (as typed, `url_param`), at `occurredAt`; returns their id. */
export async function aSignupWith(
  t: TestApp,
  code: string | undefined,
  occurredAt: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const id = (overrides.customerId as string | undefined) ?? uniqueId('cus');
  await billing(
    t,
    customerCreated(
      {
        name: 'Thandi Nkosi',
        ...(code === undefined ? {} : { referralCode: code, referralSource: 'url_param' }),
        ...overrides,
        customerId: id,
      },
      occurredAt,
    ),
  );
  return id;
}

export async function rows<T = Record<string, unknown>>(t: TestApp, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await t.sql.query(sql, params)).rows as T[];
}
