import pg from 'pg';
import request from 'supertest';
import { SchedulerRegistry } from '@nestjs/schedule';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import {
  NightlyReconciliationSchedule,
  NIGHTLY_RECONCILIATION_JOB,
} from '../../src/modules/reconciliation/application/schedule/nightly-reconciliation.schedule.js';
import { RECONCILIATION_LOCK_KEY } from '../../src/modules/reconciliation/infrastructure/reconciliation-lock.js';
import { admin, RUNS, sast, type RunRecord } from './scenario.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ now: sast('2026-03-01', '09:00') });
});
afterAll(() => t.close());

const runCount = async () => Number((await t.sql.query('SELECT count(*) AS n FROM reconciliation_runs')).rows[0].n);
const post = (body: unknown, headers = admin()) =>
  request(t.server)
    .post(RUNS)
    .set(headers)
    .send(body as object);

describe('POST /api/admin/reconciliation/runs', () => {
  it('runs for the given date and answers 201 with the finished run record, shaped as SPEC §8', async () => {
    t.clock.set(sast('2026-03-01', '09:00'));
    const res = await post({ asOf: '2026-02-01' }).expect(201);
    const run = res.body as RunRecord;
    expect(Object.keys(run).sort()).toEqual(
      ['asOf', 'counts', 'creditsTotal', 'dryRun', 'finishedAt', 'id', 'startedAt', 'status', 'step', 'trigger'].sort(),
    );
    expect(run).toMatchObject({
      asOf: '2026-02-01',
      trigger: 'manual',
      dryRun: false,
      status: 'succeeded',
      creditsTotal: '0.00',
      counts: {
        referralsExpired: 0,
        referralsQualified: 0,
        referralsCancelled: 0,
        rewardsEarned: 0,
        rewardsApplied: 0,
        rewardsExpired: 0,
      },
    });
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(run.finishedAt!).getTime()).toBeGreaterThanOrEqual(new Date(run.startedAt).getTime());
    const row = (await t.sql.query('SELECT actor, trigger, status FROM reconciliation_runs WHERE id = $1', [run.id]))
      .rows[0];
    expect(row).toEqual({ actor: 'admin-1', trigger: 'manual', status: 'succeeded' });
    // A manual run is an admin change: audited once, with the JWT's sub.
    const audit = await t.sql.query(
      `SELECT actor, action, customer_id, after->>'status' AS status FROM audit_log WHERE subject_id = $1`,
      [run.id],
    );
    expect(audit.rows).toEqual([
      { actor: 'admin-1', action: 'reconciliation.run', customer_id: '*', status: 'succeeded' },
    ]);
  });

  it('without asOf, runs for today in Africa/Johannesburg', async () => {
    t.clock.set('2026-02-28T23:30:00.000Z'); // 01:30 on 1 March in SAST
    const res = await post(undefined).expect(201);
    expect(res.body.asOf).toBe('2026-03-01');
  });

  it('refuses a date after today (SAST) with 400 AS_OF_IN_FUTURE, and records nothing', async () => {
    t.clock.set('2026-02-28T21:59:00.000Z'); // 23:59 on 28 February in SAST
    const before = await runCount();
    const res = await post({ asOf: '2026-03-01' }).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'AS_OF_IN_FUTURE' });
    expect(await runCount()).toBe(before);
  });

  it.each([['2026-02-30'], ['2026-2-1'], ['01-03-2026'], ['tomorrow'], [20260201], [''], [null]])(
    'refuses asOf %p with 400 VALIDATION_FAILED naming the field',
    async (asOf) => {
      t.clock.set(sast('2026-03-01', '09:00'));
      const res = await post({ asOf }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'asOf' })]));
    },
  );

  it('refuses unknown fields and a dryRun that is not a boolean', async () => {
    const unknown = await post({ asOf: '2026-02-01', force: true }).expect(400);
    expect(unknown.body.errors).toEqual([{ field: 'force', message: 'unknown field' }]);
    const badDry = await post({ asOf: '2026-02-01', dryRun: 'yes' }).expect(400);
    expect(badDry.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'dryRun' })]));
  });

  it('needs a token (401) and the reconciliation:run permission (403)', async () => {
    const before = await runCount();
    await request(t.server).post(RUNS).send({ asOf: '2026-02-01' }).expect(401);
    await post({ asOf: '2026-02-01' }, bearer(adminToken(['referrals:view', 'referrals:manage']))).expect(403);
    await post({ asOf: '2026-02-01' }, bearer(customerToken('cus_1'))).expect(403);
    expect(await runCount()).toBe(before);
  });

  it('with an Idempotency-Key, a repeated request returns the first run record and runs nothing again', async () => {
    t.clock.set(sast('2026-03-01', '09:00'));
    const headers = { ...admin(), 'Idempotency-Key': 'run-2026-01-20' };
    const first = await post({ asOf: '2026-01-20' }, headers).expect(201);
    const before = await runCount();
    const replay = await post({ asOf: '2026-01-20' }, headers).expect(201);
    expect(replay.body).toEqual(first.body);
    expect(await runCount()).toBe(before);
    const reused = await post({ asOf: '2026-01-21' }, headers).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('running the same date again changes nothing and counts zeros', async () => {
    t.clock.set(sast('2026-03-01', '09:00'));
    await post({ asOf: '2026-01-15' }).expect(201);
    const again = (await post({ asOf: '2026-01-15' }).expect(201)).body as RunRecord;
    expect(again.status).toBe('succeeded');
    expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
    expect(again.creditsTotal).toBe('0.00');
  });
});

