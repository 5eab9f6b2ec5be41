import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer } from '../support/auth.js';
import { uniqueId } from '../support/billing.js';
import { ShutdownState } from '../../src/platform/observability/shutdown-state.js';
import { scenario, type Scenario } from '../reconciliation/scenario.js';

/**
 * /metrics for operators: the reward and credit counters move with what the service does, the
 * gauges read at scrape time tell the database's state (outbox backlog and age, the last
 * successful reconciliation, a run in progress), and METRICS_TOKEN protects the endpoint.
 */
let t: TestApp;
let s: Scenario;

beforeAll(async () => {
  t = await startTestApp();
  s = scenario(t);
});
afterAll(() => t.close());

async function scrape(app: TestApp = t): Promise<string> {
  const res = await request(app.server).get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
}

/** The value of one sample (0 when the series does not exist yet). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(m[3]);
  }
  return 0;
}

const admin = bearer(adminToken(['referrals:view', 'referrals:manage', 'reconciliation:run']));

describe('reward and credit counters', () => {
  it('count rewards earned and applied by the nightly run, and the credit notes issued, in cents', async () => {
    const referrer = await s.referrer({ createdOn: '2025-12-01' });
    for (const time of ['08:00', '09:00']) {
      await s.activate(await s.signup(referrer.code, '2026-01-10', time), '2026-01-12');
    }
    const before = await scrape();

    await s.run('2026-02-11'); // A+30: both qualify, one free month earned
    const earned = await scrape();
    expect(
      value(earned, 'rewards_total', { event: 'earned' }) - value(before, 'rewards_total', { event: 'earned' }),
    ).toBe(1);

    await s.run('2026-03-01'); // the next cycle starts: applied, R799.00 credit note
    const applied = await scrape();
    expect(
      value(applied, 'rewards_total', { event: 'applied' }) - value(before, 'rewards_total', { event: 'applied' }),
    ).toBe(1);
    expect(value(applied, 'credits_issued_cents_total') - value(before, 'credits_issued_cents_total')).toBe(79_900);
  });

  it('count rewards granted and revoked by an admin', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05' });
    const before = await scrape();
    const grant = await request(t.server)
      .post(`/api/admin/customers/${referrer.customerId}/referrals/grant`)
      .set(admin)
      .send({ reason: 'Goodwill: two-day outage' })
      .expect(201);
    await request(t.server)
      .post(`/api/admin/customers/${referrer.customerId}/referrals/revoke`)
      .set(admin)
      .send({ rewardId: grant.body.rewardId, reason: 'Granted to the wrong customer' })
      .expect(200);
    const after = await scrape();
    for (const event of ['granted', 'revoked']) {
      expect([event, value(after, 'rewards_total', { event }) - value(before, 'rewards_total', { event })]).toEqual([
        event,
        1,
      ]);
    }
  });

  it('count rewards that expire unused', async () => {
    const customerId = uniqueId('cus');
    await t.sql.query(
      `INSERT INTO rewards (id, customer_id, reward_type, status, earned_at, earned_on, expires_at, expires_on, manually_granted)
       VALUES ($1, $2, 'free_month', 'pending', '2025-03-01T22:00:00Z', '2025-03-02', '2026-03-01T22:00:00Z', '2026-03-02', false)`,
      [randomUUID(), customerId],
    );
    const before = await scrape();
    await s.run('2026-03-02');
    const after = await scrape();
    expect(
      value(after, 'rewards_total', { event: 'expired' }) - value(before, 'rewards_total', { event: 'expired' }),
    ).toBe(1);
  });
});

describe('gauges read from the database at scrape time', () => {
  it('report the outbox backlog and the age of its oldest undelivered event (the relay is off in tests)', async () => {
    const { rows } = await t.sql.query<{ n: number; age: number }>(
      `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS age
         FROM outbox_events WHERE delivered_at IS NULL`,
    );
    const text = await scrape();
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(value(text, 'outbox_backlog_events')).toBe(rows[0]!.n);
    expect(value(text, 'outbox_oldest_undelivered_age_seconds')).toBeGreaterThanOrEqual(rows[0]!.age);
    expect(value(text, 'database_up')).toBe(1);
  });

  it('report when the last real reconciliation run succeeded', async () => {
    const run = await s.run('2026-03-03');
    await s.run('2026-03-04', { dryRun: true }); // a dry run does not count
    const text = await scrape();
    expect(value(text, 'reconciliation_last_success_timestamp_seconds')).toBe(Date.parse(run.finishedAt!) / 1000);
  });

  it('report a reconciliation run in progress', async () => {
    expect(value(await scrape(), 'reconciliation_run_in_progress')).toBe(0);
    const id = randomUUID();
    await t.sql.query(
      `INSERT INTO reconciliation_runs (id, as_of, trigger, dry_run, status, started_at)
       VALUES ($1, '2026-03-05', 'cli', false, 'running', now())`,
      [id],
    );
    try {
      expect(value(await scrape(), 'reconciliation_run_in_progress')).toBe(1);
    } finally {
      await t.sql.query('DELETE FROM reconciliation_runs WHERE id = $1', [id]);
    }
    expect(value(await scrape(), 'reconciliation_run_in_progress')).toBe(0);
  });
});

describe('the operations endpoints', () => {
  it('send / to the API documentation', async () => {
    const res = await request(t.server).get('/').expect(302);
    expect(res.headers.location).toBe('/docs');
  });

  it('keep /metrics open without METRICS_TOKEN, and require it as a Bearer token when it is set', async () => {
    const token = 'scrape-token-0123456789abcdef';
    const guarded = await startTestApp({ env: { METRICS_TOKEN: token } });
    try {
      const missing = await request(guarded.server).get('/metrics').expect(401);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(missing.body.code).toBe('UNAUTHENTICATED');
      await request(guarded.server).get('/metrics').set(bearer('scrape-token-0123456789abcdeX')).expect(401);
      await request(guarded.server)
        .get('/metrics')
        .set(bearer(adminToken(['referrals:view'])))
        .expect(401);
      expect((await request(guarded.server).get('/metrics').set(bearer(token)).expect(200)).text).toContain(
        'http_request_duration_seconds',
      );
      await request(guarded.server).get('/health/live').expect(200);
    } finally {
      await guarded.close();
    }
  });

  it('answer /health/ready with 503 NOT_READY once shutdown has begun, while /health/live stays 200', async () => {
    const app = await startTestApp();
    try {
      await request(app.server).get('/health/ready').expect(200);
      app.get<ShutdownState>(ShutdownState).begin();
      const res = await request(app.server).get('/health/ready').expect(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('NOT_READY');
      expect(res.body.detail).toBe('Not ready — shutdown: shutting down: finishing requests under way.');
      await request(app.server).get('/health/live').expect(200);
    } finally {
      await app.close();
    }
  });
});
