import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { bearer, customerToken } from '../support/auth.js';
import { customerCreated, sendBillingEvent } from '../support/billing.js';
import { TestSmtpServer, type ReceivedMail } from '../support/smtp.js';
import { scenario, sast, type Scenario } from '../reconciliation/scenario.js';
import { PlanNotificationsOnOutboxEvents } from '../../src/modules/notifications/application/listeners/plan-notifications-on-outbox-events.consumer.js';
import { dispatcher, FRAUD_DESK, header, notificationsOf } from './notifications-support.js';

/**
 * SPEC §15 end to end: billing webhooks and nightly runs make outbox events, the notifications
 * turn them into e-mails, and a real SMTP server (smtp-server, in this process) receives them,
 * parsed with mailparser.
 */
describe('Notifications: the e-mails customers and fraud staff receive', () => {
  let t: TestApp;
  let s: Scenario;
  const smtp = new TestSmtpServer();

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, FRAUD_ALERT_EMAIL: FRAUD_DESK, PUBLIC_BASE_URL: 'https://referrals.circletel.test' },
    });
    s = scenario(t);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const addressOf = (customerId: string) => `${customerId}@example.org`;
  const subjects = (mails: ReceivedMail[]) => mails.map((m) => m.parsed.subject);

  it('tells the referrer a friend signed up (first name only), in text and HTML, with a one-click unsubscribe link', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05' });
    const friend = await s.signup(referrer.code, '2026-01-10');

    expect(await dispatcher(t).drain()).toMatchObject({ sent: 1, failed: 0 });
    const [mail, ...more] = smtp.to(addressOf(referrer.customerId));
    expect(more).toEqual([]);
    expect(mail!.parsed.subject).toBe('Thandi signed up with your referral code');
    expect(mail!.parsed.from?.value).toEqual([{ name: 'CircleTel Referrals', address: 'referrals@circletel.co.za' }]);
    expect(mail!.parsed.text).toContain('Hi Sipho,');
    expect(mail!.parsed.text).toContain('Good news: Thandi signed up with your CircleTel referral code.');
    expect(mail!.parsed.html).toContain('<strong>Thandi</strong> signed up');
    // nothing of the friend beyond the first name
    for (const part of [mail!.raw]) {
      expect(part).not.toContain('Nkosi');
      expect(part).not.toContain(friend);
    }
    const unsubscribe = header(mail!, 'List-Unsubscribe');
    expect(unsubscribe).toMatch(
      /^<https:\/\/referrals\.circletel\.test\/api\/notifications\/unsubscribe\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/,
    );
    expect(header(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail!.parsed.text).toContain(unsubscribe!.slice(1, -1));
    expect(mail!.parsed.html).toContain(unsubscribe!.slice(1, -1).replace(/&/g, '&amp;'));
  });

  it('sends one e-mail per event however often billing delivers it and however often the e-mails are drained', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05' });
    const signup = { id: 'evt_dup_signup_1', ...customerCreated({ referralCode: referrer.code }, sast('2026-01-11')) };
    t.clock.set(new Date(new Date(signup.occurredAt).getTime() + 60_000));
    expect((await sendBillingEvent(t.server, signup, { at: t.clock.now() })).status).toBe(200);
    expect((await sendBillingEvent(t.server, signup, { at: t.clock.now() })).status).toBe(200);

    await dispatcher(t).drain();
    await dispatcher(t).drain();
    expect(subjects(smtp.to(addressOf(referrer.customerId)))).toEqual(['Thandi signed up with your referral code']);
    expect(await notificationsOf(t, `customer:${referrer.customerId}`)).toMatchObject([
      { kind: 'friend_signed_up', status: 'sent', attempts: 1 },
    ]);
  });

  it('plans the e-mails of an outbox event once even when it is handed over again (a retried relay or writer)', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05' });
    await s.signup(referrer.code, '2026-01-12');
    const { rows } = await t.sql.query<{ id: string; type: string; occurred_at: Date; payload: object }>(
      `SELECT id::text, type, occurred_at, payload FROM outbox_events
        WHERE type = 'referral.attributed' AND payload->>'referrerId' = $1`,
      [referrer.customerId],
    );
    expect(rows).toHaveLength(1);
    const stored = {
      id: rows[0]!.id,
      event: { type: rows[0]!.type, version: 1, occurredAt: rows[0]!.occurred_at, data: rows[0]!.payload },
    };
    const consumer = t.get<PlanNotificationsOnOutboxEvents>(PlanNotificationsOnOutboxEvents);
    await consumer.onEventsStored([stored as never]);
    await consumer.onEventsStored([stored as never]);

    await dispatcher(t).drain();
    expect(smtp.to(addressOf(referrer.customerId))).toHaveLength(1);
    expect(await notificationsOf(t, `customer:${referrer.customerId}`)).toHaveLength(1);
  });

  it('tells the referrer each qualified referral with progress, the free month earned, then applied with amount, period and credit note', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05', monthlyPrice: '1099.00' });
    for (const on of ['2026-01-10', '2026-01-11']) {
      const friend = await s.signup(referrer.code, on);
      await s.activate(friend, '2026-01-12');
    }
    await s.run('2026-02-15');
    await s.run('2026-03-01');
    await dispatcher(t).drain();

    const mails = smtp.to(addressOf(referrer.customerId));
    expect(subjects(mails)).toEqual([
      'Thandi signed up with your referral code',
      'Thandi signed up with your referral code',
      'Your referral of Thandi qualified (1/2)',
      'Your referral of Thandi qualified (2/2)',
      'You earned a free month of CircleTel',
      'Your free month is on your bill: R1,099.00 credited',
    ]);
    const earned = mails[4]!;
    expect(earned.parsed.text).toContain('Use it by 11 February 2027');
    const applied = mails[5]!;
    const [note] = await s.creditNotesOf(referrer.customerId);
    expect(applied.parsed.text).toContain('Credit: R1,099.00 (VAT included)');
    expect(applied.parsed.text).toContain('Period: 1 March 2026 to 31 March 2026');
    expect(applied.parsed.text).toContain(`Credit note: ${note!.number}`);
    expect(applied.parsed.html).toMatch(new RegExp(`<td [^>]*>${note!.number}</td>`));
    expect(mails[3]!.parsed.text).toContain('Progress towards your next free month: 2/2.');
  });

  it('one-click unsubscribe: a POST with a form body to the link opts the customer out, and no e-mail follows', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05' });
    await s.signup(referrer.code, '2026-01-13');
    await dispatcher(t).drain();
    const [first] = smtp.to(addressOf(referrer.customerId));
    const link = new URL(header(first!, 'List-Unsubscribe')!.slice(1, -1));

    // Opening the link shows a page and changes nothing.
    const page = await request(t.server).get(`${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<button type="submit">Unsubscribe</button>');
    const prefs = () =>
      request(t.server)
        .get('/api/customer/notification-preferences')
        .set(bearer(customerToken(referrer.customerId)));
    expect((await prefs()).body).toEqual({ referralEmails: true, updatedAt: null });

    // What a mailbox provider sends (RFC 8058): no session, the form body.
    const res = await request(t.server)
      .post(`${link.pathname}${link.search}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click');
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are unsubscribed');
    expect((await prefs()).body).toMatchObject({ referralEmails: false });

    await s.signup(referrer.code, '2026-01-14');
    expect(await dispatcher(t).drain()).toMatchObject({ sent: 0, finished: 1 });
    expect(smtp.to(addressOf(referrer.customerId))).toHaveLength(1);
    expect((await notificationsOf(t, `customer:${referrer.customerId}`)).map((n) => n.status)).toEqual([
      'sent',
      'suppressed',
    ]);
  });

  it('one-click unsubscribe takes multipart/form-data too, and refuses a token that was tampered with', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05' });
    await s.signup(referrer.code, '2026-01-15');
    await dispatcher(t).drain();
    const link = new URL(header(smtp.to(addressOf(referrer.customerId))[0]!, 'List-Unsubscribe')!.slice(1, -1));

    const forged = await request(t.server)
      .post(`${link.pathname}?token=${link.searchParams.get('token')!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`)
      .field('List-Unsubscribe', 'One-Click');
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ code: 'UNSUBSCRIBE_LINK_INVALID' });

    const res = await request(t.server).post(`${link.pathname}${link.search}`).field('List-Unsubscribe', 'One-Click');
    expect(res.status).toBe(200);
    const prefs = await request(t.server)
      .get('/api/customer/notification-preferences')
      .set(bearer(customerToken(referrer.customerId)));
    expect(prefs.body).toMatchObject({ referralEmails: false });

    // Elsewhere, a form is still 415: the exception is this endpoint only.
    const elsewhere = await request(t.server)
      .put('/api/customer/notification-preferences')
      .set(bearer(customerToken(referrer.customerId)))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('referralEmails=true');
    expect(elsewhere.status).toBe(415);
  });

  it('alerts the fraud desk on a burst of referrals, even when the referrer opted out of e-mails', async () => {
    const referrer = await s.referrer({ createdOn: '2026-01-05' });
    const optOut = await request(t.server)
      .put('/api/customer/notification-preferences')
      .set(bearer(customerToken(referrer.customerId)))
      .send({ referralEmails: false });
    expect(optOut.status).toBe(200);
    for (let i = 0; i < 6; i++) await s.signup(referrer.code, '2026-01-20', `0${i + 1}:00`);
    await dispatcher(t).drain();

    expect(smtp.to(addressOf(referrer.customerId))).toEqual([]);
    const alerts = smtp.to(FRAUD_DESK).filter((m) => m.parsed.text?.includes(referrer.customerId));
    expect(subjects(alerts)).toEqual([`Fraud alert: 6 referrals in 24 hours by ${referrer.customerId}`]);
    expect(alerts[0]!.parsed.text).toContain('The referral rule BURST fired');
    expect(alerts[0]!.parsed.html).toMatch(/<h1 [^>]*>Fraud alert: BURST<\/h1>/);
    expect(header(alerts[0]!, 'List-Unsubscribe')).toBeUndefined();
  });
});
