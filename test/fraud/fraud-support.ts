import { randomInt } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from '../support/app.js';
import { bearer, customerToken } from '../support/auth.js';
import { customerCreated, sendBillingEvent, serviceActivated, uniqueId } from '../support/billing.js';

/** A valid, unique-enough South African mobile number in local format (`082 123 4567`). */
export function saMobile(): string {
  const n = randomInt(0, 10_000_000).toString().padStart(7, '0');
  return `082 ${n.slice(0, 3)} ${n.slice(3)}`;
}

export async function send(t: TestApp, event: Parameters<typeof sendBillingEvent>[1]): Promise<void> {
  const res = await sendBillingEvent(t.server, event, { at: t.clock.now() });
  if (res.status !== 200) throw new Error(`billing event ${event.type} answered ${res.status}: ${res.text}`);
}

/** A customer with an active service and a referral code. */
export async function aReferrer(
  t: TestApp,
  overrides: Record<string, unknown> = {},
  opts: { active?: boolean; createdAt?: string } = {},
): Promise<{ customerId: string; code: string }> {
  const customerId = uniqueId('ref');
  await send(
    t,
    customerCreated({ customerId, name: 'Thandi Nkosi', ...overrides }, opts.createdAt ?? '2025-12-01T08:00:00.000Z'),
  );
  if (opts.active !== false) await send(t, serviceActivated(customerId, {}, '2025-12-02T08:00:00.000Z'));
  const res = await request(t.server)
    .post('/api/customer/referrals')
    .set(bearer(customerToken(customerId)))
    .send({});
  if (res.status !== 201 && res.status !== 200) throw new Error(`code creation answered ${res.status}: ${res.text}`);
  return { customerId, code: res.body.referralCode as string };
}

export interface Screened {
  customerId: string;
  referralId: string;
  outcome: string;
  rules: string[];
  status: string;
}

/** Signs up a referred customer with the code (a signed customer.created) and reads back the screening. */
export async function signUp(
  t: TestApp,
  code: string,
  occurredAt: string,
  overrides: Record<string, unknown> = {},
): Promise<Screened> {
  const customerId = (overrides.customerId as string) ?? uniqueId('cus');
  await send(t, customerCreated({ customerId, name: 'Lerato Mokoena', referralCode: code, ...overrides }, occurredAt));
  return screeningOf(t, customerId);
}

export async function screeningOf(t: TestApp, referredId: string): Promise<Screened> {
  const { rows } = await t.sql.query(
    `SELECT s.referral_id, s.outcome, r.status,
            COALESCE(array_agg(f.rule ORDER BY f.rule) FILTER (WHERE f.rule IS NOT NULL), '{}') AS rules
       FROM fraud_screenings s
       JOIN referrals r ON r.id = s.referral_id
       LEFT JOIN fraud_findings f ON f.referral_id = s.referral_id
      WHERE s.referred_id = $1
      GROUP BY s.referral_id, s.outcome, r.status`,
    [referredId],
  );
  if (rows.length !== 1) throw new Error(`expected one screening for ${referredId}, found ${rows.length}`);
  const row = rows[0] as { referral_id: string; outcome: string; status: string; rules: string[] };
  return {
    customerId: referredId,
    referralId: row.referral_id,
    outcome: row.outcome,
    rules: row.rules,
    status: row.status,
  };
}

/** `2026-03-01T08:00:00.000Z` plus n hours. */
export const hoursAfter = (iso: string, hours: number) =>
  new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString();
