import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/app.js';
import { uniqueId } from '../support/billing.js';

export async function referralOf(t: TestApp, referredId: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await t.sql.query('SELECT * FROM referrals WHERE referred_id = $1', [referredId]);
  return rows[0];
}

export interface SeededReferral {
  referrerId: string;
  referredId?: string;
  referredName?: string;
  referredEmail?: string;
  referredAt: string;
  status?: string;
  lifecycle?: string;
  review?: string;
  activatedAt?: string;
  serviceInterruptedAt?: string;
}

/** Inserts a referral row directly (for reads and nightly steps that need many rows or exact states). */
export async function seedReferral(t: TestApp, r: SeededReferral): Promise<string> {
  const id = randomUUID();
  const sastDate = (iso: string) => new Date(new Date(iso).getTime() + 2 * 3600_000).toISOString().slice(0, 10);
  const lifecycle = r.lifecycle ?? r.status ?? 'pending';
  await t.sql.query(
    `INSERT INTO referrals (id, referrer_id, referred_id, code, source, referred_name, referred_email, referred_at, referred_on,
                            status, lifecycle, review, service_id, activated_at, activated_on, service_interrupted_at)
     VALUES ($1, $2, $3, 'CT-REF-00000000', 'url_param', $4, $5, $6, $7::date, $8, $9, $10, $11, $12, $13::date, $14)`,
    [
      id,
      r.referrerId,
      r.referredId ?? uniqueId('cus'),
      r.referredName ?? 'Thandi Nkosi',
      r.referredEmail ?? `${uniqueId('t')}@example.com`,
      r.referredAt,
      sastDate(r.referredAt),
      r.status ?? lifecycle,
      lifecycle,
      r.review ?? 'none',
      r.activatedAt ? uniqueId('svc') : null,
      r.activatedAt ?? null,
      r.activatedAt ? sastDate(r.activatedAt) : null,
      r.serviceInterruptedAt ?? null,
    ],
  );
  if (lifecycle === 'qualified') {
    // Qualified referrals are in the Rewards ledger too (ReferralsQualified), as after a real run.
    await t.sql.query(
      `INSERT INTO reward_qualified_referrals (referral_id, referrer_id, qualified_at) VALUES ($1, $2, $3)`,
      [id, r.referrerId, r.activatedAt ?? r.referredAt],
    );
  }
  return id;
}
