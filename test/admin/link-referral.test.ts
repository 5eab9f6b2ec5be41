import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { customerCreated, sendBillingEvent, serviceActivated, uniqueId } from '../support/billing.js';
import { saMobile } from '../fraud/fraud-support.js';
import { aReferrer } from '../support/builders.js';

/** POST /api/admin/referrals (SPEC §14): link a referral after the fact, screened and audited. */
describe('Admin links a referral after the fact', () => {
  let t: TestApp;
  const manage = bearer(adminToken(['referrals:manage', 'referrals:view'], 'admin-9'));
  // Today (the wall clock) is 2026-06-15 12:00 SAST.
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T10:00:00.000Z' });
  });
  afterAll(() => t.close());

  const link = (body: unknown, headers: Record<string, string> = manage) =>
    request(t.server)
      .post('/api/admin/referrals')
      .set(headers)
      .send(body as object);

  /** A customer who signed up (customer.created at `at`) without a code; returns its id and the event id. */
  async function aSignup(at: string, data: Record<string, unknown> = {}): Promise<{ id: string; eventId: string }> {
    const eventId = uniqueId('evt');
    const event = { ...customerCreated({ name: 'Lerato Mokoena', phone: saMobile(), ...data }, at), id: eventId };
    const res = await sendBillingEvent(t.server, event, { at: t.clock.now() });
    if (res.status !== 200) throw new Error(`customer.created answered ${res.status}: ${res.text}`);
    return { id: event.data.customerId as string, eventId };
  }

  const q = async <T>(text: string, params: unknown[]) => (await t.sql.query(text, params)).rows as T[];
  const referralsOf = (referredId: string) =>
    q<{ id: string; referrer_id: string; source: string; referred_at: Date; status: string; code: string }>(
      'SELECT id, referrer_id, source, referred_at, status, code FROM referrals WHERE referred_id = $1',
      [referredId],
    );
  const auditOf = (customerId: string) =>
    q<{
      actor: string;
      action: string;
      subject_id: string;
      reason: string;
      before: unknown;
      after: Record<string, unknown>;
    }>(
      'SELECT actor, action, subject_id, reason, before, after FROM audit_log WHERE customer_id = $1 ORDER BY at, id',
      [customerId],
    );

  it('when the friend signed up 10 days ago without the code, then the referral is attributed at their signup, screened by every rule, and audited under the referrer', async () => {
    const referrer = await aReferrer(t);
    const friend = await aSignup('2026-06-05T07:30:00.000Z');

    const res = await link({
      referrerId: referrer.customerId,
      referredId: friend.id,
      reason: 'Forgot the code at signup',
    });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      referrerId: referrer.customerId,
      referredId: friend.id,
      status: 'pending',
      referredAt: '2026-06-05T07:30:00.000Z',
      source: 'admin_override',
    });
    expect(await referralsOf(friend.id)).toEqual([
      {
        id: res.body.id,
        referrer_id: referrer.customerId,
        source: 'admin_override',
        referred_at: new Date('2026-06-05T07:30:00.000Z'),
        status: 'pending',
        code: referrer.code,
      },
    ]);
    const [screening] = await q<{ outcome: string; rules: { rule: string; outcome: string }[] }>(
      'SELECT outcome, rule_evaluations AS rules FROM fraud_screenings WHERE referral_id = $1',
      [res.body.id],
    );
    expect(screening!.outcome).toBe('accepted');
    expect(screening!.rules.map((r) => `${r.rule}:${r.outcome}`)).toEqual([
      'SELF_REFERRAL:pass',
      'REFERRER_INACTIVE:pass',
      'DUPLICATE_REFERRAL:pass',
      'MONTHLY_LIMIT:pass',
      'EXISTING_CUSTOMER_MATCH:pass',
      'SHARED_IP:pass',
      'DISPOSABLE_EMAIL:pass',
      'BURST:pass',
    ]);
    expect(await auditOf(referrer.customerId)).toEqual([
      {
        actor: 'admin-9',
        action: 'referral.linked',
        subject_id: res.body.id,
        reason: 'Forgot the code at signup',
        before: null,
        after: { ...res.body, code: referrer.code },
      },
    ]);
    const history = await q<{ what: string; source_event_id: string; actor: string; at: Date }>(
      'SELECT what, source_event_id, actor, at FROM referral_history WHERE referral_id = $1 ORDER BY id',
      [res.body.id],
    );
    expect(history).toEqual([
      {
        what: 'attributed',
        source_event_id: friend.eventId,
        actor: 'admin-9',
        at: new Date('2026-06-05T07:30:00.000Z'),
      },
    ]);
    const outbox = await q<{ type: string; source: string; status: string }>(
      `SELECT type, payload->>'source' AS source, payload->>'status' AS status FROM outbox_events
        WHERE payload->>'referralId' = $1`,
      [res.body.id],
    );
    expect(outbox).toEqual([{ type: 'referral.attributed', source: 'admin_override', status: 'pending' }]);
  });

  it('when the referrer has no referral code yet, then one is created and is the one the referral carries (permanently)', async () => {
    const referrerId = uniqueId('cus');
    await sendBillingEvent(
      t.server,
      customerCreated({ customerId: referrerId, name: 'Thabo Nkosi' }, '2025-11-01T08:00:00.000Z'),
      {
        at: t.clock.now(),
      },
    );
    await sendBillingEvent(t.server, serviceActivated(referrerId, {}, '2025-11-02T08:00:00.000Z'), {
      at: t.clock.now(),
    });
    const friend = await aSignup('2026-06-01T08:00:00.000Z');

    const res = await link({ referrerId, referredId: friend.id, reason: 'Forgot the code' });

    expect(res.status).toBe(201);
    const [referral] = await referralsOf(friend.id);
    const mine = await request(t.server)
      .post('/api/customer/referrals')
      .set(bearer(customerToken(referrerId)))
      .send({});
    expect(mine.status).toBe(200); // already created by the link
    expect(mine.body.referralCode).toBe(referral!.code);
    expect(referral!.code).toMatch(/^CT-REF-[0-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('when the signup was on the 30th day before today (SAST), then it may still be linked; a second earlier it may not: 409 LINK_WINDOW_CLOSED and nothing is written', async () => {
    const referrer = await aReferrer(t);
    const lastDay = await aSignup('2026-05-15T22:00:00.000Z'); // 16 May 00:00 SAST: 16 May + 30 = 15 June, today
    const tooOld = await aSignup('2026-05-15T21:59:59.999Z'); // 15 May 23:59:59.999 SAST: closed on 14 June

    expect((await link({ referrerId: referrer.customerId, referredId: lastDay.id, reason: 'Forgot it' })).status).toBe(
      201,
    );
    const res = await link({ referrerId: referrer.customerId, referredId: tooOld.id, reason: 'Forgot it' });

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('LINK_WINDOW_CLOSED');
    expect(await referralsOf(tooOld.id)).toEqual([]);
    expect((await auditOf(referrer.customerId)).map((a) => a.subject_id)).toHaveLength(1);
  });

  it('when the window is judged, then it is by the wall clock: the same signup is closed once the clock moves a day on', async () => {
    const referrer = await aReferrer(t);
    const friend = await aSignup('2026-05-20T08:00:00.000Z');
    t.clock.set('2026-06-20T10:00:00.000Z');
    try {
      const res = await link({ referrerId: referrer.customerId, referredId: friend.id, reason: 'Forgot it' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('LINK_WINDOW_CLOSED');
    } finally {
      t.clock.set('2026-06-15T10:00:00.000Z');
    }
    expect((await link({ referrerId: referrer.customerId, referredId: friend.id, reason: 'Forgot it' })).status).toBe(
      201,
    );
  });

  it('when the friend was referred already, then 409 ALREADY_REFERRED, the first referral stays and nothing is audited — and a referrer without a code keeps having none', async () => {
    const first = await aReferrer(t);
    const friend = await aSignup('2026-06-10T08:00:00.000Z', { referralCode: first.code });
    const secondId = uniqueId('cus');
    await sendBillingEvent(t.server, customerCreated({ customerId: secondId }, '2025-11-01T08:00:00.000Z'), {
      at: t.clock.now(),
    });
    await sendBillingEvent(t.server, serviceActivated(secondId, {}, '2025-11-02T08:00:00.000Z'), { at: t.clock.now() });

    const res = await link({ referrerId: secondId, referredId: friend.id, reason: 'Says it was me' });

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ALREADY_REFERRED');
    expect((await referralsOf(friend.id)).map((r) => r.referrer_id)).toEqual([first.customerId]);
    expect(await auditOf(secondId)).toEqual([]);
    expect(await q('SELECT 1 FROM referral_codes WHERE customer_id = $1', [secondId])).toEqual([]);
  });

  it('when the referrer has no active service, then the link is made but the fraud rules reject it (REFERRER_INACTIVE), like any attribution', async () => {
    const referrer = await aReferrer(t, {}, { active: false });
    const friend = await aSignup('2026-06-10T08:00:00.000Z');

    const res = await link({ referrerId: referrer.customerId, referredId: friend.id, reason: 'Forgot the code' });

    expect(res.status).toBe(201);
    expect(res.body.status).toBe('rejected');
    const findings = await q<{ rule: string }>('SELECT rule FROM fraud_findings WHERE referral_id = $1', [res.body.id]);
    expect(findings).toEqual([{ rule: 'REFERRER_INACTIVE' }]);
  });

  it('when the friend used a disposable e-mail, then the link comes out flagged and waits in the review queue', async () => {
    const referrer = await aReferrer(t);
    const friend = await aSignup('2026-06-10T08:00:00.000Z', {
      email: `${uniqueId('x').toLowerCase()}@mailinator.com`,
    });

    const res = await link({ referrerId: referrer.customerId, referredId: friend.id, reason: 'Forgot the code' });

    expect(res.body.status).toBe('flagged');
    const queue = await request(t.server).get('/api/admin/referrals/flagged').query({ limit: 100 }).set(manage);
    expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(res.body.id);
  });

  it('when the same link is sent twice with one Idempotency-Key, then one referral and one audit entry exist; another body with that key is 422', async () => {
    const referrer = await aReferrer(t);
    const friend = await aSignup('2026-06-10T08:00:00.000Z');
    const key = uniqueId('idem');
    const body = { referrerId: referrer.customerId, referredId: friend.id, reason: 'Forgot the code' };

    const first = await link(body, { ...manage, 'Idempotency-Key': key });
    const second = await link(body, { ...manage, 'Idempotency-Key': key });
    const other = await link({ ...body, reason: 'Another reason' }, { ...manage, 'Idempotency-Key': key });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(other.status).toBe(422);
    expect(await referralsOf(friend.id)).toHaveLength(1);
    expect(await auditOf(referrer.customerId)).toHaveLength(1);
  });

  it('when either customer is unknown to billing, then 404 CUSTOMER_NOT_FOUND and nothing is written', async () => {
    const referrer = await aReferrer(t);
    const friend = await aSignup('2026-06-10T08:00:00.000Z');
    const ghost = uniqueId('cus');
    for (const body of [
      { referrerId: ghost, referredId: friend.id, reason: 'Forgot it' },
      { referrerId: referrer.customerId, referredId: ghost, reason: 'Forgot it' },
    ]) {
      const res = await link(body);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CUSTOMER_NOT_FOUND');
    }
    expect(await referralsOf(friend.id)).toEqual([]);
    expect(await auditOf(referrer.customerId)).toEqual([]);
  });

  it.each([
    ['a referrer linking themselves', (id: string) => ({ referrerId: id, referredId: id, reason: 'Myself' })],
    ['a reason too short', (id: string) => ({ referrerId: id, referredId: 'cus_x', reason: 'no' })],
    ['no reason', (id: string) => ({ referrerId: id, referredId: 'cus_x' })],
    [
      'an unknown field',
      (id: string) => ({ referrerId: id, referredId: 'cus_x', reason: 'Forgot', source: 'url_param' }),
    ],
    ['a bad id', () => ({ referrerId: 'cus 1', referredId: 'cus_x', reason: 'Forgot' })],
  ])('when the body has %s, then 400 problem+json and nothing is written', async (_label, body) => {
    const referrer = await aReferrer(t);
    const res = await link(body(referrer.customerId));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(await auditOf(referrer.customerId)).toEqual([]);
    expect(await q('SELECT 1 FROM referrals WHERE referrer_id = $1', [referrer.customerId])).toEqual([]);
  });

  it('when the admin has only referrals:view, then 403 and nothing is written', async () => {
    const referrer = await aReferrer(t);
    const friend = await aSignup('2026-06-10T08:00:00.000Z');
    const res = await link(
      { referrerId: referrer.customerId, referredId: friend.id, reason: 'Forgot it' },
      bearer(adminToken(['referrals:view'])),
    );
    expect(res.status).toBe(403);
    expect(await referralsOf(friend.id)).toEqual([]);
  });
});
