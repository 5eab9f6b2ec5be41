import { startTestApp, type TestApp } from '../support/app.js';
import { uniqueId } from '../support/billing.js';
import { scenario, type Scenario } from './scenario.js';

/**
 * The nightly steps as the reconciliation runs them (SPEC §4, §6, §8), one customer's story per
 * test. Runs are global, so every assertion is about the test's own customers.
 */
let t: TestApp;
let s: Scenario;

beforeAll(async () => {
  t = await startTestApp();
  s = scenario(t);
});
afterAll(() => t.close());

const startOf = (date: string) => new Date(`${date}T00:00:00+02:00`);

describe('referrals that never activate', () => {
  it('are still pending at R+30 and expire at the first run on or after R+31', async () => {
    const referrer = await s.referrer({ createdOn: '2025-10-01' });
    await s.signup(referrer.code, '2025-11-10');

    await s.run('2025-12-10'); // R+30
    expect((await s.referralsOf(referrer.customerId)).map((r) => r.status)).toEqual(['pending']);

    const run = await s.run('2025-12-11'); // R+31
    expect(run.counts.referralsExpired).toBeGreaterThanOrEqual(1);
    const [referral] = await s.referralsOf(referrer.customerId);
    expect(referral!.status).toBe('expired');
    expect(referral!.expired_at).toEqual(startOf('2025-12-11'));
  });
});

describe('a referral whose service is suspended inside the 30-day hold', () => {
  it('is cancelled rather than qualified, and earns nothing', async () => {
    const referrer = await s.referrer({ createdOn: '2025-10-01' });
    const kept = await s.signup(referrer.code, '2025-11-03');
    const dropped = await s.signup(referrer.code, '2025-11-03', '09:00');
    await s.activate(kept, '2025-11-05');
    const droppedService = await s.activate(dropped, '2025-11-05');
    await s.billing('service.suspended', { serviceId: droppedService }, '2025-11-20');

    await s.run('2025-12-05'); // A+30
    const referrals = await s.referralsOf(referrer.customerId);
    expect(Object.fromEntries(referrals.map((r) => [r.referred_id, r.status]))).toEqual({
      [kept]: 'qualified',
      [dropped]: 'cancelled',
    });
    expect(referrals.find((r) => r.referred_id === kept)!.qualified_at).toEqual(startOf('2025-12-05'));
    expect(await s.rewardsOf(referrer.customerId)).toEqual([]);
  });
});

describe('a referrer with an unpaid overdue invoice', () => {
  it('keeps their qualified referrals but earns no reward until the invoice is paid', async () => {
    const referrer = await s.referrer({ createdOn: '2025-09-01' });
    for (const on of ['2025-09-10', '2025-09-11']) {
      const referred = await s.signup(referrer.code, on);
      await s.activate(referred, '2025-09-12');
    }
    const invoiceId = uniqueId('inv');
    await s.billing('invoice.overdue', { customerId: referrer.customerId, invoiceId }, '2025-10-05');

    await s.run('2025-10-12'); // A+30: both qualify, but the referrer is not in good standing
    expect((await s.referralsOf(referrer.customerId)).map((r) => r.status)).toEqual(['qualified', 'qualified']);
    expect(await s.rewardsOf(referrer.customerId)).toEqual([]);

    await s.billing('invoice.paid', { customerId: referrer.customerId, invoiceId }, '2025-10-20');
    await s.run('2025-10-21');
    const rewards = await s.rewardsOf(referrer.customerId);
    expect(rewards).toHaveLength(1);
    // Eligible again as 20 October ended (paid that day): earned on the 20th, the day a daily run would have.
    expect(rewards[0]).toMatchObject({ status: 'pending', earned_at: startOf('2025-10-20') });
    expect((await s.referralsOf(referrer.customerId)).map((r) => r.status)).toEqual(['rewarded', 'rewarded']);

    await s.run('2025-11-01'); // the next billing cycle of the referrer's service
    expect((await s.rewardsOf(referrer.customerId))[0]!.status).toBe('applied');
    expect(await s.creditNotesOf(referrer.customerId)).toHaveLength(1);
  });
});

describe('a reward that cannot be applied', () => {
  it('stays pending for twelve months and expires at the first run on or after the date of expiresAt', async () => {
    const referrer = await s.referrer({ createdOn: '2025-05-01' });
    for (const on of ['2025-05-10', '2025-05-11']) {
      const referred = await s.signup(referrer.code, on);
      await s.activate(referred, '2025-05-12');
    }
    await s.run('2025-06-11'); // A+30: qualified and earned on 11 June 2025
    const [earned] = await s.rewardsOf(referrer.customerId);
    expect(earned).toMatchObject({
      status: 'pending',
      earned_at: startOf('2025-06-11'),
      expires_at: startOf('2026-06-11'),
    });

    // The referrer cancels before the next cycle: there is no service to credit.
    await s.billing('service.cancelled', { serviceId: referrer.serviceId }, '2025-06-20');
    await s.run('2025-07-01');
    expect((await s.rewardsOf(referrer.customerId))[0]!.status).toBe('pending');

    await s.run('2026-06-10');
    expect((await s.rewardsOf(referrer.customerId))[0]!.status).toBe('pending');
    const run = await s.run('2026-06-11');
    expect(run.counts.rewardsExpired).toBeGreaterThanOrEqual(1);
    expect((await s.rewardsOf(referrer.customerId))[0]!.status).toBe('expired');
    expect(await s.creditNotesOf(referrer.customerId)).toEqual([]);
  });
});
