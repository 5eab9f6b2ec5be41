/**
 * The query plans of the statements the service really sends, on a database with realistic volume.
 *
 *   npm run bench:plans          (node --import @swc-node/register/esm-register bench/query-plans.ts)
 *
 * 1. Starts an embedded PostgreSQL 18 with pg_stat_statements, applies the migrations, seeds
 *    100 000 customers with services and referral codes, 100 000 referrals across states and
 *    their fraud screenings (INSERT … SELECT generate_series), ANALYZEs.
 * 2. Boots the whole service in-process and drives the hot paths over HTTP: the public code
 *    check, POST/GET /api/customer/referrals, a signed customer.created with a referral code
 *    (attribution + every fraud rule), service.activated (activation), the admin views, and a
 *    reconciliation run.
 * 3. Reads every statement those requests issued from pg_stat_statements and prints
 *    `EXPLAIN (GENERIC_PLAN)` of each — the plan PostgreSQL uses for any parameter values —
 *    and fails if any of them scans a large table sequentially.
 *
 * Writes bench/results/query-plans.md.
 */
import 'reflect-metadata';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { createApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/platform/config/config.js';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres.js';
import { applyMigrations } from '../src/platform/database/migrations/migration-runner.js';
import { signPayload } from '../src/platform/http/webhook-signature.js';

const N = Number(process.env.PLAN_ROWS ?? 100_000);
const LARGE_TABLES = [
  'billing_customers',
  'billing_services',
  'billing_service_prices',
  'billing_invoices',
  'referral_codes',
  'referrals',
  'fraud_screenings',
  'fraud_findings',
  'rewards',
  'reward_qualified_referrals',
  'outbox_events',
  'billing_inbound_events',
  'audit_log',
  'credit_notes',
];
const JWT_SECRET = 'plans-jwt-secret-0123456789abcdef';
const BILLING_SECRET = 'plans-billing-secret-0123456789';

async function seed(sql: pg.Client): Promise<void> {
  // Customers cus_1..cus_N, each with one active service and a referral code; the first half are
  // referrers of referrals made by the second half.
  await sql.query(`
    INSERT INTO billing_customers (id, name, email, email_normalized, phone, phone_normalized, address, address_normalized,
                                   signup_ip, created_at, updated_at)
    SELECT 'cus_' || i, 'Customer ' || i, 'customer' || i || '@example.com', 'customer' || i || '@example.com',
           '082' || lpad(i::text, 7, '0'), '+2782' || lpad(i::text, 7, '0'),
           i || ' Main Rd, Sandton', i || ' main rd sandton', '10.' || (i % 250) || '.' || (i % 200) || '.1',
           timestamptz '2025-01-01' + (i || ' minutes')::interval, timestamptz '2025-01-01' + (i || ' minutes')::interval
      FROM generate_series(1, ${N}) i`);
  await sql.query(`
    INSERT INTO billing_services (id, customer_id, monthly_price_cents, billing_day, status, activated_at, activated_on, status_changed_at)
    SELECT 'svc_' || i, 'cus_' || i, 79900, 1 + (i % 28), 'active', timestamptz '2025-02-01', date '2025-02-01', timestamptz '2025-02-01'
      FROM generate_series(1, ${N}) i`);
  await sql.query(`
    INSERT INTO billing_service_prices (service_id, effective_at, effective_on, price_cents)
    SELECT 'svc_' || i, timestamptz '2025-02-01', date '2025-02-01', 79900 FROM generate_series(1, ${N}) i`);
  await sql.query(`
    INSERT INTO referral_codes (customer_id, code, first_name)
    SELECT 'cus_' || i, 'CT-REF-' || upper(lpad(to_hex(i), 8, '0')), 'Customer' FROM generate_series(1, ${N}) i`);
  // Referrals: N of them, referrer cus_(i % (N/2) + 1), referred ref_i (one referral per referred customer); states spread.
  await sql.query(`
    WITH r AS (
      SELECT i, md5('ref' || i)::uuid AS id, 'cus_' || ((i % (${N} / 2)) + 1) AS referrer, 'ref_' || i AS referred,
             (ARRAY['pending','active','qualified','rewarded','expired','cancelled','rejected'])[1 + i % 7] AS state,
             timestamptz '2026-01-01' + ((i % 300) || ' days')::interval AS at
        FROM generate_series(1, ${N}) i)
    INSERT INTO referrals (id, referrer_id, referred_id, code, referred_name, referred_email, referred_at, referred_on,
                           status, lifecycle, review, service_id, activated_at, activated_on)
    SELECT id, referrer, referred, 'CT-REF-00000001', 'Friend ' || i, 'friend' || i || '@example.com', at, (at + interval '2 hours')::date,
           state, state, CASE WHEN state = 'rejected' THEN 'rejected' ELSE 'none' END,
           CASE WHEN state IN ('pending','expired','rejected') THEN NULL ELSE 'svc_ref_' || i END,
           CASE WHEN state IN ('pending','expired','rejected') THEN NULL ELSE at + interval '3 days' END,
           CASE WHEN state IN ('pending','expired','rejected') THEN NULL ELSE (at + interval '3 days 2 hours')::date END
      FROM r`);
  await sql.query(`
    INSERT INTO fraud_screenings (referral_id, referrer_id, referred_id, referred_at, referred_month, email_normalized, signup_ip, outcome)
    SELECT id, referrer_id, referred_id, referred_at, to_char(referred_on, 'YYYY-MM'), referred_email, '10.9.' || (random() * 250)::int || '.1',
           CASE WHEN status = 'rejected' THEN 'rejected' ELSE 'accepted' END
      FROM referrals`);
  await sql.query(`
    INSERT INTO rewards (id, customer_id, status, earned_at, earned_on, expires_at, expires_on)
    SELECT md5('rew' || i)::uuid, 'cus_' || i, (ARRAY['pending','expired','revoked'])[1 + i % 3],
           timestamptz '2026-01-01', date '2026-01-01', timestamptz '2027-01-01', date '2027-01-01'
      FROM generate_series(1, ${N} / 4) i`);
  await sql.query(`
    INSERT INTO reward_qualified_referrals (referral_id, referrer_id, qualified_at, reward_id, consumed_at)
    SELECT id, referrer_id, activated_at + interval '30 days',
           CASE WHEN status = 'rewarded' THEN md5('rq' || id::text)::uuid END,
           CASE WHEN status = 'rewarded' THEN activated_at + interval '31 days' END
      FROM referrals WHERE status IN ('qualified', 'rewarded')`);
  await sql.query(`
    INSERT INTO billing_invoices (id, customer_id, status, updated_at)
    SELECT 'inv_' || i, 'cus_' || (i * 3 % ${N} + 1), CASE WHEN i % 10 = 0 THEN 'overdue' ELSE 'paid' END, timestamptz '2026-01-01'
      FROM generate_series(1, ${N}) i`);
  await sql.query(`
    INSERT INTO fraud_findings (id, referral_id, referrer_id, rule, outcome, detail, evidence)
    SELECT md5('ff' || referral_id::text)::uuid, referral_id, referrer_id, 'SHARED_IP', 'flag', 'seeded', '{}'::jsonb
      FROM fraud_screenings`);
  await sql.query(`
    INSERT INTO audit_log (id, at, actor, action, customer_id, subject_id, reason)
    SELECT md5('al' || i)::uuid, timestamptz '2026-01-01' + (i || ' seconds')::interval, 'admin-1', 'reward.granted',
           'cus_' || (i % ${N} + 1), md5('s' || i)::uuid::text, 'seeded'
      FROM generate_series(1, ${N}) i`);
  await sql.query('ANALYZE');
}

interface Captured {
  query: string;
  calls: number;
  plan?: string;
  seqScans: string[];
  error?: string;
}

function walk(node: Record<string, unknown>, out: { nodes: string[]; seq: string[] }): void {
  const type = String(node['Node Type']);
  const rel = node['Relation Name'] as string | undefined;
  const index = node['Index Name'] as string | undefined;
  out.nodes.push(index ? `${type} ${index}` : rel ? `${type} ${rel}` : type);
  if (type === 'Seq Scan' && rel && LARGE_TABLES.includes(rel)) out.seq.push(rel);
  for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child, out);
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'circletel-plans-'));
  await chmod(tmp, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: path.join(tmp, 'data'),
    port: 0,
    persistent: false,
    extraFlags: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all'],
  });
  const url = server.url;
  try {
    await applyMigrations(url);
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    await sql.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const t0 = Date.now();
    await seed(sql);
    console.log(
      `seeded ${N} customers/services/codes, ${N} referrals and screenings, ${N / 4} rewards in ${Date.now() - t0} ms`,
    );

    const config = loadConfig(
      {
        NODE_ENV: 'test',
        DATABASE_URL: url,
        JWT_SECRET,
        BILLING_WEBHOOK_SECRET: BILLING_SECRET,
        OUTBOUND_WEBHOOK_SECRET: 'plans-outbound-secret-0123456789',
        OUTBOX_RELAY_ENABLED: 'false',
        SCHEDULER_ENABLED: 'false',
        LOG_LEVEL: 'warn',
      },
      () => undefined,
    );
    const app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const base = await app.getUrl();
    const token = (sub: string, role: 'customer' | 'admin') =>
      jwt.sign({ sub, role, permissions: ['referrals:view', 'referrals:manage', 'reconciliation:run'] }, JWT_SECRET, {
        expiresIn: 600,
      });
    const call = async (method: string, p: string, opts: { token?: string; body?: unknown } = {}) => {
      const res = await fetch(base + p, {
        method,
        headers: {
          ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: opts.body ? JSON.stringify(opts.body) : undefined,
      });
      const text = await res.text();
      if (res.status >= 500) throw new Error(`${method} ${p} → ${res.status} ${text}`);
      return { status: res.status, text };
    };
    const event = async (type: string, data: Record<string, unknown>, occurredAt: string) => {
      const body = JSON.stringify({ id: `evt_${randomUUID()}`, type, occurredAt, data });
      const res = await fetch(`${base}/api/integrations/billing/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CircleTel-Signature': signPayload(BILLING_SECRET, body) },
        body,
      });
      if (!res.ok) throw new Error(`${type} → ${res.status} ${await res.text()}`);
    };

    await sql.query('SELECT pg_stat_statements_reset()');
    // The hot paths, a few times each so every branch is exercised.
    for (let i = 1; i <= 3; i++) {
      const referrer = `cus_${i * 7}`;
      const code = `CT-REF-${(i * 7).toString(16).toUpperCase().padStart(8, '0')}`;
      await call('GET', `/api/referral-codes/${code.toLowerCase()}`);
      await call('POST', '/api/customer/referrals', { token: token(referrer, 'customer') });
      await call('GET', '/api/customer/referrals?limit=20', { token: token(referrer, 'customer') });
      await call('GET', '/api/customer/referrals?status=active&limit=5', { token: token(referrer, 'customer') });
      await call('GET', '/api/customer/referral-balance', { token: token(referrer, 'customer') });
      const friend = `plan_friend_${i}`;
      const now = new Date().toISOString();
      await event(
        'customer.created',
        {
          customerId: friend,
          name: 'Plan Friend',
          email: `plan.friend+${i}@gmail.com`,
          phone: `083 555 000${i}`,
          installationAddress: `${i} Plan Street, Durban`,
          referralCode: code,
          referralSource: 'url_param',
          signupIp: '10.200.0.1',
        },
        now,
      );
      await event(
        'service.activated',
        { customerId: friend, serviceId: `svc_${friend}`, monthlyPrice: '599.00', billingDay: 5 },
        now,
      );
      await call('GET', `/api/admin/customers/${referrer}/referrals?q=friend`, { token: token('admin-1', 'admin') });
      await call('GET', `/api/admin/customers/${referrer}/credit-notes`, { token: token('admin-1', 'admin') });
      await call('GET', `/api/admin/customers/${referrer}/audit-log`, { token: token('admin-1', 'admin') });
      await call('GET', '/api/admin/referrals/flagged', { token: token('admin-1', 'admin') });
    }
    const run = await call('POST', '/api/admin/reconciliation/runs', { token: token('admin-1', 'admin'), body: {} });
    console.log(`reconciliation run: ${run.status} ${run.text.slice(0, 300)}`);

    const { rows } = await sql.query<{ query: string; calls: string }>(
      `SELECT query, calls FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query ~* '^\\s*(with|select|insert|update|delete)'
          AND query !~* 'pg_stat_statements|pg_advisory|pg_catalog|information_schema|_prisma_migrations|^\\s*select \\$1\\s*$|^\\s*select 1'
        ORDER BY calls DESC, query`,
    );
    const captured: Captured[] = [];
    for (const r of rows) {
      const c: Captured = { query: r.query.replace(/\s+/g, ' ').trim(), calls: Number(r.calls), seqScans: [] };
      try {
        // pg_stat_statements turns `interval '30 days'` into `interval $5`, which does not parse: put a literal back.
        const explainable = r.query.replace(/interval \$\d+/g, "interval '1 day'");
        const plan = await sql.query(`EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${explainable}`);
        const root = (plan.rows[0] as { 'QUERY PLAN': { Plan: Record<string, unknown> }[] })['QUERY PLAN'][0]!.Plan;
        const out = { nodes: [] as string[], seq: [] as string[] };
        walk(root, out);
        c.plan = out.nodes.join(' → ');
        c.seqScans = out.seq;
      } catch (e) {
        c.error = (e as Error).message;
      }
      captured.push(c);
    }
    await app.close();
    await sql.end();

    const offenders = captured.filter((c) => c.seqScans.length);
    const lines = [
      '# Query plans of the statements the service sends',
      '',
      `Generated by \`npm run bench:plans\` on ${new Date().toISOString().slice(0, 10)}: PostgreSQL 18 (embedded), ` +
        `${N} customers with services and codes, ${N} referrals and screenings, ${N / 4} rewards. ` +
        'Every statement issued by the code check, customer endpoints, a signed attribution and activation, the admin ' +
        'views and a reconciliation run, captured by pg_stat_statements and explained with `EXPLAIN (GENERIC_PLAN)` ' +
        '(the plan for any parameter values). A Seq Scan on a large table fails the run.',
      '',
      `Statements: ${captured.length}; sequential scans of large tables: ${offenders.length}; not explainable: ${captured.filter((c) => c.error).length}.`,
      '',
      '| calls | statement | plan |',
      '|---:|---|---|',
      ...captured.map(
        (c) =>
          `| ${c.calls} | \`${c.query.slice(0, 160).replace(/\|/g, '\\|')}${c.query.length > 160 ? '…' : ''}\` | ${
            c.error ? `_not explainable: ${c.error.replace(/\|/g, '\\|')}_` : c.plan!.replace(/\|/g, '\\|')
          }${c.seqScans.length ? ' **← SEQ SCAN**' : ''} |`,
      ),
      '',
    ];
    await mkdir('bench/results', { recursive: true });
    await writeFile('bench/results/query-plans.md', lines.join('\n'));
    console.log(lines.slice(0, 8).join('\n'));
    for (const o of offenders) console.log(`SEQ SCAN (${o.seqScans.join(', ')}): ${o.query}\n  ${o.plan}\n`);
    for (const o of captured.filter((c) => c.error))
      console.log(`NOT EXPLAINED: ${o.query.slice(0, 200)}\n  ${o.error}\n`);
    process.exitCode = offenders.length ? 1 : 0;
  } finally {
    await server.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
