import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { customerCreated, sendBillingEvent, serviceActivated } from '../support/billing.js';
import { RUNS, sast, type RunRecord } from '../reconciliation/scenario.js';

/**
 * SPEC's whole story, end to end over HTTP: signed billing webhooks in, real JWTs for the
 * customer app and the admin portal, the reconciliation run through its admin endpoint.
 *
 * Referrer: billing day 1, R799.00. Two friends sign up with the code on 10 January 2026 and
 * activate on 12 January (A). The 30-day hold ends at A+30 = 11 February; the reward is earned
 * then and applied to the referrer's next cycle, 1–31 March.
 */
let t: TestApp;
const referrerId = 'cus_story_referrer';
const friends = ['cus_story_friend_1', 'cus_story_friend_2'];
const admin = bearer(adminToken(['referrals:view', 'reconciliation:run'], 'admin-story'));
const referrer = bearer(customerToken(referrerId));

async function billing(event: ReturnType<typeof customerCreated>) {
  t.clock.set(new Date(new Date(event.occurredAt).getTime() + 5 * 60_000));
  const res = await sendBillingEvent(t.server, event, { at: t.clock.now() });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ received: true, duplicate: false });
}

async function run(asOf: string, at = '02:00'): Promise<RunRecord> {
  t.clock.set(sast(asOf, at));
  const res = await request(t.server).post(RUNS).set(admin).send({ asOf }).expect(201);
  const body = res.body as RunRecord;
  expect(body).toMatchObject({ asOf, trigger: 'manual', dryRun: false, status: 'succeeded' });
  return body;
}

const zeros = {
  referralsExpired: 0,
  referralsQualified: 0,
  referralsCancelled: 0,
  rewardsEarned: 0,
  rewardsApplied: 0,
  rewardsExpired: 0,
};

beforeAll(async () => {
  t = await startTestApp({ now: sast('2025-12-01', '08:00') });
});
afterAll(() => t.close());

describe('a referrer, two friends, and a free month', () => {
  let code: string;

  it('the referrer joins, activates a R799.00 service billed on the 1st, and gets a code', async () => {
    await billing(
      customerCreated(
        { customerId: referrerId, name: 'Lerato Mokoena', email: 'lerato@example.org', phone: '0821234567' },
        sast('2025-12-01', '09:00'),
      ),
    );
    await billing(
      serviceActivated(
        referrerId,
        { serviceId: 'svc_story_referrer', monthlyPrice: '799.00', billingDay: 1 },
        sast('2025-12-01', '10:00'),
      ),
    );
    const res = await request(t.server).post('/api/customer/referrals').set(referrer).send({}).expect(201);
    code = res.body.referralCode;
    expect(code).toMatch(/^CT-REF-[0-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('two friends sign up with the code and activate their services two days later', async () => {
    for (const [i, id] of friends.entries()) {
      await billing(
        customerCreated(
          {
            customerId: id,
            name: `Friend ${i + 1}`,
            email: `friend${i + 1}@example.net`,
            referralCode: code.toLowerCase(),
            referralSource: 'url_param',
          },
          sast('2026-01-10', `1${i}:00`),
        ),
      );
    }
    for (const [i, id] of friends.entries()) {
      await billing(
        serviceActivated(
          id,
          { serviceId: `svc_story_friend_${i + 1}`, monthlyPrice: '599.00', billingDay: 15 },
          sast('2026-01-12', `1${i}:00`),
        ),
      );
    }
    t.clock.set(sast('2026-01-12', '18:00'));
    const res = await request(t.server).get('/api/customer/referrals').set(referrer).expect(200);
    expect(res.body.items.map((r: { status: string }) => r.status)).toEqual(['active', 'active']);
  });

  it('on A+29 the hold is not over: a run qualifies nothing', async () => {
    const r = await run('2026-02-10');
    expect(r.counts).toEqual(zeros);
  });

  it('on A+30 both referrals qualify and one reward is earned that day', async () => {
    const r = await run('2026-02-11');
    expect(r.counts).toEqual({ ...zeros, referralsQualified: 2, rewardsEarned: 1 });
    expect(r.creditsTotal).toBe('0.00');

    const referrals = await request(t.server).get('/api/customer/referrals').set(referrer).expect(200);
    expect(referrals.body.items.map((i: { status: string }) => i.status)).toEqual(['rewarded', 'rewarded']);
    for (const item of referrals.body.items) expect(item.qualifiedAt).toBe('2026-02-10T22:00:00.000Z');

    const balance = await request(t.server).get('/api/customer/referral-balance').set(referrer).expect(200);
    expect(balance.body.availableRewards).toBe(1);
    expect(balance.body.pendingRewards).toHaveLength(1);
    expect(balance.body.pendingRewards[0]).toMatchObject({
      rewardType: 'free_month',
      status: 'pending',
      earnedAt: '2026-02-10T22:00:00.000Z', // start of 11 February, SAST
      manuallyGranted: false,
    });
    expect(balance.body.appliedRewards).toEqual([]);
  });

  it('nothing is applied before the next cycle starts: a run on 28 February applies nothing', async () => {
    const r = await run('2026-02-28');
    expect(r.counts).toEqual(zeros);
    const notes = await request(t.server).get(`/api/admin/customers/${referrerId}/credit-notes`).set(admin).expect(200);
    expect(notes.body.items).toEqual([]);
  });

  it('on 1 March the free month is applied: a R799.00 credit note for 1–31 March', async () => {
    const r = await run('2026-03-01');
    expect(r.counts).toEqual({ ...zeros, rewardsApplied: 1 });
    expect(r.creditsTotal).toBe('799.00');

    const notes = await request(t.server).get(`/api/admin/customers/${referrerId}/credit-notes`).set(admin).expect(200);
    expect(notes.body.items).toHaveLength(1);
    const note = notes.body.items[0];
    expect(note).toMatchObject({
      number: 'CN-2026-00001',
      customerId: referrerId,
      serviceId: 'svc_story_referrer',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
      amountInclVat: '799.00',
      vatAmount: '104.22',
      amountExclVat: '694.78',
      vatRate: '15.00',
    });

    const balance = await request(t.server).get('/api/customer/referral-balance').set(referrer).expect(200);
    expect(balance.body.availableRewards).toBe(0);
    expect(balance.body.pendingRewards).toEqual([]);
    expect(balance.body.appliedRewards).toEqual([
      expect.objectContaining({
        serviceId: 'svc_story_referrer',
        periodStart: '2026-03-01',
        periodEnd: '2026-03-31',
        amountWaived: '799.00',
        creditNoteNumber: 'CN-2026-00001',
      }),
    ]);

    const outbox = await t.sql.query<{ type: string }>(
      "SELECT type FROM outbox_events WHERE type LIKE 'reward.%' ORDER BY created_at",
    );
    expect(outbox.rows.map((r) => r.type)).toEqual(['reward.earned', 'reward.applied']);
  });

  it('running 1 March again changes nothing and counts zeros', async () => {
    const r = await run('2026-03-01', '09:30');
    expect(r.counts).toEqual(zeros);
    expect(r.creditsTotal).toBe('0.00');
    expect((await t.sql.query('SELECT count(*)::int AS n FROM credit_notes')).rows[0].n).toBe(1);
  });

  it('the admin sees every run, newest first', async () => {
    const res = await request(t.server).get(RUNS).set(admin).expect(200);
    expect(res.body.items.map((r: RunRecord) => r.asOf)).toEqual([
      '2026-03-01',
      '2026-03-01',
      '2026-02-28',
      '2026-02-11',
      '2026-02-10',
    ]);
  });
});
