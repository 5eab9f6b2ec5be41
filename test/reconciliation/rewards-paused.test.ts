import { startTestApp, type TestApp } from '../support/app.js';
import { scenario, type Scenario } from './scenario.js';

/** SPEC §7: ENABLE_REFERRAL_REWARDS=false pauses applying rewards; everything else runs. */
let t: TestApp;
let s: Scenario;

beforeAll(async () => {
  t = await startTestApp({ env: { ENABLE_REFERRAL_REWARDS: 'false' } });
  s = scenario(t);
});
afterAll(() => t.close());

describe('with ENABLE_REFERRAL_REWARDS=false', () => {
  it('a run still qualifies referrals and earns the reward, but applies nothing', async () => {
    const referrer = await s.referrer({ createdOn: '2025-12-01' });
    for (const on of ['2026-01-10', '2026-01-10']) {
      const referred = await s.signup(referrer.code, on);
      await s.activate(referred, '2026-01-12');
    }
    const qualifying = await s.run('2026-02-11');
    expect(qualifying.counts).toMatchObject({ referralsQualified: 2, rewardsEarned: 1, rewardsApplied: 0 });

    const due = await s.run('2026-03-01');
    expect(due.status).toBe('succeeded');
    expect(due.counts.rewardsApplied).toBe(0);
    expect(due.creditsTotal).toBe('0.00');
    expect((await s.rewardsOf(referrer.customerId)).map((r) => r.status)).toEqual(['pending']);
    expect(await s.creditNotesOf(referrer.customerId)).toEqual([]);
    expect(
      (await t.sql.query("SELECT count(*)::int AS n FROM outbox_events WHERE type = 'reward.applied'")).rows[0].n,
    ).toBe(0);
  });
});
