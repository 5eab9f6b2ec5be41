import type { CatalogueEvent } from '#libs/ddd/index.js';
import { formatDate, formatRand } from './formatting.js';

/** The e-mails the service sends (SPEC §15); each is a pair of templates, `templates/<kind>.{txt,html}`. */
export const NOTIFICATION_KINDS = [
  'friend_signed_up',
  'referral_qualified',
  'reward_earned',
  'reward_granted',
  'free_month_applied',
  'reward_expiring',
  'reward_revoked',
  'fraud_alert',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Who an e-mail goes to: a customer (their address is looked up when it is sent, from the
 * billing mirror, so a changed or erased address is honoured) or a staff list (FRAUD_ALERT_EMAIL).
 * `key` is what de-duplicates: one e-mail per event and key.
 */
export type Recipient = { type: 'customer'; customerId: string } | { type: 'staff'; list: 'fraud_alerts' };

export function recipientKey(r: Recipient): string {
  return r.type === 'customer' ? `customer:${r.customerId}` : `staff:${r.list}`;
}

/** An e-mail to send because of one outbox event; `variables` are already formatted for the reader. */
export interface PlannedNotification {
  eventId: string;
  eventType: string;
  kind: NotificationKind;
  recipient: Recipient;
  variables: Record<string, string>;
}

/**
 * The e-mails one catalogue event causes (none for most). Only the friend's first name ever
 * reaches an e-mail (POPIA): the payload fields copied here are chosen one by one.
 *
 * A referral attributed as `flagged` or `rejected` by the fraud rules mails nobody: the referrer
 * hears of the friend only once the referral stands (`pending`), so a rule is never tipped off.
 */
export function planNotifications(eventId: string, event: CatalogueEvent): PlannedNotification[] {
  const customer = (customerId: string): Recipient => ({ type: 'customer', customerId });
  const one = (kind: NotificationKind, recipient: Recipient, variables: Record<string, string>) => [
    { eventId, eventType: event.type, kind, recipient, variables },
  ];
  switch (event.type) {
    case 'referral.attributed': {
      const d = event.data;
      if (d.status !== 'pending') return [];
      return one('friend_signed_up', customer(d.referrerId), { friendFirstName: d.referredFirstName });
    }
    case 'referral.qualified': {
      const d = event.data;
      const { qualified, required } = d.progress;
      const shown = Math.min(qualified, required);
      return one('referral_qualified', customer(d.referrerId), {
        friendFirstName: d.referredFirstName,
        qualified: String(shown),
        required: String(required),
        progress: `${shown}/${required}`,
        nextStep:
          shown >= required
            ? 'That makes a free month: it is added to your account at the next nightly update.'
            : `${required - shown} more qualified ${required - shown === 1 ? 'referral' : 'referrals'} and you earn a free month.`,
      });
    }
    case 'reward.earned':
      return one('reward_earned', customer(event.data.customerId), { expiresOn: formatDate(event.data.expiresAt) });
    case 'reward.granted':
      return one('reward_granted', customer(event.data.customerId), { expiresOn: formatDate(event.data.expiresAt) });
    case 'reward.applied': {
      const note = event.data.creditNote;
      return one('free_month_applied', customer(event.data.customerId), {
        amount: formatRand(note.amountInclVat),
        periodStart: formatDate(note.periodStart),
        periodEnd: formatDate(note.periodEnd),
        creditNoteNumber: note.number,
      });
    }
    case 'reward.expiry_reminder':
      return one('reward_expiring', customer(event.data.customerId), {
        expiresOn: formatDate(event.data.expiresAt),
        daysLeft: String(event.data.daysLeft),
      });
    case 'reward.revoked':
      return one('reward_revoked', customer(event.data.customerId), {});
    case 'fraud.alert': {
      const d = event.data;
      return one(
        'fraud_alert',
        { type: 'staff', list: 'fraud_alerts' },
        {
          referrerId: d.referrerId,
          referralId: d.referralId,
          rule: d.rule,
          count: String(d.count),
          windowHours: String(d.windowHours),
          referredAt: `${formatDate(d.referredAt)}, ${sastTime(d.referredAt)} SAST`,
        },
      );
    }
    default:
      return [];
  }
}

/** HH:MM in SAST (UTC+2, no daylight saving). */
function sastTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 2 * 3_600_000).toISOString().slice(11, 16);
}
