import { QueryBus } from '@nestjs/cqrs';
import { runStep } from '../support/nightly.js';
import {
  EarnRewards,
  ExpireRewards,
  GetRewardBalanceSummary,
  ListRewardsOfCustomer,
  type RewardView,
} from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { uniqueId } from '../support/billing.js';
import { outboxTypes, qualifiedReferrals, rewardsOf } from './rewards-support.js';
import { aCustomerWithService, billing, rows } from '../support/builders.js';

describe('Rewards: earning and expiry', () => {
  let t: TestApp;
  let queries: QueryBus;
  beforeAll(async () => {
    t = await startTestApp();
    queries = t.get(QueryBus);
  });
  afterAll(() => t.close());

  const earn = async (asOf: string) => ({ changed: (await runStep(t, EarnRewards, asOf)).rewardsEarned });

  it('when a referrer in good standing has two qualified referrals, then one reward is earned on asOf, expiring twelve months later', async () => {
    const { customerId } = await aCustomerWithService(t);
    const referralIds = await qualifiedReferrals(t, customerId, [
      '2026-02-01T08:00:00.000Z',
      '2026-02-03T08:00:00.000Z',
    ]);

    await earn('2026-02-03');

    const [reward, ...others] = await rewardsOf(t, customerId);
    expect(others).toHaveLength(0);
    expect(reward).toMatchObject({ status: 'pending', earned_on: '2026-02-03', manually_granted: false });
    expect(reward!.earned_at.toISOString()).toBe('2026-02-02T22:00:00.000Z');
    expect(reward!.expires_at.toISOString()).toBe('2027-02-02T22:00:00.000Z');
    const ledger = await rows<{ reward_id: string }>(
      t,
      'SELECT reward_id::text FROM reward_qualified_referrals WHERE referrer_id = $1',
      [customerId],
    );
    expect(ledger.map((l) => l.reward_id)).toEqual([reward!.id, reward!.id]);
    const referrals = await rows<{ status: string; reward_id: string }>(
      t,
      'SELECT status, reward_id::text FROM referrals WHERE id = ANY($1::uuid[])',
      [referralIds],
    );
    expect(referrals).toEqual([
      { status: 'rewarded', reward_id: reward!.id },
      { status: 'rewarded', reward_id: reward!.id },
    ]);
    expect(await outboxTypes(t, customerId)).toEqual(['reward.earned']);
    expect(await queries.execute(new GetRewardBalanceSummary(customerId))).toEqual({
      pendingRewards: 1,
      progress: { qualified: 0, required: 2, label: '0/2' },
    });
    const [view] = (await queries.execute(new ListRewardsOfCustomer(customerId))) as RewardView[];
    expect(view!.referralIds.sort()).toEqual([...referralIds].sort());
  });

  it('when the second referral qualifies after the end of asOf, then nothing is earned until a run that includes it', async () => {
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-03T22:30:00.000Z']); // 4 Feb 00:30 SAST

    await earn('2026-02-03');
    expect(await rewardsOf(t, customerId)).toHaveLength(0);
    await earn('2026-02-04');
    expect((await rewardsOf(t, customerId)).map((r) => r.earned_on)).toEqual(['2026-02-04']);
  });

  it('when a referrer has four qualified referrals, then two rewards are earned, each from the oldest two left', async () => {
    const { customerId } = await aCustomerWithService(t);
    const ids = await qualifiedReferrals(t, customerId, [
      '2026-02-04T08:00:00.000Z',
      '2026-02-01T08:00:00.000Z',
      '2026-02-03T08:00:00.000Z',
      '2026-02-02T08:00:00.000Z',
    ]);

    const result = await earn('2026-02-05');

    expect(result.changed).toBeGreaterThanOrEqual(2);
    const rewards = await rewardsOf(t, customerId);
    expect(rewards).toHaveLength(2);
    const ledger = await rows<{ referral_id: string; reward_id: string }>(
      t,
      'SELECT referral_id::text, reward_id::text FROM reward_qualified_referrals WHERE referrer_id = $1 ORDER BY qualified_at',
      [customerId],
    );
    const [oldest, second, third, fourth] = [ids[1], ids[3], ids[2], ids[0]];
    expect(ledger.map((l) => l.referral_id)).toEqual([oldest, second, third, fourth]);
    expect(ledger[0]!.reward_id).toBe(ledger[1]!.reward_id);
    expect(ledger[2]!.reward_id).toBe(ledger[3]!.reward_id);
    expect(ledger[0]!.reward_id).not.toBe(ledger[2]!.reward_id);
  });

  it('when a referrer has one qualified referral, then nothing is earned and it stays unconsumed', async () => {
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z']);
    await earn('2026-02-05');
    expect(await rewardsOf(t, customerId)).toHaveLength(0);
    const [row] = await rows<{ reward_id: string | null }>(
      t,
      'SELECT reward_id FROM reward_qualified_referrals WHERE referrer_id = $1',
      [customerId],
    );
    expect(row!.reward_id).toBeNull();
  });

  it('when the referrer has an overdue invoice, then they keep their qualified referrals until it is paid', async () => {
    const { customerId } = await aCustomerWithService(t);
    const invoiceId = uniqueId('inv');
    await billing(t, {
      type: 'invoice.overdue',
      occurredAt: '2026-01-20T08:00:00.000Z',
      data: { customerId, invoiceId },
    });
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);

    await earn('2026-02-05');
    expect(await rewardsOf(t, customerId)).toHaveLength(0);

    await billing(t, { type: 'invoice.paid', occurredAt: '2026-02-06T08:00:00.000Z', data: { customerId, invoiceId } });
    await earn('2026-02-06');
    expect((await rewardsOf(t, customerId)).map((r) => r.earned_on)).toEqual(['2026-02-06']);
  });

  it('when the same asOf runs again, then nothing more is earned', async () => {
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);
    await earn('2026-02-05');
    await earn('2026-02-05');
    expect(await rewardsOf(t, customerId)).toHaveLength(1);
  });

  it('when many referrers run in small batches, then every eligible one earns and the ineligible ones are skipped', async () => {
    const eligible = await Promise.all([1, 2, 3].map(() => aCustomerWithService(t)));
    const noService = uniqueId('cus');
    for (const { customerId } of eligible)
      await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);
    await qualifiedReferrals(t, noService, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);

    await runStep(t, EarnRewards, '2026-02-05', { batchSize: 1 });

    for (const { customerId } of eligible) expect(await rewardsOf(t, customerId)).toHaveLength(1);
    expect(await rewardsOf(t, noService)).toHaveLength(0);
  });

  it('when a ledger row is already consumed, then the database refuses to give it another reward', async () => {
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);
    await earn('2026-02-05');
    await expect(
      t.sql.query(`UPDATE reward_qualified_referrals SET reward_id = gen_random_uuid() WHERE referrer_id = $1`, [
        customerId,
      ]),
    ).rejects.toThrow(/already consumed/);
  });

  it('when a pending reward reaches its expiry date, then the run on that date expires it and the run the day before does not', async () => {
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-09T08:00:00.000Z']);
    await earn('2026-02-10');
    // Earned on 9 February (the day a daily run would have), so it expires on 9 February 2027.
    expect((await rewardsOf(t, customerId)).map((r) => r.earned_on)).toEqual(['2026-02-09']);

    await runStep(t, ExpireRewards, '2027-02-08');
    expect((await rewardsOf(t, customerId)).map((r) => r.status)).toEqual(['pending']);

    const result = await runStep(t, ExpireRewards, '2027-02-09');
    expect(result.rewardsExpired).toBeGreaterThanOrEqual(1);
    expect((await rewardsOf(t, customerId)).map((r) => r.status)).toEqual(['expired']);
    expect(await outboxTypes(t, customerId)).toEqual(['reward.earned', 'reward.expired']);
    const [expired] = await rows<{ expired_at: Date }>(t, 'SELECT expired_at FROM rewards WHERE customer_id = $1', [
      customerId,
    ]);
    expect(expired!.expired_at.toISOString()).toBe('2027-02-08T22:00:00.000Z');
  });

  it('when a run catches up after a gap, then each reward is earned on the day a daily run would have earned it', async () => {
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, [
      '2026-04-01T08:00:00.000Z',
      '2026-04-03T08:00:00.000Z',
      '2026-04-06T08:00:00.000Z',
      '2026-04-08T08:00:00.000Z',
    ]);
    await earn('2026-04-20');
    const rewards = await rewardsOf(t, customerId);
    expect(rewards.map((r) => r.earned_on).sort()).toEqual(['2026-04-03', '2026-04-08']);
  });

  it('when the referrer is not eligible on the qualifying day, then the reward is earned on the first day they are — judged by that day, not the run day', async () => {
    const { customerId } = await aCustomerWithService(t);
    const invoiceId = uniqueId('inv');
    await billing(t, {
      type: 'invoice.overdue',
      occurredAt: '2026-05-01T08:00:00.000Z',
      data: { customerId, invoiceId },
    });
    await qualifiedReferrals(t, customerId, ['2026-05-02T08:00:00.000Z', '2026-05-03T08:00:00.000Z']);
    await billing(t, { type: 'invoice.paid', occurredAt: '2026-05-12T08:00:00.000Z', data: { customerId, invoiceId } });

    // A run for 10 May judges 3–10 May by the facts of those days: overdue throughout, nothing earned.
    await earn('2026-05-10');
    expect(await rewardsOf(t, customerId)).toHaveLength(0);
    await earn('2026-05-20');
    expect((await rewardsOf(t, customerId)).map((r) => r.earned_on)).toEqual(['2026-05-12']);
  });
});
