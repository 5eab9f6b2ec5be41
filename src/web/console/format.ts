import { formatRand } from '../../../libs/ddd/customer-wording.js';

/** How the console writes dates, money and states: South African time and rand, in words. */
const ZONE = 'Africa/Johannesburg';

const dateTime = new Intl.DateTimeFormat('en-ZA', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('en-ZA', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** A calendar date (YYYY-MM-DD) as written, without moving it across time zones. */
export function formatDate(day: string | null | undefined): string {
  return day ? dateOnly.format(new Date(`${day.slice(0, 10)}T00:00:00Z`)) : '—';
}

/** Rand as on CircleTel's invoices (`R1,099.00`), the one way amounts are written (libs/ddd/customer-wording.ts). */
export function money(amount: string | null | undefined): string {
  return amount == null ? '—' : formatRand(amount);
}

/** Today in SAST, YYYY-MM-DD. */
export function todaySast(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The states of SPEC §4, from the API contract (one list, libs/contracts/referrals.ts). */
export { REFERRAL_STATUSES } from '../../../libs/contracts/referrals.js';

const STATUS_WORDS: Record<string, string> = {
  pending: 'Pending (signed up)',
  active: 'Active (connected)',
  qualified: 'Qualified',
  rewarded: 'Rewarded',
  expired: 'Expired',
  cancelled: 'Cancelled',
  flagged: 'Flagged for review',
  rejected: 'Rejected',
  applied: 'Applied',
  revoked: 'Revoked',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

export const statusWords = (s: string) => STATUS_WORDS[s] ?? s;

/** A reward's state (a pending reward waits for a bill, not for a signup). */
export const rewardStatusWords = (s: string) => (s === 'pending' ? 'Pending' : statusWords(s));

const ACTION_WORDS: Record<string, string> = {
  'reward.granted': 'Free month granted',
  'reward.revoked': 'Free month revoked',
  'referral.reviewed': 'Flagged referral reviewed',
  'referral.linked': 'Referral linked after the fact',
  'reconciliation.run': 'Reconciliation run',
};

export const actionWords = (a: string) => ACTION_WORDS[a] ?? a;

const RULE_WORDS: Record<string, string> = {
  SELF_REFERRAL: 'Self-referral',
  REFERRER_INACTIVE: 'Referrer has no active service',
  DUPLICATE_REFERRAL: 'Already referred',
  MONTHLY_LIMIT: 'Monthly referral limit reached',
  EXISTING_CUSTOMER_MATCH: 'Matches an existing customer',
  SHARED_IP: 'Shared IP address',
  DISPOSABLE_EMAIL: 'Disposable e-mail address',
  BURST: 'Burst of signups',
};

export const ruleWords = (r: string) => RULE_WORDS[r] ?? r;

const STEP_WORDS: Record<string, string> = {
  expire_stale_referrals: 'Expiring referrals not connected in time',
  qualify_or_cancel_active_referrals: 'Qualifying or cancelling connected referrals',
  earn_rewards: 'Earning free months',
  apply_due_rewards: 'Applying free months (credit notes)',
  expire_rewards: 'Expiring unused free months',
};

export const stepWords = (s: string | null | undefined) => (s ? (STEP_WORDS[s] ?? s) : '—');

/** `1 free month`, `2 free months`. */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
