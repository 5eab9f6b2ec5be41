import request from 'supertest';
import { runStep } from '../support/nightly.js';
import { ApplyDueRewards, EarnRewards } from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { uniqueId } from '../support/billing.js';
import { outboxTypes, qualifiedReferrals, rewardsOf } from './rewards-support.js';
import { aCustomerWithService, rows } from '../support/builders.js';

describe('Rewards HTTP API: grant, revoke, balance, credit notes', () => {
  let t: TestApp;
  const manage = bearer(adminToken(['referrals:manage'], 'admin-7'));
  const view = bearer(adminToken(['referrals:view']));
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T10:00:00.000Z' });
  });
  afterAll(() => t.close());

  const grant = (customerId: string, body: unknown, headers: Record<string, string> = manage) =>
    request(t.server)
      .post(`/api/admin/customers/${customerId}/referrals/grant`)
      .set(headers)
      .send(body as object);
  const revoke = (customerId: string, body: unknown, headers: Record<string, string> = manage) =>
    request(t.server)
      .post(`/api/admin/customers/${customerId}/referrals/revoke`)
      .set(headers)
      .send(body as object);
  const auditOf = (customerId: string) =>
    rows<{
      actor: string;
      action: string;
      subject_id: string;
      reason: string;
      before: unknown;
      after: { status: string };
    }>(
      t,
      'SELECT actor, action, subject_id, reason, before, after FROM audit_log WHERE customer_id = $1 ORDER BY at, id',
      [customerId],
    );

  it('when an admin grants a reward, then it is pending, manually granted, earned now, expiring in 12 months, audited with the JWT sub', async () => {
    const { customerId } = await aCustomerWithService(t);

    const res = await grant(customerId, { reason: 'Goodwill: outage in May' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      rewardId: expect.any(String),
      status: 'pending',
      manuallyGranted: true,
      expiresAt: '2027-06-15T10:00:00.000Z',
    });
    const [reward] = await rewardsOf(t, customerId);
    expect(reward).toMatchObject({
      id: res.body.rewardId,
      status: 'pending',
      manually_granted: true,
      earned_on: '2026-06-15',
    });
    expect(await auditOf(customerId)).toMatchObject([
      {
        actor: 'admin-7',
        action: 'reward.granted',
        subject_id: res.body.rewardId,
        reason: 'Goodwill: outage in May',
        before: null,
        after: { status: 'pending' },
      },
    ]);
    expect(await outboxTypes(t, customerId)).toEqual(['reward.granted']);
  });

  it('when a grant is replayed with the same Idempotency-Key, then one reward and one audit entry exist', async () => {
    const { customerId } = await aCustomerWithService(t);
    const key = uniqueId('idem');
    const first = await grant(customerId, { reason: 'Goodwill' }, { ...manage, 'Idempotency-Key': key });
    const second = await grant(customerId, { reason: 'Goodwill' }, { ...manage, 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await rewardsOf(t, customerId)).toHaveLength(1);
    expect(await auditOf(customerId)).toHaveLength(1);
  });

  it('when a grant names a customer unknown to billing, then 404 CUSTOMER_NOT_FOUND and nothing is written', async () => {
    const ghost = uniqueId('cus');
    const res = await grant(ghost, { reason: 'Goodwill' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('CUSTOMER_NOT_FOUND');
    expect(await rewardsOf(t, ghost)).toHaveLength(0);
    expect(await auditOf(ghost)).toHaveLength(0);
  });

  it.each([
    ['a reason too short', { reason: 'no' }],
    ['a reason too long', { reason: 'x'.repeat(501) }],
    ['no reason', {}],
    ['an unknown field', { reason: 'Goodwill', amount: '799.00' }],
  ])('when a grant has %s, then 400 problem+json and nothing is written', async (_label, body) => {
    const { customerId } = await aCustomerWithService(t);
    const res = await grant(customerId, body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(await rewardsOf(t, customerId)).toHaveLength(0);
    expect(await auditOf(customerId)).toHaveLength(0);
  });

  it('when an admin revokes a pending reward, then it is revoked, audited before/after, and a second revoke is 409 REWARD_NOT_REVOCABLE', async () => {
    const { customerId } = await aCustomerWithService(t);
    const { body: granted } = await grant(customerId, { reason: 'Goodwill' });

    const res = await revoke(customerId, { rewardId: granted.rewardId, reason: 'Granted by mistake' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ rewardId: granted.rewardId, status: 'revoked', revokedAt: '2026-06-15T10:00:00.000Z' });
    const audit = await auditOf(customerId);
    expect(audit[1]).toMatchObject({
      actor: 'admin-7',
      action: 'reward.revoked',
      subject_id: granted.rewardId,
      reason: 'Granted by mistake',
      before: { status: 'pending' },
      after: { status: 'revoked' },
    });
    expect(await outboxTypes(t, customerId)).toEqual(['reward.granted', 'reward.revoked']);

    const again = await revoke(customerId, { rewardId: granted.rewardId, reason: 'Again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('REWARD_NOT_REVOCABLE');
    expect(await auditOf(customerId)).toHaveLength(2);
  });

  it('when an applied reward is revoked, then 409 REWARD_NOT_REVOCABLE', async () => {
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);
    await runStep(t, EarnRewards, '2026-02-10');
    await runStep(t, ApplyDueRewards, '2026-03-01');
    const [reward] = await rewardsOf(t, customerId);
    expect(reward!.status).toBe('applied');

    const res = await revoke(customerId, { rewardId: reward!.id, reason: 'Too late' });

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('REWARD_NOT_REVOCABLE');
  });

  it("when the reward is another customer's, then 404 REWARD_NOT_FOUND and it stays pending", async () => {
    const owner = await aCustomerWithService(t);
    const other = await aCustomerWithService(t);
    const { body: granted } = await grant(owner.customerId, { reason: 'Goodwill' });

    const res = await revoke(other.customerId, { rewardId: granted.rewardId, reason: 'Wrong customer' });

    expect(res.status).toBe(404);
    expect(res.body.code).toBe('REWARD_NOT_FOUND');
    expect((await rewardsOf(t, owner.customerId)).map((r) => r.status)).toEqual(['pending']);
  });

  it('when a revoke has a rewardId that is not a UUID or an unknown field, then 400', async () => {
    const { customerId } = await aCustomerWithService(t);
    expect((await revoke(customerId, { rewardId: 'nope', reason: 'Goodwill' })).status).toBe(400);
    const { body: granted } = await grant(customerId, { reason: 'Goodwill' });
    const res = await revoke(customerId, { rewardId: granted.rewardId, reason: 'Goodwill', extra: true });
    expect(res.status).toBe(400);
    expect((await rewardsOf(t, customerId)).map((r) => r.status)).toEqual(['pending']);
  });

  it('when a customer asks for their balance, then they see pending rewards and applied ones with the credit note', async () => {
    const { customerId, serviceId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);
    await runStep(t, EarnRewards, '2026-02-10');
    await runStep(t, ApplyDueRewards, '2026-03-01');
    const { body: granted } = await grant(customerId, { reason: 'Goodwill' });

    const res = await request(t.server)
      .get('/api/customer/referral-balance')
      .set(bearer(customerToken(customerId)));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      availableRewards: 1,
      pendingRewards: [
        {
          id: granted.rewardId,
          rewardType: 'free_month',
          status: 'pending',
          earnedAt: '2026-06-15T10:00:00.000Z',
          expiresAt: '2027-06-15T10:00:00.000Z',
          manuallyGranted: true,
          // Granted on 15 June: the first cycle from then on is July's (SPEC §12).
          expectedCredit: {
            serviceId,
            periodStart: '2026-07-01',
            periodEnd: '2026-07-31',
            amount: '799.00',
            appliesOn: '2026-07-01',
          },
        },
      ],
      appliedRewards: [
        {
          id: expect.any(String),
          appliedAt: '2026-06-15T10:00:00.000Z',
          serviceId,
          periodStart: '2026-03-01',
          periodEnd: '2026-03-31',
          amountWaived: '799.00',
          creditNoteNumber: expect.stringMatching(/^CN-2026-\d{5}$/),
        },
      ],
    });
    const other = await request(t.server)
      .get('/api/customer/referral-balance')
      .set(bearer(customerToken(uniqueId('cus'))));
    expect(other.body).toEqual({ availableRewards: 0, pendingRewards: [], appliedRewards: [] });
  });

  it('when an admin lists credit notes, then they are paged newest first; bad limit or cursor is 400', async () => {
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);
    await runStep(t, EarnRewards, '2026-02-10');
    await runStep(t, ApplyDueRewards, '2026-03-01');

    const res = await request(t.server).get(`/api/admin/customers/${customerId}/credit-notes?limit=1`).set(view);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        expect.objectContaining({
          customerId,
          amountInclVat: '799.00',
          vatAmount: '104.22',
          amountExclVat: '694.78',
          vatRate: '15.00',
          periodStart: '2026-03-01',
          periodEnd: '2026-03-31',
        }),
      ],
      nextCursor: null,
    });
    expect(
      (await request(t.server).get(`/api/admin/customers/${customerId}/credit-notes?limit=0`).set(view)).status,
    ).toBe(400);
    expect(
      (await request(t.server).get(`/api/admin/customers/${customerId}/credit-notes?limit=101`).set(view)).status,
    ).toBe(400);
    const badCursor = await request(t.server)
      .get(`/api/admin/customers/${customerId}/credit-notes?cursor=abc`)
      .set(view);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('INVALID_CURSOR');
  });

  describe('auth', () => {
    const endpoints = [
      { method: 'post', path: '/api/admin/customers/cus_1/referrals/grant', allowed: ['referrals:manage'] },
      { method: 'post', path: '/api/admin/customers/cus_1/referrals/revoke', allowed: ['referrals:manage'] },
      { method: 'get', path: '/api/admin/customers/cus_1/credit-notes', allowed: ['referrals:view'] },
    ] as const;

    it.each(endpoints)(
      'when $method $path has no token, then 401; a customer or an admin without the permission, then 403',
      async ({ method, path }) => {
        expect((await request(t.server)[method](path).send({})).status).toBe(401);
        expect(
          (
            await request(t.server)
              [method](path)
              .set(bearer(customerToken('cus_1')))
              .send({})
          ).status,
        ).toBe(403);
        const wrong = method === 'get' ? ['referrals:manage' as const] : ['referrals:view' as const];
        expect(
          (
            await request(t.server)
              [method](path)
              .set(bearer(adminToken(wrong)))
              .send({})
          ).status,
        ).toBe(403);
      },
    );

    it('when the balance is asked without a token, then 401; by an admin, then 403', async () => {
      expect((await request(t.server).get('/api/customer/referral-balance')).status).toBe(401);
      expect((await request(t.server).get('/api/customer/referral-balance').set(bearer(adminToken()))).status).toBe(
        403,
      );
    });
  });
});
