/**
 * Walks two referrals from signup to a free-month credit note, through the real service over
 * HTTP — signed billing webhooks, real JWTs, the reconciliation's admin endpoint — and prints
 * what the referrer sees after each step.
 *
 *   npm run demo
 *
 * Runs on a throwaway embedded PostgreSQL in <project>/.data/demo-postgres (recreated each time
 * and deleted at the end; your dev data under .data/postgres is not touched). Reads `.env` like
 * every entry point; takes no arguments but --help. Business dates are
 * fixed: the referrer joins on 1 Dec 2025 (R799.00, billed on the 1st), two friends sign up
 * on 10 Jan 2026 and activate on 12 Jan; the reconciliation runs on 10 Feb (A+29), 11 Feb
 * (A+30), 28 Feb and 1 Mar 2026.
 */
import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../bootstrap.js';
import { signDevToken, type DevIdentity } from '../platform/auth/dev-token.js';
import { loadConfig } from '../platform/config/config.js';
import { loadDotEnv } from '../platform/config/env-file.js';
import { projectRoot } from '../platform/config/project-root.js';
import { startEmbeddedPostgres } from '../platform/database/embedded-postgres.js';
import { resolveDatabase } from '../platform/database/resolve-database.js';
import { SIGNATURE_HEADER, signPayload } from '../platform/http/webhook-signature.js';

const DATA_DIR = path.join(projectRoot(), '.data', 'demo-postgres');
const REFERRER = 'cus_demo_lerato';
const FRIENDS = [
  { customerId: 'cus_demo_thabo', name: 'Thabo Nkosi', email: 'thabo.nkosi@example.net', serviceId: 'svc_demo_thabo' },
  {
    customerId: 'cus_demo_ayanda',
    name: 'Ayanda Zulu',
    email: 'ayanda.zulu@example.net',
    serviceId: 'svc_demo_ayanda',
  },
];

