import type { ChildProcess } from 'node:child_process';
import { jest } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { spawnEntryPoint } from '../support/process.js';
import type { RunRecord } from './scenario.js';

/**
 * SPEC §8, for real processes: a run that dies part-way leaves nothing half-done and the next
 * run finishes the work; two instances started together never do anything twice. The CLI
 * (`src/cli/reconcile.ts`) is started as a child process on its own test database, seeded
 * with SQL: customers with a R799.00 service billed on the 1st and a pending reward each,
 * earned on 11 February 2026 — all due on 1 March.
 */
jest.setTimeout(240_000);

const AS_OF = '2026-03-01';

interface Cli {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startCli(databaseUrl: string, args: string[], env: Record<string, string> = {}): Cli {
  const child = spawnEntryPoint('src/cli/reconcile.ts', args, databaseUrl, {
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: 'warn',
    ...env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** `n` customers, each with one active R799.00 service (billing day 1) and one pending reward due on 1 March. */
async function seed(sql: pg.Client, n: number, prefix: string): Promise<void> {
  await sql.query(
    `INSERT INTO billing_customers (id, name, email, email_normalized, created_at, updated_at)
     SELECT $2 || lpad(i::text, 5, '0'), 'Customer ' || i, $2 || i || '@example.org', $2 || i || '@example.org',
            '2025-11-01T08:00:00Z', '2025-11-01T08:00:00Z'
       FROM generate_series(1, $1::int) i`,
    [n, `cus_${prefix}_`],
  );
  await sql.query(
    `INSERT INTO billing_services (id, customer_id, monthly_price_cents, billing_day, status, activated_at, activated_on, status_changed_at)
     SELECT $2 || lpad(i::text, 5, '0'), $3 || lpad(i::text, 5, '0'), 79900, 1, 'active',
            '2025-12-01T08:00:00Z', '2025-12-01', '2025-12-01T08:00:00Z'
       FROM generate_series(1, $1::int) i`,
    [n, `svc_${prefix}_`, `cus_${prefix}_`],
  );
  await sql.query(
    `INSERT INTO billing_service_prices (service_id, effective_at, effective_on, price_cents)
     SELECT id, activated_at, activated_on, monthly_price_cents FROM billing_services WHERE id LIKE $1`,
    [`svc_${prefix}_%`],
  );
  await sql.query(
    `INSERT INTO billing_service_status_changes (service_id, status, occurred_at)
     SELECT id, 'activated', activated_at FROM billing_services WHERE id LIKE $1`,
    [`svc_${prefix}_%`],
  );
  await sql.query(
    `INSERT INTO rewards (id, customer_id, reward_type, status, earned_at, earned_on, expires_at, expires_on, manually_granted)
     SELECT gen_random_uuid(), id, 'free_month', 'pending', '2026-02-10T22:00:00Z', '2026-02-11', '2027-02-10T22:00:00Z', '2027-02-11', false
       FROM billing_customers WHERE id LIKE $1`,
    [`cus_${prefix}_%`],
  );
}

const count = async (sql: pg.Client, query: string, params: unknown[] = []) =>
  Number((await sql.query(query, params)).rows[0].n);

/** Every due reward applied exactly once, and the credit-note numbers 1..n with no gap and no duplicate. */
async function expectAppliedExactlyOnce(sql: pg.Client, n: number): Promise<void> {
  expect(await count(sql, "SELECT count(*) AS n FROM rewards WHERE status = 'applied'")).toBe(n);
  expect(await count(sql, "SELECT count(*) AS n FROM rewards WHERE status <> 'applied'")).toBe(0);
  expect(await count(sql, 'SELECT count(*) AS n FROM credit_notes')).toBe(n);
  expect(await count(sql, 'SELECT count(DISTINCT reward_id) AS n FROM credit_notes')).toBe(n);
  expect(
    await count(
      sql,
      'SELECT count(*) AS n FROM rewards r JOIN credit_notes c ON c.id = r.credit_note_id AND c.reward_id = r.id',
    ),
  ).toBe(n);
  const numbers = await sql.query<{ min: number; max: number; distinct: string; years: string }>(
    'SELECT min(sequence) AS min, max(sequence) AS max, count(DISTINCT number) AS distinct, count(DISTINCT year) AS years FROM credit_notes',
  );
  expect(numbers.rows[0]).toEqual({ min: 1, max: n, distinct: String(n), years: '1' });
  expect(await count(sql, 'SELECT max(last_seq) AS n FROM credit_note_sequences')).toBe(n);
  expect(await count(sql, "SELECT count(*) AS n FROM outbox_events WHERE type = 'reward.applied'")).toBe(n);
  expect(
    await count(
      sql,
      "SELECT count(DISTINCT payload->>'rewardId') AS n FROM outbox_events WHERE type = 'reward.applied'",
    ),
  ).toBe(n);
}

describe('a run killed part-way through thousands of due rewards', () => {
  const N = 3000;
  let db: TestDatabase;
  let sql: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await seed(sql, N, 'crash');
  });
  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  it('is finished by the next run: every reward applied exactly once, credit notes numbered 1..N without a gap', async () => {
    const first = startCli(db.url, ['--as-of', AS_OF], { RECONCILIATION_BATCH_SIZE: '100' });
    let issuedAtKill = -1;
    let exited = false;
    void first.done.then(() => (exited = true));
    while (!exited) {
      const issued = await count(sql, 'SELECT count(*) AS n FROM credit_notes');
      if (issued > 0 && issued < N) {
        first.child.kill('SIGKILL');
        issuedAtKill = issued;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(issuedAtKill).toBeGreaterThan(0);

    // Nothing half-done: whole batches only — every credit note has its applied reward and its outbox event.
    const committed = await count(sql, 'SELECT count(*) AS n FROM credit_notes');
    expect(committed).toBeLessThan(N);
    expect(await count(sql, "SELECT count(*) AS n FROM rewards WHERE status = 'applied'")).toBe(committed);
    expect(await count(sql, "SELECT count(*) AS n FROM outbox_events WHERE type = 'reward.applied'")).toBe(committed);
    expect(await count(sql, "SELECT count(*) AS n FROM reconciliation_runs WHERE status = 'running'")).toBe(1);

    const second = await startCli(db.url, ['--as-of', AS_OF], { RECONCILIATION_BATCH_SIZE: '100' }).done;
    expect({ code: second.code, stderr: second.code === 0 ? '' : second.stderr }).toEqual({ code: 0, stderr: '' });
    const run = JSON.parse(second.stdout) as RunRecord;
    expect(run).toMatchObject({ asOf: AS_OF, trigger: 'cli', status: 'succeeded', dryRun: false });
    expect(run.counts.rewardsApplied).toBe(N - committed);

    await expectAppliedExactlyOnce(sql, N);
    const runs = await sql.query<{ status: string; error: string | null }>(
      'SELECT status, error FROM reconciliation_runs ORDER BY started_at, id',
    );
    expect(runs.rows).toEqual([
      { status: 'failed', error: 'interrupted' },
      { status: 'succeeded', error: null },
    ]);

    const third = await startCli(db.url, ['--as-of', AS_OF]).done;
    expect(third.code).toBe(0);
    expect((JSON.parse(third.stdout) as RunRecord).counts.rewardsApplied).toBe(0);
    await expectAppliedExactlyOnce(sql, N);
  });
});

describe('two service instances starting the same run at the same time', () => {
  const N = 600;
  let db: TestDatabase;
  let sql: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await seed(sql, N, 'twins');
  });
  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  it('one runs; the other stops with RUN_IN_PROGRESS (or runs after it and counts zeros); nothing is doubled', async () => {
    const env = { RECONCILIATION_BATCH_SIZE: '50' };
    const results = await Promise.all([
      startCli(db.url, ['--as-of', AS_OF], env).done,
      startCli(db.url, ['--as-of', AS_OF], env).done,
    ]);
    const codes = results.map((r) => r.code).sort();
    expect([
      [0, 2],
      [0, 0],
    ]).toContainEqual(codes);
    const runs = results.filter((r) => r.code === 0).map((r) => JSON.parse(r.stdout) as RunRecord);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(runs.map((r) => r.counts.rewardsApplied).sort((a, b) => b - a)).toEqual(codes[1] === 2 ? [N] : [N, 0]);
    for (const refused of results.filter((r) => r.code === 2)) expect(refused.stderr).toMatch(/RUN_IN_PROGRESS/);
    expect(await count(sql, 'SELECT count(*) AS n FROM reconciliation_runs')).toBe(runs.length);
    await expectAppliedExactlyOnce(sql, N);
  });
});

describe('the reconcile CLI', () => {
  let db: TestDatabase;
  let sql: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await seed(sql, 5, 'cli');
  });
  afterAll(async () => {
    await sql?.end();
    await db?.drop();
  });