describe('one run at a time', () => {
  it('while another session holds the reconciliation lock, a run is 409 RUN_IN_PROGRESS and writes nothing', async () => {
    t.clock.set(sast('2026-03-01', '09:00'));
    const other = new pg.Client({ connectionString: t.config.databaseUrl });
    await other.connect();
    try {
      const { rows } = await other.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
        RECONCILIATION_LOCK_KEY,
      ]);
      expect(rows[0].locked).toBe(true);
      const before = await runCount();
      const res = await post({ asOf: '2026-02-01' }).expect(409);
      expect(res.body).toMatchObject({ status: 409, code: 'RUN_IN_PROGRESS' });
      expect(await runCount()).toBe(before);
      await other.query('SELECT pg_advisory_unlock($1::bigint)', [RECONCILIATION_LOCK_KEY]);
      await post({ asOf: '2026-02-01' }).expect(201);
    } finally {
      await other.end();
    }
  });

  it('of several runs started at the same moment, the ones refused are 409 and nothing is done twice', async () => {
    t.clock.set(sast('2026-03-01', '09:00'));
    const before = await runCount();
    const responses = await Promise.all([1, 2, 3, 4].map(() => post({ asOf: '2026-02-20' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses).toContain(201);
    for (const r of responses.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('RUN_IN_PROGRESS');
    }
    const succeeded = responses.filter((r) => r.status === 201).map((r) => r.body as RunRecord);
    expect(await runCount()).toBe(before + succeeded.length);
    expect(succeeded.every((r) => r.status === 'succeeded')).toBe(true);
  });

  it('a run left `running` by a process that died is marked failed ("interrupted") by the next run', async () => {
    t.clock.set(sast('2026-03-01', '09:00'));
    const stale = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
    await t.sql.query(
      `INSERT INTO reconciliation_runs (id, as_of, trigger, dry_run, status, started_at) VALUES ($1, '2026-02-27', 'schedule', false, 'running', $2)`,
      [stale, sast('2026-02-27', '02:00')],
    );
    await post({ asOf: '2026-02-27' }).expect(201);
    const res = await request(t.server).get(`${RUNS}/${stale}`).set(admin()).expect(200);
    expect(res.body).toMatchObject({ id: stale, status: 'failed', error: 'interrupted', trigger: 'schedule' });
    expect(res.body.finishedAt).not.toBeNull();
  });

  it('a step that fails marks the run failed, naming the step but no internals, and releases the lock', async () => {
    t.clock.set(sast('2026-03-01', '09:00'));
    await t.sql.query('ALTER TABLE referrals RENAME TO referrals_away');
    let failed: RunRecord;
    try {
      failed = (await post({ asOf: '2026-02-25' }).expect(201)).body as RunRecord;
    } finally {
      await t.sql.query('ALTER TABLE referrals_away RENAME TO referrals');
    }
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(
      'expire_stale_referrals: unexpected error (the service log has the details, under this run id)',
    );
    expect(failed.counts.referralsExpired).toBe(0);
    const next = (await post({ asOf: '2026-02-25' }).expect(201)).body as RunRecord;
    expect(next.status).toBe('succeeded');
  });
});

describe('GET /api/admin/reconciliation/runs', () => {
  it('lists run records newest first, a page at a time', async () => {
    t.clock.set(sast('2026-03-02', '09:00'));
    const a = (await post({ asOf: '2026-01-01' }).expect(201)).body as RunRecord;
    t.clock.set(sast('2026-03-02', '09:01'));
    const b = (await post({ asOf: '2026-01-02' }).expect(201)).body as RunRecord;
    t.clock.set(sast('2026-03-02', '09:02'));
    const c = (await post({ asOf: '2026-01-03' }).expect(201)).body as RunRecord;

    const page1 = await request(t.server).get(`${RUNS}?limit=2`).set(admin()).expect(200);
    expect(page1.body.items.map((r: RunRecord) => r.id)).toEqual([c.id, b.id]);
    expect(page1.body.items[0]).toEqual(c);
    expect(typeof page1.body.nextCursor).toBe('string');
    const page2 = await request(t.server)
      .get(`${RUNS}?limit=2&cursor=${page1.body.nextCursor}`)
      .set(admin())
      .expect(200);
    expect(page2.body.items[0].id).toBe(a.id);
    const all = await request(t.server).get(`${RUNS}?limit=100`).set(admin()).expect(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items).toHaveLength(await runCount());
  });

  it('refuses a bad limit or cursor with 400', async () => {
    for (const q of ['limit=0', 'limit=101', 'limit=ten', 'cursor=not-a-cursor!']) {
      const res = await request(t.server).get(`${RUNS}?${q}`).set(admin()).expect(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
  });

  it('shows one run by id: 404 RUN_NOT_FOUND when there is none, 400 when the id is not a UUID', async () => {
    const run = (await post({ asOf: '2026-01-04' }).expect(201)).body as RunRecord;
    expect((await request(t.server).get(`${RUNS}/${run.id}`).set(admin()).expect(200)).body).toEqual(run);
    const missing = await request(t.server)
      .get(`${RUNS}/7b0f9c5e-8d7a-4a51-9b1e-0d3f2c8a6e11`)
      .set(admin())
      .expect(404);
    expect(missing.body.code).toBe('RUN_NOT_FOUND');
    const bad = await request(t.server).get(`${RUNS}/42`).set(admin()).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });

  it('needs the referrals:view permission', async () => {
    await request(t.server).get(RUNS).expect(401);
    await request(t.server)
      .get(RUNS)
      .set(bearer(adminToken(['reconciliation:run'])))
      .expect(403);
    await request(t.server)
      .get(RUNS)
      .set(bearer(customerToken('cus_1')))
      .expect(403);
  });
});

describe('the nightly schedule', () => {
  it('is not registered when the scheduler is switched off', () => {
    expect(t.get<SchedulerRegistry>(SchedulerRegistry).doesExist('cron', NIGHTLY_RECONCILIATION_JOB)).toBe(false);
  });

  it('on its tick, runs for today in SAST with trigger "schedule"', async () => {
    t.clock.set('2026-03-03T00:00:00.000Z'); // 02:00 SAST on 3 March
    const run = await t.get<NightlyReconciliationSchedule>(NightlyReconciliationSchedule).tick();
    expect(run).toMatchObject({ asOf: '2026-03-03', trigger: 'schedule', status: 'succeeded' });
  });

  it('is counted in the reconciliation_runs_total metric', async () => {
    const res = await request(t.server).get('/metrics').expect(200);
    expect(res.text).toMatch(/reconciliation_runs_total\{trigger="manual",status="succeeded"\} [1-9]/);
    expect(res.text).toMatch(/reconciliation_runs_total\{trigger="schedule",status="succeeded"\} 1/);
    expect(res.text).toMatch(/reconciliation_runs_total\{trigger="manual",status="rejected_in_progress"\} [1-9]/);
  });
});

describe('with the scheduler switched on', () => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp({ env: { SCHEDULER_ENABLED: 'true', RECONCILIATION_CRON: '0 0 2 * * *' } });
  });
  afterAll(() => s.close());

  it('the nightly job is registered for 02:00 in Africa/Johannesburg', () => {
    const job = s.get<SchedulerRegistry>(SchedulerRegistry).getCronJob(NIGHTLY_RECONCILIATION_JOB);
    const next = job.nextDate();
    expect(next.setZone('Africa/Johannesburg').toFormat('HH:mm:ss')).toBe('02:00:00');
    expect(next.toUTC().toFormat('HH:mm')).toBe('00:00');
  });
});
