import request from 'supertest';
import { ApplyDueRewards, EarnRewards, QualifyOrCancelActiveReferrals } from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { customerCreated, serviceActivated, uniqueId } from '../support/billing.js';
import { runStep } from '../support/nightly.js';
import { saMobile } from '../fraud/fraud-support.js';
import { aReferrer, billing } from '../support/builders.js';
import { aCustomerWithService } from '../support/builders.js';

const NOW = '2026-06-15T10:00:00.000Z';

/** GET /api/admin/reports/programme?from=&to= (SPEC §14): per SAST month, counters, credits and liability. */
describe('Admin programme report', () => {
  let t: TestApp;
  const view = bearer(adminToken(['referrals:view']));
  const manage = bearer(adminToken(['referrals:manage', 'referrals:view'], 'admin-5'));
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
  });
  afterAll(() => t.close());

  const report = (from: string, to: string, headers = view) =>
    request(t.server).get('/api/admin/reports/programme').query({ from, to }).set(headers);
  const at = async <T>(iso: string, fn: () => Promise<T>): Promise<T> => {
    t.clock.set(iso);
    try {
      return await fn();
    } finally {
      t.clock.set(NOW);
    }
  };
  const signUp = (code: string, occurredAt: string, data: Record<string, unknown> = {}) => {
    const customerId = uniqueId('cus');
    return billing(t, customerCreated({ customerId, phone: saMobile(), referralCode: code, ...data }, occurredAt)).then(
      () => customerId,
    );
  };
  const zeroCredits = { inclVat: '0.00', vat: '0.00', exclVat: '0.00' };
  const quiet = {
    codesCreated: 0,
    referralsAttributed: 0,
    flagged: 0,
    rejected: 0,
    activated: 0,
    qualified: 0,
    rewardsEarned: 0,
    rewardsGranted: 0,
    rewardsRevoked: 0,
    rewardsExpired: 0,
    rewardsApplied: 0,
    credits: zeroCredits,
  };

  describe('a quarter of the programme (January–March 2026)', () => {
    beforeAll(async () => {
      const r1 = await aReferrer(t);
      const r2 = await aReferrer(t, {}, { active: false });
      // Codes are created by the wall clock: backdated to January here.
      await t.sql.query(`UPDATE referral_codes SET created_at = '2026-01-05T08:00:00Z' WHERE customer_id = $1`, [
        r1.customerId,
      ]);
      await t.sql.query(`UPDATE referral_codes SET created_at = '2026-01-31T21:59:59Z' WHERE customer_id = $1`, [
        r2.customerId,
      ]);

      const f1 = await signUp(r1.code, '2026-01-10T06:00:00.000Z');
      const f2 = await signUp(r1.code, '2026-01-10T06:00:00.000Z');
      const f3 = await signUp(r1.code, '2026-01-31T21:30:00.000Z'); // 31 Jan 23:30 SAST
      await signUp(r1.code, '2026-01-31T22:30:00.000Z'); // 1 Feb 00:30 SAST
      await signUp(r1.code, '2026-01-20T08:00:00.000Z', { email: `${uniqueId('d').toLowerCase()}@mailinator.com` }); // flagged
      await signUp(r2.code, '2026-01-21T08:00:00.000Z'); // rejected: REFERRER_INACTIVE
      await billing(t, serviceActivated(f1, {}, '2026-01-12T08:00:00.000Z'));
      await billing(t, serviceActivated(f2, {}, '2026-01-12T08:00:00.000Z'));
      await billing(t, serviceActivated(f3, {}, '2026-02-02T08:00:00.000Z'));
      await runStep(t, QualifyOrCancelActiveReferrals, '2026-02-11');
      await runStep(t, EarnRewards, '2026-02-11');
      await at('2026-03-01T01:00:00.000Z', () => runStep(t, ApplyDueRewards, '2026-03-01'));
      const granted = await at('2026-03-05T10:00:00.000Z', () =>
        request(t.server)
          .post(`/api/admin/customers/${r1.customerId}/referrals/grant`)
          .set(manage)
          .send({ reason: 'Goodwill after an outage' }),
      );
      await at('2026-03-06T10:00:00.000Z', () =>
        request(t.server)
          .post(`/api/admin/customers/${r1.customerId}/referrals/revoke`)
          .set(manage)
          .send({ rewardId: granted.body.rewardId, reason: 'Granted twice by mistake' }),
      );
    });

    it('when the quarter is reported, then each SAST month counts what happened in it, and the totals add the months up', async () => {
      const res = await report('2026-01-01', '2026-03-31');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        from: '2026-01-01',
        to: '2026-03-31',
        months: [
          {
            ...quiet,
            month: '2026-01',
            codesCreated: 2,
            referralsAttributed: 5,
            flagged: 1,
            rejected: 1,
            activated: 2,
            liabilityAtMonthEnd: { pendingRewards: 0, amount: '0.00', asOf: '2026-01-31' },
          },
          {
            ...quiet,
            month: '2026-02',
            referralsAttributed: 1,
            activated: 1,
            qualified: 2,
            rewardsEarned: 1,
            liabilityAtMonthEnd: { pendingRewards: 1, amount: '799.00', asOf: '2026-02-28' },
          },
          {
            ...quiet,
            month: '2026-03',
            rewardsGranted: 1,
            rewardsRevoked: 1,
            rewardsApplied: 1,
            credits: { inclVat: '799.00', vat: '104.22', exclVat: '694.78' },
            liabilityAtMonthEnd: { pendingRewards: 0, amount: '0.00', asOf: '2026-03-31' },
          },
        ],
        totals: {
          codesCreated: 2,
          referralsAttributed: 6,
          flagged: 1,
          rejected: 1,
          activated: 3,
          qualified: 2,
          rewardsEarned: 1,
          rewardsGranted: 1,
          rewardsRevoked: 1,
          rewardsExpired: 0,
          rewardsApplied: 1,
          credits: { inclVat: '799.00', vat: '104.22', exclVat: '694.78' },
        },
      });
    });

    it('when the period starts or ends inside a month, then that month counts only its days within the period', async () => {
      const res = await report('2026-01-11', '2026-02-10');
      expect(res.body.months.map((m: { month: string }) => m.month)).toEqual(['2026-01', '2026-02']);
      // 10 January's two signups and the 12 January activations: only the activations are inside.
      expect(res.body.months[0]).toMatchObject({ referralsAttributed: 3, activated: 2, codesCreated: 1 });
      expect(res.body.months[1]).toMatchObject({
        referralsAttributed: 1,
        qualified: 0,
        liabilityAtMonthEnd: { pendingRewards: 0, amount: '0.00', asOf: '2026-02-10' },
      });
    });
  });

  describe('the liability of pending rewards', () => {
    it('when two rewards are pending at the end of April, then the liability is their expected credit from the same planner as the customer’s balance, and it stays the same once they are issued', async () => {
      const { customerId } = await aCustomerWithService(t, {
        monthlyPrice: '499.00',
        billingDay: 15,
        activatedAt: '2025-10-15T08:00:00.000Z',
      });
      for (const reason of ['Goodwill one', 'Goodwill two']) {
        await at('2026-04-10T10:00:00.000Z', () =>
          request(t.server).post(`/api/admin/customers/${customerId}/referrals/grant`).set(manage).send({ reason }),
        );
      }
      const balance = await at('2026-04-30T12:00:00.000Z', () =>
        request(t.server)
          .get('/api/customer/referral-balance')
          .set(bearer(customerToken(customerId))),
      );
      const expected = balance.body.pendingRewards.map(
        (r: { expectedCredit: { periodStart: string; amount: string } }) => r.expectedCredit,
      );
      expect(expected.map((e: { periodStart: string; amount: string }) => [e.periodStart, e.amount])).toEqual([
        ['2026-04-15', '499.00'],
        ['2026-05-15', '499.00'],
      ]);

      const before = await report('2026-04-01', '2026-04-30');
      expect(before.body.months[0]).toMatchObject({
        rewardsGranted: 2,
        liabilityAtMonthEnd: { pendingRewards: 2, amount: '998.00', asOf: '2026-04-30' },
      });

      // The nightly runs then issue exactly those credits (by the wall clock, in June).
      await runStep(t, ApplyDueRewards, '2026-05-15');
      const { rows } = await t.sql.query(
        'SELECT period_start::text, amount_incl_vat_cents::text FROM credit_notes WHERE customer_id = $1 ORDER BY period_start',
        [customerId],
      );
      expect(rows).toEqual([
        { period_start: '2026-04-15', amount_incl_vat_cents: '49900' },
        { period_start: '2026-05-15', amount_incl_vat_cents: '49900' },
      ]);
      const after = await report('2026-04-01', '2026-04-30');
      expect(after.body.months[0].liabilityAtMonthEnd).toEqual(before.body.months[0].liabilityAtMonthEnd);
    });

    it('when a month is not over yet, then its liability is measured as of today', async () => {
      const res = await report('2026-06-01', '2026-06-30');
      expect(res.body.months[0].liabilityAtMonthEnd.asOf).toBe('2026-06-15');
    });
  });

  it('when credit notes add up beyond what a double holds exactly, then the credits are still exact to the cent', async () => {
    for (const [seq, cents] of [
      [1, 4503599627370497n],
      [2, 4503599627370496n],
    ] as const) {
      await t.sql.query(
        `INSERT INTO credit_notes (id, number, year, sequence, customer_id, service_id, reward_id, period_start, period_end,
                                   amount_incl_vat_cents, vat_amount_cents, amount_excl_vat_cents, vat_rate_basis_points, issued_at)
         VALUES (gen_random_uuid(), $1, 2041, $2, 'cus_big', $3, gen_random_uuid(), '2041-01-01', '2041-01-31', $4, 0, $4, 1500,
                 '2041-01-10T08:00:00Z')`,
        [`CN-2041-0000${seq}`, seq, `svc_big_${seq}`, cents.toString()],
      );
    }
    const res = await report('2041-01-01', '2041-01-31');
    expect(res.body.months[0].credits).toEqual({
      inclVat: '90071992547409.93',
      vat: '0.00',
      exclVat: '90071992547409.93',
    });
    expect(res.body.totals.credits.inclVat).toBe('90071992547409.93');
  });

  it('when the period touches exactly 36 months, then it is reported; 37 months is 400', async () => {
    const ok = await report('2023-01-31', '2025-12-01');
    expect(ok.status).toBe(200);
    expect(ok.body.months).toHaveLength(36);
    const tooLong = await report('2023-01-31', '2026-01-01');
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(tooLong.body.errors).toEqual([{ field: 'to', message: expect.stringContaining('37 months') }]);
  });

  it.each([
    ['no from', { to: '2026-01-31' }],
    ['no to', { from: '2026-01-01' }],
    ['to before from', { from: '2026-02-01', to: '2026-01-31' }],
    ['a date that does not exist', { from: '2026-02-29', to: '2026-03-31' }],
    ['a year outside 2000–2100', { from: '2026-01-01', to: '2101-01-01' }],
    ['a month for a date', { from: '2026-01', to: '2026-03' }],
  ])('when the request has %s, then 400 problem+json', async (_label, query) => {
    const res = await request(t.server).get('/api/admin/reports/programme').query(query).set(view);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('when the caller lacks referrals:view, then 403', async () => {
    expect((await report('2026-01-01', '2026-01-31', bearer(adminToken(['referrals:manage'])))).status).toBe(403);
  });
});
