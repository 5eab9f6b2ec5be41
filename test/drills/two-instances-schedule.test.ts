import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { BusinessDate } from '#libs/ddd/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { spawnEntryPoint } from '../support/process.js';

/**
 * Issue 5 drill: two service instances (two processes, one database) whose nightly schedules
 * fire at the same moment run the reconciliation once. The cron is set to every 3 seconds so
 * the drill sees several shared ticks within seconds; every tick is the same business date, so
 * exactly one scheduled run may exist for it, and its work (a stale pending referral to expire)
 * is done once.
 */
interface Instance {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startInstance(databaseUrl: string): Instance {
  const child = spawnEntryPoint('src/main.ts', [], databaseUrl, {
    DATABASE_POOL_SIZE: '3',
    PORT: '0',
    LOG_LEVEL: 'info',
    SCHEDULER_ENABLED: 'true',
    OUTBOX_RELAY_ENABLED: 'false',
    RECONCILIATION_CRON: '*/3 * * * * *',
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let db: TestDatabase;
let sql: pg.Client;
const instances: Instance[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  for (const i of instances) i.child.kill('SIGKILL');
  await sql?.end();
  await db?.drop();
});

it('two instances whose schedules fire together run the nightly reconciliation once per business date', async () => {
  // A referral still pending 40 days after signup: the run must expire it, once.
  await sql.query(
    `INSERT INTO referrals (id, referrer_id, referred_id, code, referred_name, referred_email, referred_at, referred_on, status, lifecycle)
     VALUES ('6f1c1a52-3f0e-4c8e-9c55-6d7c2b1f0a01', 'cus_drill_ref', 'cus_drill_new', 'CT-REF-DRILL000', 'Drill Friend', 'drill@example.org',
             now() - interval '40 days', (now() - interval '40 days')::date, 'pending', 'pending')`,
  );
  const today = BusinessDate.ofInstant(new Date()).toString();

  instances.push(startInstance(db.url), startInstance(db.url));
  await waitFor(
    () => instances.every((i) => i.output().includes('nightly reconciliation scheduled')),
    60_000,
    'both instances to start',
  );
  // Both started: let at least three shared ticks pass.
  await new Promise((r) => setTimeout(r, 9_500));
  for (const i of instances) i.child.kill('SIGTERM');
  await Promise.all(instances.map((i) => i.exited));

  const runs = await sql.query<{ trigger: string; status: string; referrals_expired: number; as_of: string }>(
    `SELECT trigger, status, referrals_expired, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM reconciliation_runs`,
  );
  expect(runs.rows).toEqual([{ trigger: 'schedule', status: 'succeeded', referrals_expired: 1, as_of: today }]);
  const referral = await sql.query(`SELECT status FROM referrals WHERE referred_id = 'cus_drill_new'`);
  expect(referral.rows).toEqual([{ status: 'expired' }]);

  // Every other tick, on either instance, stood down — and said why.
  const logs = instances.map((i) => i.output()).join('\n');
  const skipped =
    logs.match(/scheduled reconciliation skipped: (already done for this date|another instance is running it)/g) ?? [];
  expect(skipped.length).toBeGreaterThanOrEqual(3);
  expect(logs).not.toMatch(/"level":50/); // no error lines
});
