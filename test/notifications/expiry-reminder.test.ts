import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer } from '../support/auth.js';
import { TestSmtpServer } from '../support/smtp.js';
import { scenario, type Scenario } from '../reconciliation/scenario.js';
import { dispatcher, notificationsOf } from './notifications-support.js';

/** SPEC §15: 30 days before a pending free month expires, the nightly run reminds its holder, once. */
describe('Notifications: the expiry reminder of a pending free month', () => {
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

  it('is sent by the first run 30 days before the expiry date, once, whatever runs follow; an expired or revoked reward gets none', async () => {
    // No active service: the free month stays pending until it expires.
    const holder = await s.referrer({ createdOn: '2026-01-05' });
    await s.billing('service.cancelled', { serviceId: holder.serviceId }, '2026-01-06');
    const revoked = await s.referrer({ createdOn: '2026-01-05' });
    await s.billing('service.cancelled', { serviceId: revoked.serviceId }, '2026-01-06');
    t.clock.set(new Date('2026-03-10T08:00:00.000Z'));
    const manage = bearer(adminToken(['referrals:manage']));
    for (const c of [holder, revoked]) {
      const res = await request(t.server)
        .post(`/api/admin/customers/${c.customerId}/referrals/grant`)
        .set(manage)
        .send({ reason: 'Goodwill: outage in March' });
      expect(res.status).toBe(201);
    }
    const [toRevoke] = await s.rewardsOf(revoked.customerId);
    const revoke = await request(t.server)
      .post(`/api/admin/customers/${revoked.customerId}/referrals/revoke`)
      .set(manage)
      .send({ rewardId: toRevoke!.id, reason: 'Granted to the wrong account' });
    expect(revoke.status).toBe(200);
    await dispatcher(t).drain();
    const before = smtp.received.length;

    // Expires on 10 March 2027: reminded from 8 February 2027 (30 days before).
    await s.run('2027-02-07');
    await dispatcher(t).drain();
    expect(smtp.received.length).toBe(before);

    // A dry run changes nothing: its reminder (event and e-mail) rolls back with it.
    await s.run('2027-02-08', { dryRun: true });
    const planned = await t.sql.query(`SELECT 1 FROM notifications WHERE kind = 'reward_expiring'`);
    expect(planned.rows).toEqual([]);

    await s.run('2027-02-08');
    await s.run('2027-02-08');
    await s.run('2027-02-20');
    await dispatcher(t).drain();
    const reminders = smtp
      .to(`${holder.customerId}@example.org`)
      .filter((m) => m.parsed.subject?.startsWith('Your free month expires'));
    expect(reminders.map((m) => m.parsed.subject)).toEqual(['Your free month expires on 10 March 2027']);
    expect(reminders[0]!.parsed.text).toContain('It expires on 10 March 2027, in 30 days.');
    expect(smtp.to(`${revoked.customerId}@example.org`).map((m) => m.parsed.subject)).toEqual([
      'You have been given a free month of CircleTel',
      'A free month on your account was withdrawn',
    ]);
    const [reward] = await s.rewardsOf(holder.customerId);
    const stored = await t.sql.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'reward.expiry_reminder' AND payload->>'rewardId' = $1`,
      [reward!.id],
    );
    expect(stored.rows[0]).toEqual({ n: 1 });
    expect(
      (await notificationsOf(t, `customer:${holder.customerId}`)).filter((n) => n.kind === 'reward_expiring'),
    ).toHaveLength(1);

    // On the expiry date it expires instead: no reminder for an expired reward.
    await s.run('2027-03-10');
    const [expired] = await s.rewardsOf(holder.customerId);
    expect(expired!.status).toBe('expired');
  });
});
