import { randomUUID } from 'node:crypto';
import { ReferralsQualified } from '#libs/contracts/index.js';
import { Db } from '../../src/platform/database/db.js';
import { IntegrationEventBus } from '../../src/platform/messaging/integration-event-bus.js';
import type { TestApp } from '../support/app.js';
import { serviceActivated, uniqueId } from '../support/billing.js';
import { billing, rows } from '../support/builders.js';

export async function anotherService(
  t: TestApp,
  customerId: string,
  opts: { activatedAt: string; monthlyPrice: string; billingDay?: number },
): Promise<string> {
  const serviceId = uniqueId('svc');
  await billing(
    t,
    serviceActivated(
      customerId,
      { serviceId, monthlyPrice: opts.monthlyPrice, billingDay: opts.billingDay ?? 1 },
      opts.activatedAt,
    ),
  );
  return serviceId;
}

/**
 * Referrals of `referrerId` that qualified at the given instants: the referral rows (as the
 * Referrals context keeps them) plus the ReferralsQualified event that feeds the Rewards ledger.
 */
export async function qualifiedReferrals(t: TestApp, referrerId: string, qualifiedAts: string[]): Promise<string[]> {
  const items = qualifiedAts.map((at) => ({ referralId: randomUUID(), referrerId, qualifiedAt: new Date(at) }));
  for (const i of items) {
    const referredAt = new Date(i.qualifiedAt.getTime() - 40 * 86_400_000);
    const activatedAt = new Date(i.qualifiedAt.getTime() - 31 * 86_400_000);
    await t.sql.query(
      `INSERT INTO referrals (id, referrer_id, referred_id, code, source, referred_name, referred_email, referred_at, referred_on,
                              status, lifecycle, review, service_id, activated_at, activated_on, qualified_at)
       VALUES ($1, $2, $3, 'CT-REF-00000000', 'url_param', 'Thandi Nkosi', $4, $5, ($5::timestamptz AT TIME ZONE 'Africa/Johannesburg')::date,
               'qualified', 'qualified', 'none', $6, $7, ($7::timestamptz AT TIME ZONE 'Africa/Johannesburg')::date, $8)`,
      [
        i.referralId,
        referrerId,
        uniqueId('cus'),
        `${uniqueId('t')}@example.com`,
        referredAt,
        uniqueId('svc'),
        activatedAt,
        i.qualifiedAt,
      ],
    );
  }
  const host = t.get<Db>(Db);
  const bus = t.get<IntegrationEventBus>(IntegrationEventBus);
  await host.transaction(() =>
    bus.publish(new ReferralsQualified(new Date(qualifiedAts[qualifiedAts.length - 1]!), items)),
  );
  return items.map((i) => i.referralId);
}

export async function rewardsOf(t: TestApp, customerId: string) {
  return rows<{
    id: string;
    status: string;
    earned_on: string;
    earned_at: Date;
    expires_at: Date;
    manually_granted: boolean;
    credit_note_id: string | null;
  }>(
    t,
    `SELECT id, status, to_char(earned_on, 'YYYY-MM-DD') AS earned_on, earned_at, expires_at, manually_granted, credit_note_id
       FROM rewards WHERE customer_id = $1 ORDER BY earned_at, id`,
    [customerId],
  );
}

export async function creditNotesOf(t: TestApp, customerId: string) {
  return rows<{
    number: string;
    service_id: string;
    reward_id: string;
    period_start: string;
    period_end: string;
    incl: string;
    vat: string;
    excl: string;
  }>(
    t,
    `SELECT number, service_id, reward_id::text, to_char(period_start, 'YYYY-MM-DD') AS period_start,
            to_char(period_end, 'YYYY-MM-DD') AS period_end, amount_incl_vat_cents::text AS incl,
            vat_amount_cents::text AS vat, amount_excl_vat_cents::text AS excl
       FROM credit_notes WHERE customer_id = $1 ORDER BY period_start`,
    [customerId],
  );
}

export async function outboxTypes(t: TestApp, customerId: string): Promise<string[]> {
  const r = await rows<{ type: string }>(
    t,
    `SELECT type FROM outbox_events WHERE payload->>'customerId' = $1 ORDER BY occurred_at, type`,
    [customerId],
  );
  return r.map((x) => x.type);
}
