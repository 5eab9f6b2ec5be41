import request from 'supertest';
import type { TestApp } from '../support/app.js';
import { aReferrer } from '../support/builders.js';
import { adminToken, bearer } from '../support/auth.js';
import {
  customerCreated,
  sendBillingEvent,
  serviceActivated,
  uniqueId,
  type BillingEvent,
} from '../support/billing.js';

/** A run record as the API returns it (SPEC §8). */
export interface RunRecord {
  id: string;
  asOf: string;
  trigger: 'schedule' | 'manual' | 'cli';
  dryRun: boolean;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  counts: {
    referralsExpired: number;
    referralsQualified: number;
    referralsCancelled: number;
    rewardsEarned: number;
    rewardsApplied: number;
    rewardsExpired: number;
  };
  creditsTotal: string;
  error?: string;
}

export const RUNS = '/api/admin/reconciliation/runs';
export const admin = () => bearer(adminToken(['referrals:view', 'reconciliation:run']));

/** The SAST instant of a date and time: at('2026-01-10', '08:00') = 2026-01-10T06:00:00.000Z. */
export function sast(date: string, time = '08:00'): string {
  return new Date(`${date}T${time}:00+02:00`).toISOString();
}

/**
 * Drives the service the way the billing system, the customer app and an admin do — signed
 * webhooks, real JWTs — moving the test clock to each moment first, so every request is signed
 * "now" and every run's asOf is today or earlier.
 */
export function scenario(t: TestApp) {
  const send = async (event: BillingEvent) => {
    t.clock.set(new Date(new Date(event.occurredAt).getTime() + 60_000));
    const res = await sendBillingEvent(t.server, event, { at: t.clock.now() });
    if (res.status !== 200) throw new Error(`${event.type} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };

  return {
    send,

    /** A customer with an active service (SPEC's referrer: billing day 1, R799.00) and a referral code. */
    async referrer(opts: { createdOn: string; activatedOn?: string; monthlyPrice?: string; billingDay?: number }) {
      const customerId = uniqueId('cus');
      const { serviceId, code } = await aReferrer(
        t,
        { customerId, name: 'Sipho Dlamini', email: `${customerId}@example.org` },
        {
          createdAt: sast(opts.createdOn, '09:00'),
          activatedAt: sast(opts.activatedOn ?? opts.createdOn, '10:00'),
          service: { monthlyPrice: opts.monthlyPrice ?? '799.00', billingDay: opts.billingDay ?? 1 },
          send: (_t, event) => send(event),
        },
      );
      return { customerId, serviceId: serviceId!, code };
    },

    /** A new customer signing up with a referral code. */
    async signup(code: string, on: string, time = '08:00') {
      const customerId = uniqueId('cus');
      await send(
        customerCreated(
          { customerId, referralCode: code, referralSource: 'url_param', email: `${customerId}@mail.example.net` },
          sast(on, time),
        ),
      );
      return customerId;
    },

    /** The referred customer's first service is activated. */
    async activate(customerId: string, on: string, overrides: Record<string, unknown> = {}) {
      const event = serviceActivated(customerId, overrides, sast(on, '12:00'));
      await send(event);
      return event.data.serviceId as string;
    },

    async billing(type: string, data: Record<string, unknown>, on: string, time = '12:00') {
      await send({ type, occurredAt: sast(on, time), data });
    },

    /** POST a run for asOf, at 02:00 SAST that day (the nightly time); expects 201. */
    async run(asOf: string, body: Record<string, unknown> = {}): Promise<RunRecord> {
      t.clock.set(sast(asOf, '02:00'));
      const res = await request(t.server)
        .post(RUNS)
        .set(admin())
        .send({ asOf, ...body });
      if (res.status !== 201) throw new Error(`run ${asOf} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body as RunRecord;
    },

    async referralsOf(customerId: string) {
      return (
        await t.sql.query<{
          referred_id: string;
          status: string;
          qualified_at: Date | null;
          expired_at: Date | null;
          cancelled_at: Date | null;
        }>(
          'SELECT referred_id, status, qualified_at, expired_at, cancelled_at FROM referrals WHERE referrer_id = $1 ORDER BY referred_at, id',
          [customerId],
        )
      ).rows;
    },

    async rewardsOf(customerId: string) {
      return (
        await t.sql.query<{ id: string; status: string; earned_at: Date; expires_at: Date; applied_at: Date | null }>(
          'SELECT id, status, earned_at, expires_at, applied_at FROM rewards WHERE customer_id = $1 ORDER BY earned_at, id',
          [customerId],
        )
      ).rows;
    },

    async creditNotesOf(customerId: string) {
      return (
        await t.sql.query<{ number: string; reward_id: string; amount_incl_vat_cents: string; period_start: string }>(
          `SELECT number, reward_id, amount_incl_vat_cents, to_char(period_start, 'YYYY-MM-DD') AS period_start
           FROM credit_notes WHERE customer_id = $1 ORDER BY number`,
          [customerId],
        )
      ).rows;
    },
  };
}

export type Scenario = ReturnType<typeof scenario>;
