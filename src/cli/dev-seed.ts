/**
 * Gives a running development service a referrer to look at in the widget demo
 * (http://localhost:3000/widget/demo?customer=cus_demo_lerato): Lerato and five friends in
 * different states, dated relative to today so that the next steps lie ahead.
 *
 *   npm start                  # in one terminal
 *   npm run dev:seed           # in another (options: --url, default http://localhost:$PORT)
 *
 * Everything goes through the public interfaces, as in production: signed billing events, the
 * customer API, and the admin API (a reconciliation run for today, a goodwill grant), with
 * development tokens. Event ids and the grant's Idempotency-Key are fixed, so running it again
 * changes nothing.
 */
import { BusinessDate } from '#libs/ddd/index.js';
import { signDevToken, type DevIdentity } from '../platform/auth/dev-token.js';
import { loadConfig } from '../platform/config/config.js';
import { SIGNATURE_HEADER, signPayload } from '../platform/http/webhook-signature.js';

const REFERRER = 'cus_demo_lerato';

const args = process.argv.slice(2);
const urlAt = args.indexOf('--url');
const config = loadConfig(process.env, () => undefined);
const base = (urlAt >= 0 ? args[urlAt + 1] : undefined) ?? `http://localhost:${config.port}`;
const today = BusinessDate.ofInstant(new Date());
/** 10:00 SAST, `days` before today. */
const daysAgo = (days: number) => `${today.plusDays(-days).toString()}T08:00:00.000Z`;

const bearer = (identity: DevIdentity) => {
  const minted = signDevToken(config.jwt, identity, 600);
  if (!minted) throw new Error('JWT_SECRET is not set: cannot mint development tokens');
  return `Bearer ${minted.token}`;
};

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

async function sendEvent(id: string, type: string, occurredAt: string, data: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({ id: `evt_demo_seed_${id}`, type, occurredAt, data });
  const res = await fetch(`${base}/api/integrations/billing/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signPayload(config.billingWebhookSecret, body) },
    body,
  });
  if (!res.ok) throw new Error(`billing event ${type} (${id}) answered ${res.status}: ${await res.text()}`);
}

interface Friend {
  customerId: string;
  name: string;
  email: string;
  signedUp: number;
  /** Days ago the friend's service was activated; undefined: not connected. */
  connected?: number;
  what: string;
}

const FRIENDS: Friend[] = [
  {
    customerId: 'cus_demo_sipho',
    name: 'Sipho Dlamini',
    email: 'sipho.dlamini@example.net',
    signedUp: 45,
    connected: 40,
    what: 'qualified (connected 40 days ago): waiting for a second friend',
  },
  {
    customerId: 'cus_demo_thabo',
    name: 'Thabo Nkosi',
    email: 'thabo.nkosi@example.net',
    signedUp: 20,
    connected: 12,
    what: 'connected 12 days ago: counts in 18 days if the service stays active',
  },
  {
    customerId: 'cus_demo_ayanda',
    name: 'Ayanda Zulu',
    email: 'ayanda.zulu@example.net',
    signedUp: 6,
    what: 'signed up 6 days ago: must be connected within 30 days of signing up',
  },
  {
    customerId: 'cus_demo_kim',
    name: 'Kim Naidoo',
    email: 'kim.naidoo@mailinator.com',
    signedUp: 3,
    what: 'a disposable e-mail address: flagged for review',
  },
  {
    customerId: 'cus_demo_naledi',
    name: 'Naledi Khumalo',
    email: 'naledi.khumalo@example.net',
    signedUp: 70,
    what: 'signed up 70 days ago and never connected: expired',
  },
];

async function main(): Promise<void> {
  const customer = { Authorization: bearer({ role: 'customer', customerId: REFERRER }) };
  const admin = {
    Authorization: bearer({ role: 'admin', sub: 'dev-seed', permissions: ['referrals:manage', 'reconciliation:run'] }),
  };

  await sendEvent('lerato_created', 'customer.created', daysAgo(120), {
    customerId: REFERRER,
    name: 'Lerato Mokoena',
    email: 'lerato.mokoena@example.net',
  });
  await sendEvent('lerato_service', 'service.activated', daysAgo(120), {
    customerId: REFERRER,
    serviceId: 'svc_demo_lerato',
    monthlyPrice: '799.00',
    billingDay: 1,
  });
  const { referralCode } = (await call('POST', '/api/customer/referrals', customer)) as { referralCode: string };

  for (const f of FRIENDS) {
    await sendEvent(`${f.customerId}_created`, 'customer.created', daysAgo(f.signedUp), {
      customerId: f.customerId,
      name: f.name,
      email: f.email,
      referralCode,
      referralSource: 'url_param',
    });
    if (f.connected !== undefined) {
      await sendEvent(`${f.customerId}_service`, 'service.activated', daysAgo(f.connected), {
        customerId: f.customerId,
        serviceId: f.customerId.replace('cus_', 'svc_'),
        monthlyPrice: '599.00',
        billingDay: 15,
      });
    }
  }
  // Tonight's run, now: qualifies Sipho, expires Naledi.
  await call('POST', '/api/admin/reconciliation/runs', admin, { asOf: today.toString() });
  // A free month from the support team, so the widget has a reward and its expected credit to show.
  await call(
    'POST',
    `/api/admin/customers/${REFERRER}/referrals/grant`,
    { ...admin, 'Idempotency-Key': 'dev-seed-goodwill' },
    { reason: 'Development seed: a goodwill free month' },
  );

  process.stdout.write(
    [
      `Seeded ${REFERRER} (Lerato Mokoena, code ${referralCode}) at ${base}, as of ${today.toString()}:`,
      ...FRIENDS.map((f) => `  ${f.name} — ${f.what}`),
      '  one free month granted by support',
      `Open ${base}/widget/demo?customer=${REFERRER}`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`dev:seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
