import { startTestApp, type TestApp } from '../support/app.js';
import { Metrics } from '../../src/platform/observability/metrics.js';
import { TestSmtpServer } from '../support/smtp.js';
import { scenario, type Scenario } from '../reconciliation/scenario.js';
import { backoffElapsed, dispatcher, notificationsOf } from './notifications-support.js';

/**
 * Delivery guarantees of SPEC §15 against a real SMTP server: nothing lost while it is down, a
 * permanent refusal recorded and never retried, one e-mail per event with two instances sending.
 */
describe('Notifications: delivery over SMTP', () => {
  let t: TestApp;
  let s: Scenario;
  const smtp = new TestSmtpServer();

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url } });
    s = scenario(t);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const addressOf = (customerId: string) => `${customerId}@example.org`;

  it('keeps e-mails while the SMTP server is down and delivers every one once it is back', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05' });
    await smtp.stop();
    for (const on of ['2026-01-10', '2026-01-11', '2026-01-12']) await s.signup(referrer.code, on);

    expect(await dispatcher(t).drain()).toMatchObject({ sent: 0, failed: 3 });
    const waiting = await notificationsOf(t, `customer:${referrer.customerId}`);
    expect(waiting.map((n) => [n.status, n.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
      ['pending', 1],
    ]);
    expect(waiting[0]!.last_error).toMatch(/ECONNECTION|ECONNREFUSED/);
    // Still down at the next attempt: retried later again (backoff), nothing given up.
    await backoffElapsed(t);
    expect(await dispatcher(t).drain()).toMatchObject({ sent: 0, failed: 3 });

    await smtp.start();
    await backoffElapsed(t);
    expect(await dispatcher(t).drain()).toMatchObject({ sent: 3, failed: 0 });
    expect(smtp.to(addressOf(referrer.customerId))).toHaveLength(3);
    expect((await notificationsOf(t, `customer:${referrer.customerId}`)).map((n) => [n.status, n.attempts])).toEqual([
      ['sent', 3],
      ['sent', 3],
      ['sent', 3],
    ]);
  });

  it('records a permanent refusal (550) and does not retry it', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05' });
    smtp.refuse.add(addressOf(referrer.customerId));
    await s.signup(referrer.code, '2026-01-16');

    expect(await dispatcher(t).drain()).toMatchObject({ sent: 0, finished: 1, failed: 0 });
    await backoffElapsed(t);
    expect(await dispatcher(t).drain()).toMatchObject({ sent: 0, finished: 0, failed: 0 });
    const [row] = await notificationsOf(t, `customer:${referrer.customerId}`);
    expect(row).toMatchObject({ status: 'rejected', attempts: 1 });
    expect(row!.last_error).toMatch(/550/);
    expect(smtp.to(addressOf(referrer.customerId))).toEqual([]);
    const counted = (await t.get<Metrics>(Metrics).notifications.get()).values.find(
      (v) => v.labels.kind === 'friend_signed_up' && v.labels.outcome === 'rejected',
    );
    expect(counted?.value).toBe(1);
  });

  it('sends each e-mail once when two instances of the service send from the same database at the same time', async () => {
    const other = await startTestApp({ env: { SMTP_URL: smtp.url }, databaseUrl: t.config.databaseUrl });
    try {
      const referrers = [];
      for (let i = 0; i < 4; i++) referrers.push(await s.referrer({ createdOn: '2026-01-05' }));
      for (const referrer of referrers) {
        for (const on of ['2026-01-20', '2026-01-21', '2026-01-22']) await s.signup(referrer.code, on);
      }
      const a = dispatcher(t);
      const b = dispatcher(other);
      a.batchSize = 2;
      b.batchSize = 2;
      const [ra, rb] = await Promise.all([a.drain(), b.drain()]);
      expect(ra.sent + rb.sent).toBe(12);
      for (const referrer of referrers) {
        const mails = smtp.to(addressOf(referrer.customerId));
        expect(mails).toHaveLength(3);
        expect(new Set(mails.map((m) => m.parsed.messageId)).size).toBe(3);
      }
    } finally {
      await other.close();
    }
  });
});
