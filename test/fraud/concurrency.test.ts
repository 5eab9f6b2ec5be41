import { startTestApp, type TestApp } from '../support/app.js';
import { customerCreated, sendBillingEvent, uniqueId } from '../support/billing.js';
import { aReferrer } from '../support/builders.js';

describe('concurrent attributions for one referrer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('accepts exactly 10 of 20 signups sent at once in one SAST month, even within one millisecond', async () => {
    const referrer = await aReferrer(t);
    const at = '2026-03-15T09:00:00.000Z';
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        sendBillingEvent(t.server, customerCreated({ customerId: uniqueId('cus'), referralCode: referrer.code }, at), {
          at: t.clock.now(),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));

    const { rows } = await t.sql.query(
      `SELECT outcome, count(*)::int AS n FROM fraud_screenings WHERE referrer_id = $1 GROUP BY outcome`,
      [referrer.customerId],
    );
    const byOutcome = Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
    expect((byOutcome.accepted ?? 0) + (byOutcome.flagged ?? 0)).toBe(10);
    expect(byOutcome.rejected).toBe(10);

    const referrals = await t.sql.query(
      `SELECT count(*)::int AS n FROM referrals WHERE referrer_id = $1 AND status <> 'rejected'`,
      [referrer.customerId],
    );
    expect(referrals.rows[0].n).toBe(10);
    // Every one of the 20 was counted for BURST: the 6th to the 20th carry the finding.
    const burst = await t.sql.query(
      `SELECT count(*)::int AS n FROM fraud_findings WHERE referrer_id = $1 AND rule = 'BURST'`,
      [referrer.customerId],
    );
    expect(burst.rows[0].n).toBe(15);
  });
});
