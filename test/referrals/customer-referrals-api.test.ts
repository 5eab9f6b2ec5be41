import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { uniqueId } from '../support/billing.js';
import { seedReferral } from './referral-fixtures.js';
import { aReferrer, billing } from '../support/builders.js';
import { customerCreated } from '../support/billing.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  t.clock.set(new Date()); // webhooks are signed at the app's clock
});
afterAll(async () => t?.close());

const list = (customerId: string, query: Record<string, string | number> = {}) =>
  request(t.server)
    .get('/api/customer/referrals')
    .query(query)
    .set(bearer(customerToken(customerId)));

function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
}

describe('GET /api/customer/referrals', () => {
  it('lists my referrals newest first with the referred email masked, and my stats', async () => {
    const me = uniqueId('cus');
    const older = await seedReferral(t, {
      referrerId: me,
      referredAt: '2026-01-10T08:00:00.000Z',
      referredName: 'Jane Doe',
      referredEmail: 'jane.doe@example.com',
    });
    const newer = await seedReferral(t, {
      referrerId: me,
      referredAt: '2026-01-20T08:00:00.000Z',
      lifecycle: 'active',
      activatedAt: '2026-01-22T08:00:00.000Z',
      referredName: 'Bongani Zulu',
      referredEmail: 'bongani@mail.co.za',
    });
    const res = await list(me);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: newer,
        referredName: 'Bongani Zulu',
        referredEmail: 'b***@mail.co.za',
        status: 'active',
        referredAt: '2026-01-20T08:00:00.000Z',
        activatedAt: '2026-01-22T08:00:00.000Z',
        qualifiedAt: null,
        // A+30: activated 22 January (SAST) → counts on 21 February if the service stays active.
        nextStep: { kind: 'qualifies_on', on: '2026-02-21' },
        statusReason: null,
      },
      {
        id: older,
        referredName: 'Jane Doe',
        referredEmail: 'j***@example.com',
        status: 'pending',
        referredAt: '2026-01-10T08:00:00.000Z',
        activatedAt: null,
        qualifiedAt: null,
        // R+30: referred 10 January (SAST) → must be connected by 9 February.
        nextStep: { kind: 'activate_by', on: '2026-02-09' },
        statusReason: null,
      },
    ]);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.stats).toEqual({
      total: 2,
      pending: 1,
      active: 1,
      qualified: 0,
      rewarded: 0,
      expired: 0,
      cancelled: 0,
      flagged: 0,
      rejected: 0,
    });
    expect(JSON.stringify(res.body)).not.toContain('jane.doe@');
  });

  it("never shows another customer's referrals", async () => {
    const other = uniqueId('cus');
    await seedReferral(t, { referrerId: other, referredAt: '2026-01-10T08:00:00.000Z' });
    const res = await list(uniqueId('cus'));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.stats.total).toBe(0);
  });

  it('25 referrals with limit 10 come in 3 pages with no duplicates and no gaps, even with equal referral times', async () => {
    const me = uniqueId('cus');
    const ids = new Set<string>();
    for (let i = 0; i < 25; i++) {
      // pairs share a timestamp, so the id breaks ties
      const at = new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 2), 8)).toISOString();
      ids.add(await seedReferral(t, { referrerId: me, referredAt: at }));
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await list(me, { limit: 10, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      sizes.push(res.body.items.length);
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([10, 10, 5]);
    expect(new Set(seen).size).toBe(25);
    expect(new Set(seen)).toEqual(ids);
    const times = (await t.sql.query('SELECT id, referred_at FROM referrals WHERE referrer_id = $1', [me])).rows;
    const at = new Map(times.map((r) => [r.id, r.referred_at.getTime()]));
    const order = seen.map((id) => at.get(id)!);
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });

  it('filters by status', async () => {
    const me = uniqueId('cus');
    await seedReferral(t, { referrerId: me, referredAt: '2026-01-10T08:00:00.000Z' });
    const expired = await seedReferral(t, {
      referrerId: me,
      referredAt: '2026-01-11T08:00:00.000Z',
      lifecycle: 'expired',
    });
    const res = await list(me, { status: 'expired' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([expired]);
    expect(res.body.stats.total).toBe(2);
  });

  it.each([
    [{ limit: 0 }],
    [{ limit: 101 }],
    [{ limit: 'ten' }],
    [{ limit: 2.5 }],
    [{ status: 'won' }],
    [{ cursor: 'not a cursor!' }],
    [{ cursor: Buffer.from('garbage').toString('base64url') }],
    [{ sort: 'asc' }],
  ])('bad query %p is 400 problem+json', async (query) => {
    const res = await list(uniqueId('cus'), query as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(['VALIDATION_FAILED', 'INVALID_CURSOR']).toContain(res.body.code);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });

  it('needs a customer token: none is 401, an admin token is 403', async () => {
    expectProblem(await request(t.server).get('/api/customer/referrals'), 401, 'UNAUTHENTICATED');
    expectProblem(await request(t.server).get('/api/customer/referrals').set(bearer(adminToken())), 403, 'FORBIDDEN');
  });
});

describe('POST /api/customer/referrals', () => {
  it('creates my permanent code once (201), then returns the same code (200) with link, stats, balance and progress', async () => {
    const { customerId: id, code } = await aReferrer(
      t,
      { name: 'Sipho Dlamini' },
      { createdAt: '2025-11-01T08:00:00.000Z' },
    );
    expect(code).toMatch(/^CT-REF-[0-9A-HJKMNP-TV-Z]{8}$/);
    await seedReferral(t, { referrerId: id, referredAt: '2026-01-10T08:00:00.000Z', lifecycle: 'qualified' });
    const again = await request(t.server)
      .post('/api/customer/referrals')
      .set(bearer(customerToken(id)));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      referralCode: code,
      referralLink: `https://www.circletel.co.za/?ref=${code}`,
      stats: {
        total: 1,
        pending: 0,
        active: 0,
        qualified: 1,
        rewarded: 0,
        expired: 0,
        cancelled: 0,
        flagged: 0,
        rejected: 0,
      },
      rewardBalance: 0,
      progress: { qualified: 1, required: 2, label: '1/2' },
    });
    const check = await request(t.server).get(`/api/referral-codes/${code}`);
    expect(check.body).toEqual({ valid: true, referrerFirstName: 'Sipho' });
  });

  it('concurrent first calls for one customer create one code', async () => {
    const id = uniqueId('cus');
    await billing(t, customerCreated({ customerId: id }, '2025-11-01T08:00:00.000Z'));
    const calls = await Promise.all(
      [1, 2, 3, 4].map(() =>
        request(t.server)
          .post('/api/customer/referrals')
          .set(bearer(customerToken(id))),
      ),
    );
    expect(calls.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(calls.map((r) => r.body.referralCode)).size).toBe(1);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM referral_codes WHERE customer_id = $1', [id]);
    expect(rows[0].n).toBe(1);
  });

  it('a customer billing does not know is 404 CUSTOMER_NOT_FOUND', async () => {
    const res = await request(t.server)
      .post('/api/customer/referrals')
      .set(bearer(customerToken(uniqueId('cus'))));
    expectProblem(res, 404, 'CUSTOMER_NOT_FOUND');
  });

  it('unknown body fields are 400 VALIDATION_FAILED', async () => {
    const res = await request(t.server)
      .post('/api/customer/referrals')
      .set(bearer(customerToken(uniqueId('cus'))))
      .send({ referralCode: 'CT-REF-AAAAAAAA' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'referralCode', message: 'unknown field' }]);
  });
});
