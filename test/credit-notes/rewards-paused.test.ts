import { runStep } from '../support/nightly.js';
import { ApplyDueRewards, EarnRewards } from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { creditNotesOf, qualifiedReferrals, rewardsOf } from '../rewards/rewards-support.js';
import { aCustomerWithService } from '../support/builders.js';

describe('Free months while ENABLE_REFERRAL_REWARDS=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ENABLE_REFERRAL_REWARDS: 'false' } });
  });
  afterAll(() => t.close());

  it('when applying is paused, then a due reward stays pending and no credit note is issued', async () => {
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);
    await runStep(t, EarnRewards, '2026-02-10');

    const result = await runStep(t, ApplyDueRewards, '2026-03-01');

    expect([result.rewardsApplied, result.creditsTotalCents]).toEqual([0, 0n]);
    expect(await creditNotesOf(t, customerId)).toHaveLength(0);
    expect((await rewardsOf(t, customerId)).map((r) => r.status)).toEqual(['pending']);
  });
});