  it('with --dry-run prints what the run would do, changes nothing, and exits 0', async () => {
    const dry = await startCli(db.url, ['--as-of', AS_OF, '--dry-run']).done;
    if (dry.code !== 0) throw new Error(`the CLI exited ${dry.code}:\n${dry.stderr}\n${dry.stdout}`);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      asOf: AS_OF,
      trigger: 'cli',
      dryRun: true,
      status: 'succeeded',
      creditsTotal: '3995.00',
    });
    expect(await count(sql, 'SELECT count(*) AS n FROM credit_notes')).toBe(0);
    expect(await count(sql, "SELECT count(*) AS n FROM rewards WHERE status = 'pending'")).toBe(5);
  });

  it('refuses a date in the future with AS_OF_IN_FUTURE, exit status 64, and records no run', async () => {
    const before = await count(sql, 'SELECT count(*) AS n FROM reconciliation_runs');
    const future = await startCli(db.url, ['--as-of', '2999-01-01']).done;
    expect(future.code).toBe(64);
    expect(future.stderr).toMatch(/AS_OF_IN_FUTURE/);
    expect(future.stdout).toBe('');
    expect(await count(sql, 'SELECT count(*) AS n FROM reconciliation_runs')).toBe(before);
  });

  it('refuses --as-of before 2000 as written (0099-12-31 ran as 1999-12-31), exit status 64, and records no run', async () => {
    const before = await count(sql, 'SELECT count(*) AS n FROM reconciliation_runs');
    for (const asOf of ['0099-12-31', '0001-01-01']) {
      const early = await startCli(db.url, ['--as-of', asOf, '--dry-run']).done;
      expect([early.code, early.stdout]).toEqual([64, '']);
      expect(early.stderr).toMatch(/VALIDATION_FAILED.*asOf/);
    }
    expect(await count(sql, 'SELECT count(*) AS n FROM reconciliation_runs')).toBe(before);
  });
});
