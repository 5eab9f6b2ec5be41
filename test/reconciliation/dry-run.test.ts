import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { admin, RUNS, scenario, type RunRecord, type Scenario } from './scenario.js';

/**
 * SPEC §8: `dryRun: true` reports what a run would do and changes nothing. The data below has
 * work for every step on 2026-03-01, so the dry run has something to leave untouched.
 */
let t: TestApp;
let s: Scenario;
let referrerId: string;

/** Every table's rows, as text, so "nothing changed" means nothing — not just the row counts. */
async function snapshot(): Promise<Record<string, string>> {
  const tables = (
    await t.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
          AND table_name NOT IN ('reconciliation_runs', '_prisma_migrations')
        ORDER BY table_name`,
    )
  ).rows.map((r) => r.table_name);
  const out: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await t.sql.query(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS digest FROM ${table} x`,
    );
    out[table] = `${rows[0].n}:${rows[0].digest}`;
  }
  return out;
}

beforeAll(async () => {
  t = await startTestApp();
  s = scenario(t);
  const referrer = await s.referrer({ createdOn: '2025-11-01' });
  referrerId = referrer.customerId;
  // Two referrals that activate on 12 January and qualify on 11 February (A+30) ...
  for (const on of ['2026-01-10', '2026-01-11']) {
    const referred = await s.signup(referrer.code, on);
    await s.activate(referred, '2026-01-12');
  }
  // ... one that never activates (expires at R+31) ...
  await s.signup(referrer.code, '2026-01-20');
  // ... and an old reward of a customer without a service, a year old by 1 March: it expires.
  const lapsed = `cus_lapsed_${randomUUID().slice(0, 8)}`;
  await s.send({
    type: 'customer.created',
    occurredAt: '2025-02-01T08:00:00.000Z',
    data: { customerId: lapsed, name: 'Lapsed Customer', email: `${lapsed}@example.org` },
  });
  await t.sql.query(
    `INSERT INTO rewards (id, customer_id, reward_type, status, earned_at, earned_on, expires_at, expires_on, manually_granted)
     VALUES ($1, $2, 'free_month', 'pending', '2025-02-28T22:00:00Z', '2025-03-01', '2026-02-28T22:00:00Z', '2026-03-01', false)`,
    [randomUUID(), lapsed],
  );
});
afterAll(() => t.close());

describe('a dry run', () => {
  let dry: RunRecord;
  let before: Record<string, string>;

  beforeAll(async () => {
    before = await snapshot();
    dry = await s.run('2026-03-01', { dryRun: true });
  });

  it('reports what a run would do: expire, qualify, earn, apply and expire rewards', () => {
    expect(dry).toMatchObject({
      asOf: '2026-03-01',
      dryRun: true,
      status: 'succeeded',
      counts: {
        referralsExpired: 1,
        referralsQualified: 2,
        referralsCancelled: 0,
        rewardsEarned: 1,
        rewardsApplied: 1,
        rewardsExpired: 1,
      },
      creditsTotal: '799.00',
    });
  });

  it('changes nothing: every table, the outbox and the credit-note numbering are exactly as before', async () => {
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.outbox_events).toBeDefined();
    expect(after.credit_note_sequences).toBeDefined();
    expect((await t.sql.query('SELECT count(*)::int AS n FROM credit_notes')).rows[0].n).toBe(0);
    expect((await s.referralsOf(referrerId)).map((r) => r.status)).toEqual(['active', 'active', 'pending']);
  });

  it('is kept as a run record with dryRun true', async () => {
    const res = await request(t.server).get(`${RUNS}/${dry.id}`).set(admin()).expect(200);
    expect(res.body).toEqual(dry);
  });

  it('reports exactly what the real run then does', async () => {
    const real = await s.run('2026-03-01');
    expect(real.dryRun).toBe(false);
    expect(real.counts).toEqual(dry.counts);
    expect(real.creditsTotal).toBe(dry.creditsTotal);
    expect(await snapshot()).not.toEqual(before);
    expect((await s.creditNotesOf(referrerId)).map((n) => n.number)).toEqual(['CN-2026-00001']);
  });

  it('after the real run, a dry run of the same date would do nothing', async () => {
    const again = await s.run('2026-03-01', { dryRun: true });
    expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
    expect(again.creditsTotal).toBe('0.00');
  });
});
