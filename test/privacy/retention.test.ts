import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { requestFingerprint } from '../../src/platform/http/idempotency.js';
import { RetentionJob } from '../../src/platform/privacy/retention.job.js';
import { RetentionSchedule } from '../../src/platform/privacy/retention.schedule.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer } from '../support/auth.js';
import { customerCreated, sendBillingEvent, type BillingEvent } from '../support/billing.js';
import { spawnEntryPoint, watch } from '../support/process.js';

/**
 * SPEC §16, retention: the real job (and its schedule's tick, and `npm run retention`) against
 * real PostgreSQL. Each table gets rows just past its window and rows just inside it; the batch
 * size is 2, so every table's backlog takes several statements.
 */
const NOW = new Date('2026-06-15T10:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: NOW.toISOString(), env: { RETENTION_BATCH_SIZE: '2' } });
});
afterAll(() => t.close());

async function outbox(deliveredAt: Date | null, createdAt: Date): Promise<string> {
  const id = randomUUID();
  await t.sql.query(
    `INSERT INTO outbox_events (id, type, occurred_at, payload, created_at, delivered_at)
     VALUES ($1, 'reward.granted', $2, '{}'::jsonb, $2, $3)`,
    [id, createdAt, deliveredAt],
  );
  return id;
}

async function inbound(receivedAt: Date): Promise<BillingEvent & { id: string }> {
  const event = { ...customerCreated({}, ago(100 * DAY).toISOString()), id: `evt_${randomUUID()}` };
  const res = await sendBillingEvent(t.server, event, { at: t.clock.now() });
  expect(res.body).toEqual({ received: true, duplicate: false });
  await t.sql.query(`UPDATE billing_inbound_events SET received_at = $2 WHERE id = $1`, [event.id, receivedAt]);
  return event;
}

async function bucket(windowStart: Date): Promise<void> {
  await t.sql.query(`INSERT INTO rate_limit_buckets (bucket, window_start, hits) VALUES ($1, $2, 1)`, [
    `code-check:10.0.0.${Math.floor(Math.random() * 250)}:${randomUUID()}`,
    windowStart,
  ]);
}

async function idempotencyKey(createdAt: Date, completedAt: Date | null): Promise<string> {
  const key = `key-${randomUUID()}`;
  await t.sql.query(
    `INSERT INTO idempotency_keys (actor, key, request_hash, method, path, response_status, response_body, created_at, completed_at)
     VALUES ('admin-1', $1, 'hash', 'POST', '/api/x', $2, $3, $4, $5)`,
    [key, completedAt ? 201 : null, completedAt ? '{"ok":true}' : null, createdAt, completedAt],
  );
  return key;
}

const ids = async (text: string) => (await t.sql.query<{ id: string }>(text)).rows.map((r) => r.id).sort();