const out = (text = '') => process.stdout.write(`${text}\n`);
const json = (value: unknown) => JSON.stringify(value, null, 2).replace(/^/gm, '    ');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    out('usage: npm run demo   (two referrals from signup to a free month, on a throwaway database)');
    return;
  }
  loadDotEnv();
  await rm(DATA_DIR, { recursive: true, force: true });
  const embedded = await startEmbeddedPostgres({ dataDir: DATA_DIR, persistent: false });
  const config = loadConfig(
    {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: embedded.url,
      OUTBOX_RELAY_ENABLED: 'false',
      SCHEDULER_ENABLED: 'false',
      OUTBOUND_WEBHOOK_URL: undefined,
      LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'silent',
    },
    () => undefined,
  );
  const database = await resolveDatabase(config, () => undefined);
  const app = await createApp({ ...config, databaseUrl: database.url });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

  const token = (identity: DevIdentity) => signDevToken(config.jwt, identity, 3600)!.token;
  const referrerAuth = { Authorization: `Bearer ${token({ role: 'customer', customerId: REFERRER })}` };
  const adminAuth = {
    Authorization: `Bearer ${token({ role: 'admin', sub: 'admin-demo', permissions: ['referrals:view', 'reconciliation:run'] })}`,
  };

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- printed JSON of any shape
  async function call(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<any> {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  let eventSeq = 0;
  async function billing(type: string, occurredAt: string, data: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify({ id: `evt_demo_${++eventSeq}`, type, occurredAt, data });
    const res = await fetch(`${base}/api/integrations/billing/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: signPayload(config.billingWebhookSecret, body),
      },
      body,
    });
    if (!res.ok) throw new Error(`billing event ${type} answered ${res.status}: ${await res.text()}`);
  }

  async function referrerSees(): Promise<void> {
    const referrals = await call('GET', '/api/customer/referrals', referrerAuth);
    out('  GET /api/customer/referrals');
    out(json(referrals));
    const balance = await call('GET', '/api/customer/referral-balance', referrerAuth);
    out('  GET /api/customer/referral-balance');
    out(json(balance));
  }

  async function reconcile(asOf: string, why: string): Promise<void> {
    const run = await call('POST', '/api/admin/reconciliation/runs', adminAuth, { asOf });
    out(`  POST /api/admin/reconciliation/runs {"asOf":"${asOf}"} — ${why}`);
    out(`    status ${run.status}; counts ${JSON.stringify(run.counts)}; creditsTotal R${run.creditsTotal}`);
  }

  const step = (n: number, date: string, title: string) => {
    out();
    out(`── Step ${n} · ${date} · ${title} ${'─'.repeat(Math.max(0, 60 - title.length))}`);
  };

  try {
    out('CircleTel Referral & Rewards — demo: two referrals, from signup to a free month');
    out(`(service at ${base}, throwaway database in ${path.relative(process.cwd(), DATA_DIR)})`);

    step(1, '2025-12-01', 'Lerato joins CircleTel');
    await billing('customer.created', '2025-12-01T07:00:00.000Z', {
      customerId: REFERRER,
      name: 'Lerato Mokoena',
      email: 'lerato.mokoena@example.org',
      phone: '0821234567',
    });
    await billing('service.activated', '2025-12-01T08:00:00.000Z', {
      customerId: REFERRER,
      serviceId: 'svc_demo_lerato',
      monthlyPrice: '799.00',
      billingDay: 1,
    });
    out('  billing: customer.created, service.activated (R799.00 a month, billed on the 1st)');
    const code = await call('POST', '/api/customer/referrals', referrerAuth, {});
    out('  POST /api/customer/referrals — Lerato asks the app for her referral code');
    out(json(code));

    step(2, '2026-01-10', 'two friends sign up with her code');
    for (const f of FRIENDS) {
      await billing('customer.created', '2026-01-10T08:00:00.000Z', {
        customerId: f.customerId,
        name: f.name,
        email: f.email,
        referralCode: code.referralCode,
        referralSource: 'url_param',
      });
      out(`  billing: customer.created ${f.name} with referralCode ${code.referralCode}`);
    }
    await referrerSees();

    step(3, '2026-01-12', 'both friends are connected');
    for (const f of FRIENDS) {
      await billing('service.activated', '2026-01-12T10:00:00.000Z', {
        customerId: f.customerId,
        serviceId: f.serviceId,
        monthlyPrice: '599.00',
        billingDay: 15,
      });
      out(`  billing: service.activated for ${f.name} — the 30-day hold starts (A = 2026-01-12)`);
    }
    await referrerSees();

    step(4, '2026-02-10', 'nightly run at A+29: the hold is not over');
    await reconcile('2026-02-10', 'nothing qualifies yet');

    step(5, '2026-02-11', 'nightly run at A+30: both referrals qualify');
    await reconcile('2026-02-11', 'two qualified referrals earn one free month');
    await referrerSees();

    step(6, '2026-02-28', 'nightly run: the next billing cycle has not started');
    await reconcile('2026-02-28', 'the free month waits for the cycle starting 1 March');

    step(7, '2026-03-01', 'nightly run on the cycle start: the free month is applied');
    await reconcile('2026-03-01', 'a R799.00 credit note for 1–31 March');
    await referrerSees();
    const notes = await call('GET', `/api/admin/customers/${REFERRER}/credit-notes`, adminAuth);
    out(`  GET /api/admin/customers/${REFERRER}/credit-notes — what the billing system posts`);
    out(json(notes));
    out('  (issuedAt / appliedAt are the real moment the note was issued — now; the business dates above are fixed)');

    step(8, '2026-03-01', 'the same night run again');
    await reconcile('2026-03-01', 'idempotent: nothing changes');
    out();
    out('Done.');
  } finally {
    await app.close();
    await database.stop();
    await embedded.stop();
    await rm(DATA_DIR, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
