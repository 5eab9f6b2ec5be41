import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { signPayload } from '../../src/platform/http/webhook-signature.js';

export const TEST_BILLING_SECRET = 'test-billing-webhook-secret';
export const BILLING_EVENTS_PATH = '/api/integrations/billing/events';

export interface BillingEvent {
  id?: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Posts a billing event signed as the billing system would (HMAC over the raw body). */
export function sendBillingEvent(server: App, event: BillingEvent, opts: { secret?: string; at?: Date } = {}) {
  const body = JSON.stringify({ id: event.id ?? `evt_${randomUUID()}`, ...event });
  return request(server)
    .post(BILLING_EVENTS_PATH)
    .set('Content-Type', 'application/json')
    .set('CircleTel-Signature', signPayload(opts.secret ?? TEST_BILLING_SECRET, body, opts.at ?? new Date()))
    .send(body);
}

let seq = 0;
export const uniqueId = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}${(seq++).toString(36)}${randomUUID().slice(0, 6)}`;

/** Builders with overrides: each test makes its own rows. */
export function customerCreated(
  overrides: Partial<Record<string, unknown>> = {},
  occurredAt = '2026-01-10T08:00:00.000Z',
): BillingEvent {
  const customerId = (overrides.customerId as string) ?? uniqueId('cus');
  return {
    type: 'customer.created',
    occurredAt,
    data: {
      customerId,
      name: 'Thandi Nkosi',
      email: `${customerId.toLowerCase()}@example.com`,
      ...overrides,
    },
  };
}

export function serviceActivated(
  customerId: string,
  overrides: Partial<Record<string, unknown>> = {},
  occurredAt = '2026-01-12T08:00:00.000Z',
): BillingEvent {
  return {
    type: 'service.activated',
    occurredAt,
    data: { customerId, serviceId: uniqueId('svc'), monthlyPrice: '799.00', billingDay: 1, ...overrides },
  };
}
