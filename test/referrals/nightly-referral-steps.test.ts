import { CommandBus } from '@nestjs/cqrs';
import { ExpireStaleReferrals, MarkReferralsRewarded, QualifyOrCancelActiveReferrals } from '#libs/contracts/index.js';
import { runStep } from '../support/nightly.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { uniqueId } from '../support/billing.js';
import { seedReferral } from './referral-fixtures.js';

let t: TestApp;
let bus: CommandBus;
beforeAll(async () => {
  t = await startTestApp();
  bus = t.get(CommandBus);
});
afterAll(async () => t?.close());

const row = async (id: string) => (await t.sql.query('SELECT * FROM referrals WHERE id = $1', [id])).rows[0];
const expire = async (asOf: string, batchSize?: number) => {
  const totals = await runStep(t, ExpireStaleReferrals, asOf, { batchSize });
  return { changed: totals.referralsExpired };
};
const qualify = async (asOf: string, batchSize?: number) => {
  const totals = await runStep(t, QualifyOrCancelActiveReferrals, asOf, { batchSize });
  return { qualified: totals.referralsQualified, cancelled: totals.referralsCancelled };
};

describe('nightly referral steps', () => {
  it('a pending referral expires at the run with asOf R+31, not at R+30, with expiredAt the start of R+31 SAST', async () => {
    // R = 2026-01-10 (10:00 SAST)
    const id = await seedReferral(t, { referrerId: uniqueId('cus'), referredAt: '2026-01-10T08:00:00.000Z' });
    await expire('2026-02-09');
    expect((await row(id)).status).toBe('pending');
    const result = await expire('2026-02-10');
    expect(result.changed).toBeGreaterThanOrEqual(1);
    const r = await row(id);
    expect([r.status, r.lifecycle]).toEqual(['expired', 'expired']);
    expect(r.expired_at.toISOString()).toBe('2026-02-09T22:00:00.000Z');
  });

  it('running the expiry again for the same asOf changes nothing', async () => {
    await seedReferral(t, { referrerId: uniqueId('cus'), referredAt: '2026-01-05T08:00:00.000Z' });
    await expire('2026-02-20');
    expect((await expire('2026-02-20')).changed).toBe(0);
  });

  it('a flagged pending referral expires too: its status becomes expired while the review stays flagged', async () => {
    const id = await seedReferral(t, {
      referrerId: uniqueId('cus'),
      referredAt: '2026-01-11T08:00:00.000Z',
      status: 'flagged',
      lifecycle: 'pending',
      review: 'flagged',
    });
    await expire('2026-02-11');
    const r = await row(id);
    expect([r.status, r.lifecycle, r.review]).toEqual(['expired', 'expired', 'flagged']);
  });

  it('expiry works in batches until every stale referral is done', async () => {
    const referrerId = uniqueId('cus');
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push(await seedReferral(t, { referrerId, referredAt: '2026-01-12T08:00:00.000Z' }));
    await expire('2026-02-12', 2);
    const { rows } = await t.sql.query('SELECT status FROM referrals WHERE referrer_id = $1', [referrerId]);
    expect(rows.map((r) => r.status)).toEqual(Array(7).fill('expired'));
  });

  it('an active referral qualifies at the run with asOf A+30, not A+29, with qualifiedAt the start of A+30 SAST', async () => {
    // A = 2026-03-05 (activated 10:00 SAST) → A+30 = 2026-04-04
    const id = await seedReferral(t, {
      referrerId: uniqueId('cus'),
      referredAt: '2026-03-01T08:00:00.000Z',
      lifecycle: 'active',
      activatedAt: '2026-03-05T08:00:00.000Z',
    });
    await qualify('2026-04-03');
    expect((await row(id)).status).toBe('active');
    const result = await qualify('2026-04-04');
    expect(result.qualified).toBeGreaterThanOrEqual(1);
    const r = await row(id);
    expect(r.status).toBe('qualified');
    expect(r.qualified_at.toISOString()).toBe('2026-04-03T22:00:00.000Z');
    const { rows } = await t.sql.query(
      `SELECT payload FROM outbox_events WHERE type = 'referral.qualified' AND payload->>'referralId' = $1`,
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({ referralId: id, qualifiedAt: '2026-04-03T22:00:00.000Z' });
    expect((await qualify('2026-04-04')).qualified).toBe(0);
  });

  it('A is the SAST date of activation: activated at 23:30 SAST on 4 March, it qualifies on 3 April', async () => {
    const id = await seedReferral(t, {
      referrerId: uniqueId('cus'),
      referredAt: '2026-03-01T08:00:00.000Z',
      lifecycle: 'active',
      activatedAt: '2026-03-04T21:30:00.000Z',
    });
    await qualify('2026-04-02');
    expect((await row(id)).status).toBe('active');
    await qualify('2026-04-03');
    expect((await row(id)).qualified_at.toISOString()).toBe('2026-04-02T22:00:00.000Z');
  });

  it('a service suspended before A+30 cancels the referral at the first run on or after the suspension, with cancelledAt the suspension', async () => {
    const id = await seedReferral(t, {
      referrerId: uniqueId('cus'),
      referredAt: '2026-05-01T08:00:00.000Z',
      lifecycle: 'active',
      activatedAt: '2026-05-05T08:00:00.000Z',
      serviceInterruptedAt: '2026-05-20T08:00:00.000Z',
    });
    await qualify('2026-05-19');
    expect((await row(id)).status).toBe('active');
    const result = await qualify('2026-05-20');
    expect(result.cancelled).toBeGreaterThanOrEqual(1);
    const r = await row(id);
    expect([r.status, r.lifecycle]).toEqual(['cancelled', 'cancelled']);
    expect(r.cancelled_at.toISOString()).toBe('2026-05-20T08:00:00.000Z');
  });

  it('a service suspended in the last second before the start of A+30 cancels; one suspended at the start of A+30 qualifies', async () => {
    const referrerId = uniqueId('cus');
    const base = {
      referrerId,
      referredAt: '2026-05-01T08:00:00.000Z',
      lifecycle: 'active',
      activatedAt: '2026-05-05T08:00:00.000Z',
    };
    // A+30 = 2026-06-04, which starts at 2026-06-03T22:00:00Z
    const before = await seedReferral(t, { ...base, serviceInterruptedAt: '2026-06-03T21:59:59.999Z' });
    const at = await seedReferral(t, { ...base, serviceInterruptedAt: '2026-06-03T22:00:00.000Z' });
    await qualify('2026-06-04');
    expect((await row(before)).status).toBe('cancelled');
    expect((await row(at)).status).toBe('qualified');
  });

  it('a flagged active referral waits past A+30 and qualifies at the first run after approval', async () => {
    const id = await seedReferral(t, {
      referrerId: uniqueId('cus'),
      referredAt: '2026-03-01T08:00:00.000Z',
      status: 'flagged',
      lifecycle: 'active',
      review: 'flagged',
      activatedAt: '2026-03-06T08:00:00.000Z',
    });
    await qualify('2026-04-10');
    expect((await row(id)).status).toBe('flagged');
    await t.sql.query(`UPDATE referrals SET review = 'approved', status = 'active' WHERE id = $1`, [id]);
    await qualify('2026-04-11');
    const r = await row(id);
    expect(r.status).toBe('qualified');
    expect(r.qualified_at.toISOString()).toBe('2026-04-04T22:00:00.000Z');
  });

  it('consumed referrals become rewarded with their reward id, and repeating that is a no-op', async () => {
    const referrerId = uniqueId('cus');
    const a = await seedReferral(t, { referrerId, referredAt: '2026-03-01T08:00:00.000Z', lifecycle: 'qualified' });
    const b = await seedReferral(t, { referrerId, referredAt: '2026-03-02T08:00:00.000Z', lifecycle: 'qualified' });
    const rewardId = '11111111-2222-4333-8444-555555555555';
    const at = new Date('2026-04-10T00:00:00.000Z');
    const items = [
      { referralId: a, rewardId, at },
      { referralId: b, rewardId, at },
    ];
    await bus.execute(new MarkReferralsRewarded(items));
    await bus.execute(new MarkReferralsRewarded(items));
    for (const id of [a, b]) {
      const r = await row(id);
      expect([r.status, r.lifecycle, r.reward_id]).toEqual(['rewarded', 'rewarded', rewardId]);
      expect(r.rewarded_at).toEqual(at);
    }
  });

  it('consuming a referral that is not qualified fails and changes nothing', async () => {
    const referrerId = uniqueId('cus');
    const q = await seedReferral(t, { referrerId, referredAt: '2026-03-01T08:00:00.000Z', lifecycle: 'qualified' });
    const p = await seedReferral(t, { referrerId, referredAt: '2026-03-02T08:00:00.000Z', lifecycle: 'pending' });
    const rewardId = '11111111-2222-4333-8444-666666666666';
    await expect(
      bus.execute(
        new MarkReferralsRewarded([
          { referralId: q, rewardId, at: new Date() },
          { referralId: p, rewardId, at: new Date() },
        ]),
      ),
    ).rejects.toMatchObject({ code: 'REFERRALS_NOT_QUALIFIED' });
    expect((await row(q)).status).toBe('qualified');
  });
});
