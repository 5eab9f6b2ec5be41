import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  EarnRewards,
  ExpireRewards,
  GetRewardBalanceSummary,
  ListRewardsOfCustomer,
  type RewardView,
} from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { uniqueId } from '../support/billing.js';
import { aCustomerWithService, billing, outboxTypes, qualifiedReferrals, rewardsOf, rows } from './rewards-support.js';

describe('Rewards: earning and expiry', () => {
  let t: TestApp;
  let commands: CommandBus;
  let queries: QueryBus;
  beforeAll(async () => {
    t = await startTestApp();
    commands = t.get(CommandBus);
    queries = t.get(QueryBus);
  });
  afterAll(() => t.close());

  const earn = (asOf: string) => commands.execute(new EarnRewards(asOf)) as Promise<{ changed: number }>;

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
    expect(await queries.execute(new GetRewardBalanceSummary(customerId))).toEqual({ pendingRewards: 1 });
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

    await commands.execute(new EarnRewards('2026-02-05', 1));

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
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);
    await earn('2026-02-10');

    await commands.execute(new ExpireRewards('2027-02-09'));
    expect((await rewardsOf(t, customerId)).map((r) => r.status)).toEqual(['pending']);

    const result = (await commands.execute(new ExpireRewards('2027-02-10'))) as { changed: number };
    expect(result.changed).toBeGreaterThanOrEqual(1);
    expect((await rewardsOf(t, customerId)).map((r) => r.status)).toEqual(['expired']);
    expect(await outboxTypes(t, customerId)).toEqual(['reward.earned', 'reward.expired']);
    const [expired] = await rows<{ expired_at: Date }>(t, 'SELECT expired_at FROM rewards WHERE customer_id = $1', [
      customerId,
    ]);
    expect(expired!.expired_at.toISOString()).toBe('2027-02-09T22:00:00.000Z');
  });
});