describe('the daily retention job (SPEC §16)', () => {
  const old: Record<string, string[]> = { outbox: [], idempotency: [] };
  const kept: Record<string, string[]> = { outbox: [], idempotency: [] };
  let oldEvents: (BillingEvent & { id: string })[] = [];
  let recentEvent: BillingEvent & { id: string };

  beforeAll(async () => {
    // Outbox: delivered more than 30 days ago go; delivered within 30 days, or never delivered, stay.
    for (let i = 0; i < 5; i++) old.outbox!.push(await outbox(ago(30 * DAY + (i + 1) * HOUR), ago(40 * DAY)));
    kept.outbox!.push(await outbox(ago(30 * DAY - HOUR), ago(31 * DAY)));
    kept.outbox!.push(await outbox(null, ago(60 * DAY)));
    // Inbound payloads: received more than 90 days ago are emptied, ids kept.
    oldEvents = [await inbound(ago(90 * DAY + HOUR)), await inbound(ago(200 * DAY)), await inbound(ago(91 * DAY))];
    recentEvent = await inbound(ago(90 * DAY - HOUR));
    // Rate-limit buckets: windows that started more than a day ago go.
    for (let i = 0; i < 3; i++) await bucket(ago(DAY + (i + 1) * 60_000));
    await bucket(ago(DAY - 60_000));
    // Idempotency keys: a day after completion; a claim never completed, a day after it was made.
    old.idempotency!.push(await idempotencyKey(ago(2 * DAY), ago(DAY + 60_000)));
    old.idempotency!.push(await idempotencyKey(ago(DAY + 60_000), null));
    kept.idempotency!.push(await idempotencyKey(ago(2 * DAY), ago(DAY - 60_000)));
    kept.idempotency!.push(await idempotencyKey(ago(10 * 60_000), null));
  });

  it('removes what is past each window, in batches, and reports the counts per table', async () => {
    const report = await t.get<RetentionJob>(RetentionJob).run();
    expect(report).toEqual({
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      removed: { outbox_events: 5, billing_inbound_events: 3, rate_limit_buckets: 3, idempotency_keys: 2 },
    });
  });

  it('keeps what is inside each window, and what was never delivered', async () => {
    expect(await ids(`SELECT id::text AS id FROM outbox_events`)).toEqual([...kept.outbox!].sort());
    expect(await ids(`SELECT key AS id FROM idempotency_keys`)).toEqual([...kept.idempotency!].sort());
    const buckets = await t.sql.query(`SELECT window_start FROM rate_limit_buckets`);
    expect(buckets.rows).toEqual([{ window_start: ago(DAY - 60_000) }]);
    const recent = await t.sql.query(`SELECT payload FROM billing_inbound_events WHERE id = $1`, [recentEvent.id]);
    expect(recent.rows[0].payload).toMatchObject({ id: recentEvent.id, type: 'customer.created' });
  });

  it('keeps the ids of inbound events whose payload went, so a replay is still recognised as a duplicate', async () => {
    const rows = await t.sql.query(
      `SELECT id, type, payload FROM billing_inbound_events WHERE id = ANY($1) ORDER BY id`,
      [oldEvents.map((e) => e.id)],
    );
    expect(rows.rows).toEqual(
      oldEvents
        .map((e) => ({ id: e.id, type: 'customer.created', payload: null }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
    const replay = await sendBillingEvent(t.server, oldEvents[0]!, { at: t.clock.now() });
    expect(replay.body).toEqual({ received: true, duplicate: true });
  });

  it('finds nothing more to do on a second run (the scheduled tick runs the same job)', async () => {
    const report = await t.get<RetentionSchedule>(RetentionSchedule).tick();
    expect(report?.removed).toEqual({
      outbox_events: 0,
      billing_inbound_events: 0,
      rate_limit_buckets: 0,
      idempotency_keys: 0,
    });
  });

  it('counts what it removed on /metrics, per table', async () => {
    const res = await request(t.server).get('/metrics').expect(200);
    expect(res.text).toContain('retention_rows_removed_total{table="outbox_events"} 5');
    expect(res.text).toContain('retention_rows_removed_total{table="billing_inbound_events"} 3');
    expect(res.text).toContain('retention_rows_removed_total{table="rate_limit_buckets"} 3');
    expect(res.text).toContain('retention_rows_removed_total{table="idempotency_keys"} 2');
    expect(res.text).toContain('retention_runs_total{outcome="succeeded"} 2');
  });

  it('the windows come from RETENTION_*_DAYS', async () => {
    const a = await startTestApp({ now: NOW.toISOString(), env: { RETENTION_OUTBOX_DAYS: '60' } });
    try {
      const id = randomUUID();
      await a.sql.query(
        `INSERT INTO outbox_events (id, type, occurred_at, payload, delivered_at) VALUES ($1, 'reward.granted', $2, '{}', $2)`,
        [id, ago(45 * DAY)],
      );
      expect((await a.get<RetentionJob>(RetentionJob).run()).removed.outbox_events).toBe(0);
      await a.sql.query(`UPDATE outbox_events SET delivered_at = $2 WHERE id = $1`, [id, ago(61 * DAY)]);
      expect((await a.get<RetentionJob>(RetentionJob).run()).removed.outbox_events).toBe(1);
    } finally {
      await a.close();
    }
  });
});

describe('npm run retention', () => {
  it('runs the job once by hand and prints what it removed as JSON on stdout', async () => {
    const id = randomUUID();
    await t.sql.query(
      `INSERT INTO outbox_events (id, type, occurred_at, payload, delivered_at)
       VALUES ($1, 'reward.granted', now() - interval '40 days', '{}', now() - interval '40 days')`,
      [id],
    );
    // The CLI runs on the real clock: whatever was delivered more than 30 days before it goes.
    const due = await t.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_events WHERE delivered_at < now() - interval '30 days'`,
    );
    expect(due.rows[0]!.n).toBeGreaterThanOrEqual(1);
    const p = watch(spawnEntryPoint('src/cli/retention.ts', [], t.config.databaseUrl!, { LOG_LEVEL: 'info' }));
    const exit = await p.exited;
    expect({ code: exit.code, stderr: exit.code === 0 ? '' : p.stderr() }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(p.stdout()) as { removed: Record<string, number> };
    expect(report.removed.outbox_events).toBe(due.rows[0]!.n);
    expect(p.stderr()).toContain('rows removed from outbox_events');
    expect((await t.sql.query(`SELECT 1 FROM outbox_events WHERE id = $1`, [id])).rowCount).toBe(0);
  });

  it('refuses unknown arguments with exit 64 and the usage', async () => {
    const p = watch(spawnEntryPoint('src/cli/retention.ts', ['--days', '3'], t.config.databaseUrl!, {}));
    const exit = await p.exited;
    expect(exit.code).toBe(64);
    expect(p.stderr()).toContain('usage: npm run retention');
  });
});

describe('an Idempotency-Key whose request died (SPEC §16)', () => {
  const manager = bearer(adminToken(['referrals:view', 'referrals:manage'], 'admin-1'));
  const path = '/api/admin/customers/cus_ret_idem/referrals/grant';
  const body = { reason: 'Goodwill: outage' };

  beforeAll(async () => {
    const res = await sendBillingEvent(t.server, customerCreated({ customerId: 'cus_ret_idem' }), {
      at: t.clock.now(),
    });
    expect(res.status).toBe(200);
  });

  async function claim(key: string, claimedAgo: string): Promise<void> {
    await t.sql.query(
      `INSERT INTO idempotency_keys (actor, key, request_hash, method, path, created_at)
       VALUES ('admin-1', $1, $2, 'POST', $3, now() - $4::interval)`,
      [key, requestFingerprint('POST', path, body), path, claimedAgo],
    );
  }

  it('is still in progress (409) shortly after the claim', async () => {
    await claim('died-recently', '10 minutes');
    const res = await request(t.server)
      .post(path)
      .set(manager)
      .set('Idempotency-Key', 'died-recently')
      .send(body)
      .expect(409);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
  });

  it('is released after an hour: the same request then runs, and its response is remembered', async () => {
    await claim('died-long-ago', '61 minutes');
    const res = await request(t.server)
      .post(path)
      .set(manager)
      .set('Idempotency-Key', 'died-long-ago')
      .send(body)
      .expect(201);
    const again = await request(t.server)
      .post(path)
      .set(manager)
      .set('Idempotency-Key', 'died-long-ago')
      .send(body)
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(res.body);
  });
});
