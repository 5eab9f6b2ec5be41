import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { customerCreated, sendBillingEvent, uniqueId, type BillingEvent } from '../support/billing.js';
import { startDrillPostgres, type DrillPostgres } from '../support/drill-postgres.js';

/**
 * Failure drill (issue 5): PostgreSQL restarted under load.
 *
 * The service runs on a PostgreSQL server of its own while a sender posts signed
 * `customer.created` events without pause. The server is stopped (fast shutdown: every open
 * connection is cut), `/health/ready` must turn 503, the server is started again on the same data
 * directory and port, and `/health/ready` must turn 200 again — the same process, no restart.
 * Then: every event the sender saw acknowledged (2xx) is stored; every other answer was a prompt
 * problem+json 5xx (no hang), and the sender's retry of those events succeeds once the database is
 * back; the process never saw an uncaught exception (an unhandled pg 'error' event would kill it).
 */

/** No request may hang: one bound per request, far above the pool's 5 s connection timeout. */
const REQUEST_DEADLINE_MS = 15_000;
const SENDERS = 3;
/** Least time spent sending in each phase (up, down, up again): about 6 s of load in all. */
const PHASE_MS = 2_000;

interface Outcome {
  event: BillingEvent & { id: string };
  status: number | 'timeout' | 'network-error';
  contentType?: string;
  code?: unknown;
  retryAfter?: string;
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok = (o: Outcome) => typeof o.status === 'number' && o.status >= 200 && o.status < 300;

async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await cond()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

let pgServer: DrillPostgres;
let t: TestApp;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => uncaught.push(err);

beforeAll(async () => {
  pgServer = await startDrillPostgres();
  t = await startTestApp({
    databaseUrl: pgServer.url,
    // The background outbox relay polls the database too: it must ride out the outage as well.
    env: { OUTBOX_RELAY_ENABLED: 'true', OUTBOUND_WEBHOOK_URL: 'http://127.0.0.1:9/outbound' },
  });
  // The test's own assertion pool loses its idle connections too; that is not the app's concern.
  t.sql.on('error', () => undefined);
  await t.app.listen(0, '127.0.0.1');
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
}, 120_000);

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  await t?.close();
  await pgServer?.destroy();
});

async function send(event: BillingEvent & { id: string }): Promise<Outcome> {
  const started = Date.now();
  try {
    const res = await sendBillingEvent(t.server, event, { at: t.clock.now() }).timeout({
      deadline: REQUEST_DEADLINE_MS,
    });
    return {
      event,
      status: res.status,
      contentType: res.headers['content-type'],
      code: res.body?.code,
      retryAfter: res.headers['retry-after'],
      ms: Date.now() - started,
    };
  } catch (err) {
    const timedOut = (err as { timeout?: unknown }).timeout !== undefined;
    return { event, status: timedOut ? 'timeout' : 'network-error', ms: Date.now() - started };
  }
}

async function readiness(): Promise<{ status: number | 'timeout'; contentType?: string; code?: unknown }> {
  try {
    const res = await request(t.server).get('/health/ready').timeout({ deadline: REQUEST_DEADLINE_MS });
    return { status: res.status, contentType: res.headers['content-type'], code: res.body?.code };
  } catch {
    return { status: 'timeout' };
  }
}

describe('PostgreSQL restarted under load', () => {
  it('readiness goes false then true, the service recovers by itself, and every acknowledged billing event is stored', async () => {
    const outcomes: Outcome[] = [];
    let sending = true;
    const sender = async () => {
      while (sending) {
        const id = uniqueId('evt_drill');
        const event = { ...customerCreated({ customerId: uniqueId('cus_drill') }, '2026-06-15T09:00:00.000Z'), id };
        outcomes.push(await send(event));
      }
    };
    const senders = Array.from({ length: SENDERS }, () => sender());
    const acked = () => outcomes.filter(ok).length;
    const refused = () => outcomes.filter((o) => !ok(o)).length;

    try {
      // Under load, with the database up.
      await sleep(PHASE_MS);
      await waitFor('events acknowledged before the restart', () => acked() >= 30, 20_000);
      expect(await readiness()).toMatchObject({ status: 200 });

      // PostgreSQL goes away: readiness turns false while the sender keeps sending.
      await pgServer.stop();
      const ackedBeforeRestart = acked();
      let notReady: Awaited<ReturnType<typeof readiness>> | undefined;
      await waitFor('/health/ready to answer 503', async () => (notReady = await readiness()).status === 503, 10_000);
      expect(notReady).toMatchObject({ status: 503, code: 'NOT_READY' });
      expect(notReady!.contentType).toMatch(/application\/problem\+json/);
      await sleep(PHASE_MS);
      await waitFor('events refused during the outage', () => refused() >= 10, 10_000, 20);

      // PostgreSQL comes back on the same data directory and port: readiness turns true again.
      await pgServer.start();
      await waitFor('/health/ready to answer 200 again', async () => (await readiness()).status === 200, 20_000);

      // The same process serves again: new events are acknowledged.
      const ackedAtRecovery = acked();
      await sleep(PHASE_MS);
      await waitFor('events acknowledged after the restart', () => acked() >= ackedAtRecovery + 30, 20_000);
      expect(ackedBeforeRestart).toBeGreaterThanOrEqual(30);
    } finally {
      sending = false;
      await Promise.all(senders);
    }

    // Nothing hung, and every refusal was a prompt 503 problem telling the sender to retry.
    const failures = outcomes.filter((o) => !ok(o));
    expect(failures.length).toBeGreaterThanOrEqual(10);
    expect(failures.filter((o) => typeof o.status !== 'number')).toEqual([]);
    for (const f of failures) {
      expect([f.event.id, f.status, f.code, f.retryAfter]).toEqual([
        f.event.id,
        503,
        'DATABASE_UNAVAILABLE',
        expect.any(String),
      ]);
      expect(f.contentType).toMatch(/application\/problem\+json/);
    }
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(REQUEST_DEADLINE_MS);

    // The last events the sender saw were all acknowledged: no dead pooled connection lingers.
    expect(outcomes.slice(-20).every(ok)).toBe(true);

    // Every event the sender saw acknowledged is stored, with its customer.
    const ackedEvents = outcomes.filter(ok).map((o) => o.event);
    const storedEvents = await t.sql.query<{ id: string }>('SELECT id FROM billing_inbound_events WHERE id = ANY($1)', [
      ackedEvents.map((e) => e.id),
    ]);
    expect(new Set(storedEvents.rows.map((r) => r.id))).toEqual(new Set(ackedEvents.map((e) => e.id)));
    const customerIds = ackedEvents.map((e) => e.data.customerId as string);
    const storedCustomers = await t.sql.query<{ id: string }>('SELECT id FROM billing_customers WHERE id = ANY($1)', [
      customerIds,
    ]);
    expect(new Set(storedCustomers.rows.map((r) => r.id))).toEqual(new Set(customerIds));

    // The billing system retries what was refused; now every one of those is accepted and stored.
    for (const f of failures) {
      const retry = await send(f.event);
      expect([f.event.id, retry.status]).toEqual([f.event.id, 200]);
    }
    const all = outcomes.map((o) => o.event.id);
    const { rows } = await t.sql.query<{ n: string }>(
      'SELECT count(*) AS n FROM billing_inbound_events WHERE id = ANY($1)',
      [all],
    );
    expect(Number(rows[0]!.n)).toBe(all.length);

    // The process never saw an uncaught exception or unhandled rejection.
    expect(uncaught).toEqual([]);
  }, 120_000);
});
