import type { IntegrationEvent } from '#libs/contracts/index.js';
import { IntegrationEventBus } from '../../src/platform/messaging/integration-event-bus.js';
import type { TestApp } from '../support/app.js';
import { sendBillingEvent, uniqueId, type BillingEvent } from '../support/billing.js';

/** Sends a billing event signed at the app's (fixed) clock, as the guard checks against it. */
export const send = (t: TestApp, event: BillingEvent) => sendBillingEvent(t.server, event, { at: t.clock.now() });

/** Sends an event that must be processed (200, not a duplicate); returns its id. */
export async function deliver(t: TestApp, event: BillingEvent): Promise<string> {
  const id = event.id ?? uniqueId('evt');
  const res = await send(t, { ...event, id });
  if (res.status !== 200 || res.body.duplicate !== false) {
    throw new Error(`${event.type} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return id;
}

export async function rows<T = Record<string, unknown>>(t: TestApp, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await t.sql.query(sql, params)).rows as T[];
}

export async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await rows<{ n: string }>(t, `SELECT count(*) AS n FROM (${sql}) q`, params);
  return Number(row!.n);
}

export const inboundEventStored = async (t: TestApp, id: string) =>
  (await count(t, 'SELECT 1 FROM billing_inbound_events WHERE id = $1', [id])) === 1;

/**
 * Records every integration event published while the app runs (and still delivers it to the
 * real listeners), so a test can see what the other contexts were told.
 */
export function recordIntegrationEvents(t: TestApp): IntegrationEvent[] {
  const bus = t.get<IntegrationEventBus>(IntegrationEventBus);
  const published: IntegrationEvent[] = [];
  const deliverToListeners = bus.publish.bind(bus);
  bus.publish = async (event: IntegrationEvent) => {
    published.push(event);
    await deliverToListeners(event);
  };
  return published;
}

export const event = (type: string, data: Record<string, unknown>, occurredAt: string): BillingEvent => ({
  type,
  occurredAt,
  data,
});
