import { runStep } from '../support/nightly.js';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { QualifyOrCancelActiveReferrals } from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { serviceActivated, uniqueId } from '../support/billing.js';
import { signUp } from './fraud-support.js';
import { aReferrer, billing } from '../support/builders.js';

const disposable = () => `${uniqueId('x').toLowerCase()}@mailinator.com`;

describe('fraud review queue and admin oversight view', () => {
  let t: TestApp;
  const view = bearer(adminToken(['referrals:view'], 'admin-viewer'));
  const manage = bearer(adminToken(['referrals:view', 'referrals:manage'], 'admin-7'));
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists flagged referrals oldest first with their findings, a page at a time', async () => {
    const referrer = await aReferrer(t);
    const later = await signUp(t, referrer.code, '2026-01-20T08:00:00.000Z', { email: disposable() });
    const earlier = await signUp(t, referrer.code, '2026-01-19T08:00:00.000Z', { email: disposable() });

    const first = await request(t.server).get('/api/admin/referrals/flagged?limit=1').set(view);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toMatchObject({
      id: earlier.referralId,
      status: 'flagged',
      referrerId: referrer.customerId,
    });
    expect(first.body.items[0].fraudFlags).toEqual([
      expect.objectContaining({
        rule: 'DISPOSABLE_EMAIL',
        detail: 'email domain mailinator.com is a known disposable-mail domain',
      }),
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await request(t.server)
      .get(`/api/admin/referrals/flagged?limit=1&cursor=${first.body.nextCursor}`)
      .set(view);
    expect(second.status).toBe(200);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([later.referralId]);
  });

  it('refuses a cursor it did not issue and a limit out of range', async () => {
    expect((await request(t.server).get('/api/admin/referrals/flagged?cursor=bm9wZQ').set(view)).status).toBe(400);
    expect((await request(t.server).get('/api/admin/referrals/flagged?limit=101').set(view)).status).toBe(400);
  });

  it('approves a flagged referral, audits it with the admin’s sub, and the referral goes on to qualify', async () => {
    const referrer = await aReferrer(t);
    const s = await signUp(t, referrer.code, '2026-02-01T08:00:00.000Z', { email: disposable() });

    const res = await request(t.server)
      .post(`/api/admin/referrals/${s.referralId}/review`)
      .set(manage)
      .send({ decision: 'approve', reason: 'Checked with the customer by phone' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: s.referralId, status: 'pending' });

    const screening = await t.sql.query(
      `SELECT outcome, review_decision, reviewed_by, review_reason FROM fraud_screenings WHERE referral_id = $1`,
      [s.referralId],
    );
    expect(screening.rows[0]).toEqual({
      outcome: 'accepted',
      review_decision: 'approve',
      reviewed_by: 'admin-7',
      review_reason: 'Checked with the customer by phone',
    });
    const audit = await t.sql.query(
      `SELECT actor, action, customer_id, reason, before, after FROM audit_log WHERE subject_id = $1`,
      [s.referralId],
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({
        actor: 'admin-7',
        action: 'referral.reviewed',
        customer_id: referrer.customerId,
        reason: 'Checked with the customer by phone',
        before: expect.objectContaining({ status: 'flagged' }),
        after: expect.objectContaining({ status: 'pending' }),
      }),
    ]);
    const queue = await request(t.server).get('/api/admin/referrals/flagged?limit=100').set(view);
    expect(queue.body.items.map((i: { id: string }) => i.id)).not.toContain(s.referralId);

    await billing(t, serviceActivated(s.customerId, {}, '2026-02-05T08:00:00.000Z'));
    await runStep(t, QualifyOrCancelActiveReferrals, '2026-03-07');
    const referral = await t.sql.query(`SELECT status FROM referrals WHERE id = $1`, [s.referralId]);
    expect(referral.rows[0].status).toBe('qualified');
  });

  it('rejects a flagged referral, which then no longer counts towards the monthly limit', async () => {
    const referrer = await aReferrer(t);
    const flagged = await signUp(t, referrer.code, '2026-04-01T08:00:00.000Z', { email: disposable() });
    for (let day = 2; day <= 10; day++)
      await signUp(t, referrer.code, `2026-04-${String(day).padStart(2, '0')}T08:00:00.000Z`);
    expect((await signUp(t, referrer.code, '2026-04-11T08:00:00.000Z')).outcome).toBe('rejected');

    const res = await request(t.server)
      .post(`/api/admin/referrals/${flagged.referralId}/review`)
      .set(manage)
      .send({ decision: 'reject', reason: 'Throwaway address, no reply' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: flagged.referralId, status: 'rejected' });

    const audit = await t.sql.query(`SELECT actor, after FROM audit_log WHERE subject_id = $1`, [flagged.referralId]);
    expect(audit.rows).toEqual([
      expect.objectContaining({ actor: 'admin-7', after: expect.objectContaining({ status: 'rejected' }) }),
    ]);
    expect((await signUp(t, referrer.code, '2026-04-12T08:00:00.000Z')).outcome).toBe('accepted');
  });

  it('answers 409 REFERRAL_NOT_FLAGGED for a referral that is not flagged, and audits nothing', async () => {
    const referrer = await aReferrer(t);
    const s = await signUp(t, referrer.code, '2026-05-01T08:00:00.000Z');
    const res = await request(t.server)
      .post(`/api/admin/referrals/${s.referralId}/review`)
      .set(manage)
      .send({ decision: 'approve', reason: 'looks fine' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('REFERRAL_NOT_FLAGGED');
    const audit = await t.sql.query(`SELECT 1 FROM audit_log WHERE subject_id = $1`, [s.referralId]);
    expect(audit.rows).toHaveLength(0);
    const screening = await t.sql.query(`SELECT review_decision FROM fraud_screenings WHERE referral_id = $1`, [
      s.referralId,
    ]);
    expect(screening.rows[0].review_decision).toBeNull();
  });

  it('answers 404 for an unknown referral and 400 for a bad id, a short reason or an unknown field', async () => {
    const ok = { decision: 'approve', reason: 'fine' };
    expect(
      (await request(t.server).post(`/api/admin/referrals/${randomUUID()}/review`).set(manage).send(ok)).body.code,
    ).toBe('REFERRAL_NOT_FOUND');
    expect((await request(t.server).post('/api/admin/referrals/not-a-uuid/review').set(manage).send(ok)).status).toBe(
      400,
    );
    const id = randomUUID();
    const short = await request(t.server)
      .post(`/api/admin/referrals/${id}/review`)
      .set(manage)
      .send({ decision: 'approve', reason: 'ok' });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect(
      (
        await request(t.server)
          .post(`/api/admin/referrals/${id}/review`)
          .set(manage)
          .send({ ...ok, extra: 1 })
      ).status,
    ).toBe(400);
    expect(
      (
        await request(t.server)
          .post(`/api/admin/referrals/${id}/review`)
          .set(manage)
          .send({ decision: 'maybe', reason: 'fine' })
      ).status,
    ).toBe(400);
  });

  it('shows a customer’s referrals with fraud flags, rewards and stats, filtered by status and searched by q', async () => {
    const referrer = await aReferrer(t, { name: 'Ayanda Dlamini' });
    await signUp(t, referrer.code, '2026-05-10T08:00:00.000Z', { name: 'Pieter van Wyk' });
    const flagged = await signUp(t, referrer.code, '2026-05-11T08:00:00.000Z', {
      name: 'Naledi Khumalo',
      email: disposable(),
    });

    const all = await request(t.server).get(`/api/admin/customers/${referrer.customerId}/referrals`).set(view);
    expect(all.status).toBe(200);
    expect(all.body.customer).toMatchObject({
      id: referrer.customerId,
      name: 'Ayanda Dlamini',
      referralCode: referrer.code,
    });
    expect(all.body.referrals).toHaveLength(2);
    expect(all.body.stats).toMatchObject({ totalReferrals: 2, rewardsEarned: 0, rewardsPending: 0 });
    expect(all.body.rewards).toEqual([]);

    const onlyFlagged = await request(t.server)
      .get(`/api/admin/customers/${referrer.customerId}/referrals?status=flagged`)
      .set(view);
    expect(onlyFlagged.body.referrals.map((r: { id: string }) => r.id)).toEqual([flagged.referralId]);
    expect(onlyFlagged.body.referrals[0].fraudFlags).toEqual([expect.objectContaining({ rule: 'DISPOSABLE_EMAIL' })]);

    const searched = await request(t.server)
      .get(`/api/admin/customers/${referrer.customerId}/referrals?q=van%20wyk`)
      .set(view);
    expect(searched.body.referrals.map((r: { referredName: string }) => r.referredName)).toEqual(['Pieter van Wyk']);

    expect(
      (await request(t.server).get(`/api/admin/customers/${referrer.customerId}/referrals?status=bogus`).set(view))
        .status,
    ).toBe(400);
    const missing = await request(t.server).get(`/api/admin/customers/cus_nobody_${Date.now()}/referrals`).set(view);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it.each([
    ['GET', '/api/admin/referrals/flagged', 'referrals:view'],
    ['POST', `/api/admin/referrals/${randomUUID()}/review`, 'referrals:manage'],
    ['GET', '/api/admin/customers/cus_1/referrals', 'referrals:view'],
  ] as const)(
    '%s %s answers 401 without a token and 403 for a customer or an admin without %s',
    async (method, path, permission) => {
      const call = (headers: Record<string, string>) => {
        const req =
          method === 'GET'
            ? request(t.server).get(path)
            : request(t.server).post(path).send({ decision: 'approve', reason: 'fine' });
        return req.set(headers);
      };
      expect((await call({})).status).toBe(401);
      expect((await call(bearer(customerToken('cus_1')))).status).toBe(403);
      const other = permission === 'referrals:view' ? 'reconciliation:run' : 'referrals:view';
      expect((await call(bearer(adminToken([other])))).status).toBe(403);
    },
  );
});
