import { randomInt } from 'node:crypto';
import type { TestApp } from '../support/app.js';
import { aSignupWith } from '../support/builders.js';

/** A valid, unique-enough South African mobile number in local format (`082 123 4567`). */
export function saMobile(): string {
  const n = randomInt(0, 10_000_000).toString().padStart(7, '0');
  return `082 ${n.slice(0, 3)} ${n.slice(3)}`;
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
  const customerId = await aSignupWith(t, code, occurredAt, { name: 'Lerato Mokoena', ...overrides });
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
