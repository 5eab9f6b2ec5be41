/**
 * Query plans of the fraud rules' lookups on a realistic volume (README performance note).
 *
 *   npx tsx bench/fraud-plans.ts            # embedded PostgreSQL in a temporary directory
 *   DATABASE_URL=postgresql://… npx tsx bench/fraud-plans.ts   # a scratch database you own (it is reset)
 *
 * Seeds 100 000 billing customers, 300 000 fraud screenings (12 months, 20 000 referrers) and
 * their findings with INSERT … SELECT generate_series, ANALYZEs, prints EXPLAIN (ANALYZE, BUFFERS)
 * of each lookup the screening and the review queue make, and fails if any plan scans a big table
 * sequentially.
 */
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres.js';
import { applyMigrations } from '../src/platform/database/migrations/migration-runner.js';

const CUSTOMERS = 100_000;
const SCREENINGS = 300_000;
const REFERRERS = 20_000;
const BIG_TABLES = ['billing_customers', 'fraud_screenings', 'fraud_findings'];

const LOOKUPS: { rule: string; sql: string }[] = [
  {
    rule: 'MONTHLY_LIMIT — non-rejected screenings of the referrer in the SAST month',
    sql: `SELECT count(*) FROM fraud_screenings WHERE referrer_id = 'cus_42' AND referred_month = '2026-03' AND outcome <> 'rejected'`,
  },
  {
    rule: 'BURST — screenings of the referrer in [referredAt − 24 h, referredAt]',
    sql: `SELECT count(*) FROM fraud_screenings WHERE referrer_id = 'cus_42' AND referred_at >= '2026-03-09T08:00:00Z' AND referred_at <= '2026-03-10T08:00:00Z'`,
  },
  {
    rule: 'DUPLICATE_REFERRAL — earliest screening of the normalised email',
    sql: `SELECT referral_id, referrer_id, referred_at FROM fraud_screenings WHERE email_normalized = 'referred123456@example.com' ORDER BY referred_at, referral_id LIMIT 1`,
  },
  {
    rule: 'SHARED_IP — screenings from the IP in [referredAt − 24 h, referredAt]',
    sql: `SELECT count(*) FROM fraud_screenings WHERE signup_ip = '10.1.2.3' AND referred_at >= '2026-03-09T08:00:00Z' AND referred_at <= '2026-03-10T08:00:00Z'`,
  },
  {
    rule: 'EXISTING_CUSTOMER_MATCH — other customers with the email, phone or address (billing FindMatchingCustomers)',
    sql: `SELECT id, email_normalized, phone_normalized, address_normalized FROM billing_customers
           WHERE (email_normalized = 'customer777@example.com' OR phone_normalized = '+27820000777' OR address_normalized = '777 main rd sandton')
             AND id <> ALL (ARRAY['cus_1', 'cus_2']) LIMIT 10`,
  },
  {
    rule: 'SELF_REFERRAL / REFERRER_INACTIVE — the referrer (billing GetCustomerSummary)',
    sql: `SELECT id, email_normalized, phone_normalized, address_normalized, signup_ip FROM billing_customers WHERE id = 'cus_42'`,
  },
  {
    rule: 'Review queue — flagged, oldest first, keyset page of 21',
    sql: `SELECT referral_id, referred_at FROM fraud_screenings WHERE outcome = 'flagged'
           AND (referred_at, referral_id) > ('2026-02-01T00:00:00Z'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid)
           ORDER BY referred_at, referral_id LIMIT 21`,
  },
  {
    rule: 'Findings of a page of referrals (review queue, admin view)',
    sql: `SELECT referral_id, rule, outcome, detail FROM fraud_findings WHERE referral_id IN (SELECT referral_id FROM fraud_screenings WHERE referrer_id = 'cus_42')`,
  },
];

async function seed(c: pg.Client): Promise<void> {
  await c.query('TRUNCATE fraud_findings, fraud_screenings, billing_customers CASCADE');
  await c.query(`
    INSERT INTO billing_customers (id, name, email, email_normalized, phone, phone_normalized, address, address_normalized, signup_ip, created_at, updated_at)
    SELECT 'cus_' || g, 'Customer ' || g, 'customer' || g || '@example.com', 'customer' || g || '@example.com',
           '082' || lpad(g::text, 7, '0'), '+2782' || lpad(g::text, 7, '0'),
           g || ' Main Rd, Sandton', g || ' main rd sandton',
           '10.' || (g % 250) || '.' || ((g / 250) % 250) || '.' || (g % 7), now() - (g || ' minutes')::interval, now()
      FROM generate_series(1, ${CUSTOMERS}) g`);
  await c.query(`
    INSERT INTO fraud_screenings (referral_id, referrer_id, referred_id, referred_at, referred_month, email_normalized, signup_ip, outcome)
    SELECT md5('referral' || g)::uuid, 'cus_' || (g % ${REFERRERS}), 'referred_' || g,
           ts, to_char(ts + interval '2 hours', 'YYYY-MM'), 'referred' || g || '@example.com',
           '10.' || (g % 250) || '.' || ((g / 250) % 250) || '.' || (g % 11),
           CASE WHEN g % 50 = 0 THEN 'flagged' WHEN g % 37 = 0 THEN 'rejected' ELSE 'accepted' END
      FROM generate_series(1, ${SCREENINGS}) g,
           LATERAL (SELECT timestamptz '2025-06-01T00:00:00Z' + (g * interval '105 seconds') AS ts) t`);
  await c.query(`
    INSERT INTO fraud_findings (id, referral_id, referrer_id, rule, outcome, detail, evidence)
    SELECT gen_random_uuid(), referral_id, referrer_id,
           CASE WHEN outcome = 'flagged' THEN 'SHARED_IP' ELSE 'MONTHLY_LIMIT' END,
           CASE WHEN outcome = 'flagged' THEN 'flag' ELSE 'reject' END, 'seeded', '{}'::jsonb
      FROM fraud_screenings WHERE outcome <> 'accepted'`);
  await c.query('ANALYZE billing_customers; ANALYZE fraud_screenings; ANALYZE fraud_findings;');
}

async function main(): Promise<void> {
  let url = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'circletel-bench-pg-'));
    await chmod(tmp, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'data'), port: 0, persistent: false });
    url = server.url;
    stop = async () => {
      await server.stop();
      await rm(tmp, { recursive: true, force: true });
    };
  }
  const c = new pg.Client({ connectionString: url });
  let failures = 0;
  try {
    await applyMigrations(url);
    await c.connect();
    const t0 = Date.now();
    await seed(c);
    const counts = await c.query(
      `SELECT (SELECT count(*) FROM billing_customers) AS customers, (SELECT count(*) FROM fraud_screenings) AS screenings, (SELECT count(*) FROM fraud_findings) AS findings`,
    );
    console.log(`seeded in ${Date.now() - t0} ms:`, counts.rows[0]);
    for (const { rule, sql } of LOOKUPS) {
      const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
      const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      const seqScans = BIG_TABLES.filter((table) => new RegExp(`Seq Scan on ${table}\\b`).test(plan));
      console.log(`\n### ${rule}\n${sql.replace(/\s+/g, ' ')}\n${plan}`);
      if (seqScans.length) {
        failures++;
        console.log(`!! sequential scan on ${seqScans.join(', ')}`);
      }
    }
  } finally {
    await c.end().catch(() => undefined);
    await stop?.();
  }
  if (failures) {
    console.error(`\n${failures} lookup(s) scan a big table sequentially`);
    process.exit(1);
  }
  console.log('\nno sequential scans on billing_customers, fraud_screenings or fraud_findings');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
