import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ApplyDueRewards, EarnRewards, QualifyOrCancelActiveReferrals } from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer } from '../support/auth.js';
import { customerCreated, serviceActivated, uniqueId, type BillingEvent } from '../support/billing.js';
import { runStep } from '../support/nightly.js';
import { saMobile } from '../fraud/fraud-support.js';
import { aReferrer, billing } from '../support/builders.js';

/** GET /api/admin/referrals/{id}/explain (SPEC §12): the full decision trail, replayed from stored rows. */
describe('Admin explains a referral', () => {
  let t: TestApp;
  const view = bearer(adminToken(['referrals:view']));
  const manage = bearer(adminToken(['referrals:manage', 'referrals:view'], 'admin-3'));
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T10:00:00.000Z' });
  });
  afterAll(() => t.close());

  const explain = (id: string, headers = view) =>
    request(t.server).get(`/api/admin/referrals/${id}/explain`).set(headers);

  /** Sends a billing event with a known id; returns the id. */
  async function deliver(event: BillingEvent): Promise<string> {
    const id = uniqueId('evt');
    await billing(t, { ...event, id });
    return id;
  }

  async function referralIdOf(referredId: string): Promise<string> {
    const { rows } = await t.sql.query<{ id: string }>('SELECT id FROM referrals WHERE referred_id = $1', [referredId]);
    return rows[0]!.id;
  }

  it('when a referral went from signup to a credit note, then every fact, rule, change (with who made it), the reward and its credit note are shown', async () => {
    const referrer = await aReferrer(t);
    const friends = [uniqueId('cus'), uniqueId('cus')];
    const signups: string[] = [];
    const activations: string[] = [];
    for (const id of friends) {
      signups.push(
        await deliver(
          customerCreated(
            { customerId: id, name: 'Ayanda Zulu', phone: saMobile(), referralCode: referrer.code },
            '2026-01-10T06:00:00.000Z',
          ),
        ),
      );
      activations.push(await deliver(serviceActivated(id, { serviceId: `svc_${id}` }, '2026-01-12T08:00:00.000Z')));
    }
    const [qualifyRun, earnRun, applyRun] = [randomUUID(), randomUUID(), randomUUID()];
    await runStep(t, QualifyOrCancelActiveReferrals, '2026-02-11', { runId: qualifyRun });
    await runStep(t, EarnRewards, '2026-02-11', { runId: earnRun });
    await runStep(t, ApplyDueRewards, '2026-03-01', { runId: applyRun });
    const id = await referralIdOf(friends[0]!);

    const res = await explain(id);

    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.referral).toEqual({
      id,
      referrerId: referrer.customerId,
      referredId: friends[0],
      referredName: 'Ayanda Zulu',
      status: 'rewarded',
      lifecycle: 'rewarded',
      review: 'none',
      statusReason: null,
      source: null,
      code: referrer.code,
      referredAt: '2026-01-10T06:00:00.000Z',
      activatedAt: '2026-01-12T08:00:00.000Z',
      qualifiedAt: '2026-02-10T22:00:00.000Z',
      expiredAt: null,
      cancelledAt: null,
      rejectedAt: null,
      rewardedAt: '2026-02-10T22:00:00.000Z',
      nextStep: null,
    });
    expect(body.facts).toEqual([
      {
        what: 'customer_created',
        at: '2026-01-10T06:00:00.000Z',
        sourceEventId: signups[0],
        detail: {
          eventType: 'customer.created',
          customerId: friends[0],
          referralCode: referrer.code,
          source: null,
          referredOn: '2026-01-10',
          activateBy: '2026-02-09',
        },
      },
      {
        what: 'service_activated',
        at: '2026-01-12T08:00:00.000Z',
        sourceEventId: activations[0],
        detail: {
          eventType: 'service.activated',
          serviceId: `svc_${friends[0]}`,
          activatedOn: '2026-01-12',
          activateBy: '2026-02-09',
          inTime: true,
          qualifiesOn: '2026-02-11',
        },
      },
    ]);
    expect(body.fraudRules.map((r: { rule: string; outcome: string }) => [r.rule, r.outcome])).toEqual([
      ['SELF_REFERRAL', 'pass'],
      ['REFERRER_INACTIVE', 'pass'],
      ['DUPLICATE_REFERRAL', 'pass'],
      ['MONTHLY_LIMIT', 'pass'],
      ['EXISTING_CUSTOMER_MATCH', 'pass'],
      ['SHARED_IP', 'pass'],
      ['DISPOSABLE_EMAIL', 'pass'],
      ['BURST', 'pass'],
    ]);
    expect(body.fraudRules[3]).toEqual({
      rule: 'MONTHLY_LIMIT',
      outcome: 'pass',
      detail: 'referrer had 0 non-rejected referrals in 2026-01 (SAST) before this one; the limit is 10',
      evidence: { month: '2026-01', timezone: 'Africa/Johannesburg', nonRejectedBefore: 0, limit: 10 },
    });
    expect(body.unrecordedRules).toEqual([]);
    expect(body.review).toBeNull();
    expect(
      body.history.map((h: { what: string; from: string; to: string; by: unknown }) => [h.what, h.from, h.to, h.by]),
    ).toEqual([
      ['attributed', null, 'pending', { kind: 'billing_event', id: signups[0] }],
      ['activated', 'pending', 'active', { kind: 'billing_event', id: activations[0] }],
      ['qualified', 'active', 'qualified', { kind: 'run', id: qualifyRun }],
      ['rewarded', 'qualified', 'rewarded', { kind: 'run', id: earnRun }],
    ]);
    const [{ rewardId }] = (await t.sql.query('SELECT reward_id AS "rewardId" FROM referrals WHERE id = $1', [id]))
      .rows;
    expect(body.reward).toEqual({
      id: rewardId,
      status: 'applied',
      earnedAt: '2026-02-10T22:00:00.000Z',
      expiresAt: '2027-02-10T22:00:00.000Z',
      manuallyGranted: false,
    });
    expect(body.creditNote).toMatchObject({
      rewardId,
      customerId: referrer.customerId,
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
      amountInclVat: '799.00',
      vatAmount: '104.22',
      amountExclVat: '694.78',
      vatRate: '15.00',
      number: expect.stringMatching(/^CN-2026-\d{5}$/),
    });
  });

  it('when it is asked again a day later, then the answer is the same (replayed from stored rows, not judged against today)', async () => {
    const referrer = await aReferrer(t);
    const friend = uniqueId('cus');
    await deliver(
      customerCreated(
        { customerId: friend, phone: saMobile(), referralCode: referrer.code },
        '2026-06-01T08:00:00.000Z',
      ),
    );
    const id = await referralIdOf(friend);
    const today = await explain(id);
    t.clock.set('2026-07-30T10:00:00.000Z');
    try {
      const later = await explain(id);
      expect(later.status).toBe(200);
      expect(later.body).toEqual(today.body);
      expect(today.body.referral.nextStep).toEqual({ kind: 'activate_by', on: '2026-07-01' });
    } finally {
      t.clock.set('2026-06-15T10:00:00.000Z');
    }
  });

  it('when a flagged referral was approved and then its service was suspended before A+30, then the flag, the review and the interruption explain why it was cancelled', async () => {
    const referrer = await aReferrer(t);
    const friend = uniqueId('cus');
    const disposable = `${friend.toLowerCase()}@mailinator.com`;
    const signup = await deliver(
      customerCreated(
        { customerId: friend, email: disposable, phone: saMobile(), referralCode: referrer.code },
        '2026-04-01T08:00:00.000Z',
      ),
    );
    const id = await referralIdOf(friend);
    const approve = await request(t.server)
      .post(`/api/admin/referrals/${id}/review`)
      .set(manage)
      .send({ decision: 'approve', reason: 'Checked: a real household' });
    expect(approve.status).toBe(200);
    const serviceId = uniqueId('svc');
    await deliver(serviceActivated(friend, { serviceId }, '2026-04-03T08:00:00.000Z'));
    const suspended = await deliver({
      type: 'service.suspended',
      occurredAt: '2026-04-20T08:00:00.000Z',
      data: { serviceId },
    });
    const run = randomUUID();
    await runStep(t, QualifyOrCancelActiveReferrals, '2026-04-21', { runId: run });

    const { body } = await explain(id);

    expect(body.referral).toMatchObject({
      status: 'cancelled',
      review: 'approved',
      statusReason: 'service_interrupted',
      nextStep: null,
    });
    expect(body.fraudRules.find((r: { rule: string }) => r.rule === 'DISPOSABLE_EMAIL')).toEqual({
      rule: 'DISPOSABLE_EMAIL',
      outcome: 'flag',
      detail: 'email domain mailinator.com is a known disposable-mail domain',
      evidence: { domain: 'mailinator.com' },
    });
    expect(body.review).toEqual({
      decision: 'approve',
      reason: 'Checked: a real household',
      by: 'admin-3',
      at: '2026-06-15T10:00:00.000Z',
    });
    expect(body.facts.map((f: { what: string; sourceEventId: string }) => [f.what, f.sourceEventId])).toEqual([
      ['customer_created', signup],
      ['service_activated', expect.any(String)],
      ['service_interrupted', suspended],
    ]);
    expect(body.facts[2].detail).toEqual({
      eventType: 'service.suspended',
      serviceId,
      status: 'suspended',
      holdEndsOn: '2026-05-03',
      beforeHoldEnded: true,
    });
    expect(
      body.history.map((h: { what: string; by: { kind: string; id: string } }) => [h.what, h.by.kind, h.by.id]),
    ).toEqual([
      ['attributed', 'billing_event', signup],
      ['flagged', 'billing_event', signup],
      ['activated', 'billing_event', expect.any(String)],
      ['service_interrupted', 'billing_event', suspended],
      ['cancelled', 'run', run],
      ['approved_on_review', 'admin', 'admin-3'],
    ]);
    expect(body.history[1].detail).toEqual({ rules: ['DISPOSABLE_EMAIL'] });
    expect(body.reward).toBeNull();
    expect(body.creditNote).toBeNull();
  });

  it('when the referral was screened before every rule was recorded, then its findings are shown in rule order and the other rules are named as not recorded', async () => {
    const referrer = await aReferrer(t, {}, { active: false });
    const friend = uniqueId('cus');
    await deliver(
      customerCreated(
        {
          customerId: friend,
          email: `${friend.toLowerCase()}@mailinator.com`,
          phone: saMobile(),
          referralCode: referrer.code,
        },
        '2026-05-01T08:00:00.000Z',
      ),
    );
    const id = await referralIdOf(friend);
    // As a screening stored before the rule_evaluations column existed.
    await t.sql.query('UPDATE fraud_screenings SET rule_evaluations = NULL WHERE referral_id = $1', [id]);

    const { body } = await explain(id);

    expect(body.fraudRules.map((r: { rule: string; outcome: string }) => [r.rule, r.outcome])).toEqual([
      ['REFERRER_INACTIVE', 'reject'],
      ['DISPOSABLE_EMAIL', 'flag'],
    ]);
    expect(body.fraudRules[0].evidence).toEqual({
      referrerId: referrer.customerId,
      referrerKnown: true,
      hasActiveService: false,
    });
    expect(body.unrecordedRules).toEqual([
      'SELF_REFERRAL',
      'DUPLICATE_REFERRAL',
      'MONTHLY_LIMIT',
      'EXISTING_CUSTOMER_MATCH',
      'SHARED_IP',
      'BURST',
    ]);
    expect(body.referral).toMatchObject({ status: 'rejected', statusReason: 'not_eligible' });
  });

  it('when the referral was linked by an admin, then the signup fact names its billing event and the attribution names the admin', async () => {
    const referrer = await aReferrer(t);
    const friend = uniqueId('cus');
    const signup = await deliver(
      customerCreated({ customerId: friend, phone: saMobile() }, '2026-06-10T08:00:00.000Z'),
    );
    const linked = await request(t.server)
      .post('/api/admin/referrals')
      .set(manage)
      .send({ referrerId: referrer.customerId, referredId: friend, reason: 'Forgot the code' });
    expect(linked.status).toBe(201);

    const { body } = await explain(linked.body.id);

    expect(body.referral).toMatchObject({ source: 'admin_override', referredAt: '2026-06-10T08:00:00.000Z' });
    expect(body.facts).toEqual([
      expect.objectContaining({ what: 'customer_created', at: '2026-06-10T08:00:00.000Z', sourceEventId: signup }),
    ]);
    expect(body.history).toEqual([
      {
        at: '2026-06-10T08:00:00.000Z',
        what: 'attributed',
        from: null,
        to: 'pending',
        by: { kind: 'admin', id: 'admin-3' },
        detail: null,
      },
    ]);
  });

  it('when the referral does not exist, then 404 REFERRAL_NOT_FOUND; a malformed id is 400; without referrals:view 403', async () => {
    const missing = await explain(randomUUID());
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.body.code).toBe('REFERRAL_NOT_FOUND');
    const malformed = await explain('not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
    expect((await explain(randomUUID(), bearer(adminToken(['referrals:manage'])))).status).toBe(403);
  });
});
