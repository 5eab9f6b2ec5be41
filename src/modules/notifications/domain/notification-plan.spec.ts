import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogueEvent } from '#libs/ddd/index.js';
import { NOTIFICATION_KINDS, planNotifications, type NotificationKind } from './notification-plan.js';
import { renderEmail, type TemplateFiles } from './template.js';

const templates = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates');
const read = (name: string) => readFileSync(path.join(templates, name), 'utf8');
const filesOf = (kind: NotificationKind): TemplateFiles => {
  const layout = kind === 'fraud_alert' ? 'staff-layout' : 'layout';
  return {
    text: read(`${kind}.txt`),
    html: read(`${kind}.html`),
    layoutText: read(`${layout}.txt`),
    layoutHtml: read(`${layout}.html`),
  };
};
const event = (type: string, data: object) => ({ type, version: 1, occurredAt: new Date(), data }) as CatalogueEvent;
const links = { greetingName: 'Sipho', unsubscribeUrl: 'https://x.test/api/notifications/unsubscribe?token=a.b' };

const reward = {
  rewardId: '3a3796be-ed9a-4cc8-97af-efd5e787eaea',
  customerId: 'cus_ref',
  rewardType: 'free_month',
  status: 'pending',
  manuallyGranted: false,
  earnedAt: '2026-02-28T22:00:00.000Z',
  expiresAt: '2027-02-28T22:00:00.000Z',
};

describe('the e-mails of each outbox event', () => {
  it('the free month applied: amount in rand with thousands, period and credit note, dates in SAST', () => {
    const [n] = planNotifications(
      'e1',
      event('reward.applied', {
        rewardId: reward.rewardId,
        customerId: 'cus_ref',
        appliedAt: '2026-02-28T22:00:00.000Z',
        creditNote: {
          number: 'CN-2026-00042',
          periodStart: '2026-03-01',
          periodEnd: '2026-03-31',
          amountInclVat: '1099.00',
        },
      }),
    );
    expect(n).toMatchObject({
      kind: 'free_month_applied',
      recipient: { type: 'customer', customerId: 'cus_ref' },
      variables: {
        amount: 'R1,099.00',
        periodStart: '1 March 2026',
        periodEnd: '31 March 2026',
        creditNoteNumber: 'CN-2026-00042',
      },
    });
    const email = renderEmail(filesOf(n!.kind), { ...n!.variables, ...links });
    expect(email.subject).toBe('Your free month is on your bill: R1,099.00 credited');
    expect(email.text).toContain('Credit: R1,099.00 (VAT included)\nPeriod: 1 March 2026 to 31 March 2026');
    expect(email.text).toMatch(/^Hi Sipho,\n/);
    expect(email.text).toContain('Stop these e-mails: https://x.test/api/notifications/unsubscribe?token=a.b');
    expect(email.html).toContain('<strong>R1,099.00</strong>');
    expect(email.html).toContain('href="https://x.test/api/notifications/unsubscribe?token=a.b"');
  });

  it('a reward earned or granted says when it expires (the SAST date of expiresAt)', () => {
    for (const type of ['reward.earned', 'reward.granted'] as const) {
      const [n] = planNotifications('e', event(type, { ...reward, referralIds: [], reason: 'x' }));
      expect(n!.variables).toEqual({ expiresOn: '1 March 2027' });
      expect(renderEmail(filesOf(n!.kind), { ...n!.variables, ...links }).text).toContain('Use it by 1 March 2027');
    }
  });

  it('a qualified referral shows progress, capped at what a reward needs', () => {
    const qualified = (q: number) =>
      planNotifications(
        'e',
        event('referral.qualified', {
          referrerId: 'cus_ref',
          referredFirstName: 'Thandi',
          progress: { qualified: q, required: 2 },
        }),
      )[0]!.variables;
    expect(qualified(1)).toMatchObject({
      progress: '1/2',
      nextStep: expect.stringContaining('1 more qualified referral '),
    });
    expect(qualified(2)).toMatchObject({
      progress: '2/2',
      nextStep: expect.stringContaining('That makes a free month'),
    });
    expect(qualified(3)).toMatchObject({ progress: '2/2' });
  });

  it('a friend who signs up: only a referral that stands (pending) is told, with the first name only', () => {
    const attributed = (status: string) =>
      planNotifications(
        'e',
        event('referral.attributed', {
          referrerId: 'cus_ref',
          referredId: 'cus_friend',
          referredFirstName: 'Thandi',
          status,
        }),
      );
    expect(attributed('pending')).toEqual([
      expect.objectContaining({ kind: 'friend_signed_up', variables: { friendFirstName: 'Thandi' } }),
    ]);
    expect(attributed('flagged')).toEqual([]);
    expect(attributed('rejected')).toEqual([]);
  });

  it('escapes what comes from outside in the HTML part, and keeps it as written in the text part', () => {
    const email = renderEmail(filesOf('friend_signed_up'), { friendFirstName: '<b>Thandi</b> & co', ...links });
    expect(email.html).toContain('<strong>&lt;b&gt;Thandi&lt;/b&gt; &amp; co</strong>');
    expect(email.text).toContain('Good news: <b>Thandi</b> & co signed up');
  });

  it('fraud alerts go to the staff list, with the time in SAST', () => {
    const [n] = planNotifications(
      'e',
      event('fraud.alert', {
        referrerId: 'cus_ref',
        referralId: reward.rewardId,
        rule: 'BURST',
        count: 6,
        windowHours: 24,
        referredAt: '2026-01-20T05:30:00.000Z',
      }),
    );
    expect(n!.recipient).toEqual({ type: 'staff', list: 'fraud_alerts' });
    expect(n!.variables.referredAt).toBe('20 January 2026, 07:30 SAST');
  });

  it('every kind has both parts, and renders with the variables its event gives', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const files = filesOf(kind);
      expect(files.text).toMatch(/^Subject: /);
      expect(files.html.trim()).not.toBe('');
    }
    const [expiring] = planNotifications(
      'e',
      event('reward.expiry_reminder', { ...reward, remindedOn: '2027-01-30', daysLeft: 30 }),
    );
    expect(renderEmail(filesOf('reward_expiring'), { ...expiring!.variables, ...links }).subject).toBe(
      'Your free month expires on 1 March 2027',
    );
    const [revoked] = planNotifications(
      'e',
      event('reward.revoked', { ...reward, revokedAt: reward.earnedAt, reason: 'internal note' }),
    );
    const text = renderEmail(filesOf('reward_revoked'), { ...revoked!.variables, ...links }).text;
    expect(text).not.toContain('internal note');
  });

  it('refuses a template variable without a value rather than sending a hole', () => {
    expect(() => renderEmail(filesOf('friend_signed_up'), links)).toThrow('{{friendFirstName}}');
  });

  it('sends nothing for events that concern nobody by e-mail', () => {
    expect(planNotifications('e', event('referral.flagged', {}))).toEqual([]);
    expect(planNotifications('e', event('reward.expired', reward))).toEqual([]);
  });
});
