/**
 * What the widget says, in words a customer understands. Every date and amount shown is one the
 * API gave: these functions format, they never compute a rule (no "+30 days" here).
 * Pure functions (no DOM), unit-tested in wording.spec.ts.
 */
import type { ExpectedCredit, NextStep, PendingReward, ReferralStatus } from './types.js';

import {
  formatBusinessDate as formatDate,
  formatSastDate as formatInstant,
  formatPeriod,
  formatRand,
} from '../../../libs/ddd/customer-wording.js';

/** Amounts and dates are written as everywhere else (libs/ddd/customer-wording.ts: `R1,099.00`, `1 March 2026`). */
export { formatDate, formatInstant, formatPeriod, formatRand };

/** The badge of a referral's state. */
export const STATUS_LABELS: Record<ReferralStatus, string> = {
  pending: 'Signed up',
  active: 'Connected',
  qualified: 'Qualified',
  rewarded: 'Rewarded',
  expired: 'Expired',
  cancelled: 'Cancelled',
  flagged: 'Being checked',
  rejected: 'Not eligible',
};

export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? status;
}

/** What happens next for one referral (SPEC §12 `nextStep`), or undefined when nothing is ahead. */
export function nextStepText(step: NextStep | null | undefined): string | undefined {
  if (!step || !step.kind) return undefined;
  switch (step.kind) {
    case 'activate_by':
      return step.on
        ? `Your friend must be connected by ${formatDate(step.on)}`
        : 'Your friend still needs to be connected';
    case 'qualifies_on':
      return step.on
        ? `Counts towards your reward on ${formatDate(step.on)} if their service stays active`
        : 'Counts towards your reward once their service has been active long enough';
    case 'under_review':
      return 'Being checked by our team';
    case 'waiting_for_pair':
      return 'Counts towards your reward: waiting for a second friend';
    default:
      return undefined;
  }
}

/** Why a referral ended where it did (SPEC §12 `statusReason`), from the customer-safe set. */
export function statusReasonText(reason: string | null | undefined): string | undefined {
  switch (reason) {
    case 'not_activated_in_time':
      return 'Your friend was not connected in time';
    case 'service_interrupted':
      return 'Your friend’s service was paused or cancelled before it counted';
    case 'already_referred':
      return 'This friend had already been referred';
    case 'not_eligible':
      return 'This sign-up is not eligible for the referral programme';
    case 'rejected_on_review':
      return 'Not approved after a check by our team';
    default:
      return undefined;
  }
}

/** Why no credit is expected yet (SPEC §12 `expectedCredit: null` with a `reason`). */
export function noCreditText(reason: string | null | undefined): string | undefined {
  switch (reason) {
    case 'no_active_service':
      return 'We’ll apply it to your bill once you have an active service';
    case 'rewards_paused':
      return 'Free-month credits are paused for now; we’ll apply it when they resume';
    default:
      return undefined;
  }
}

function isCredit(value: unknown): value is ExpectedCredit {
  const c = value as Partial<ExpectedCredit> | null | undefined;
  return !!c && typeof c.amount === 'string' && typeof c.periodStart === 'string' && typeof c.periodEnd === 'string';
}

/**
 * The credit a pending reward is expected to become: `Expected: R799.00 off your bill for
 * 1–31 March 2026, applied on 1 March 2026`, or why none is expected yet; undefined while the
 * API does not say (older API versions).
 */
export function expectedCreditText(reward: PendingReward): string | undefined {
  const credit = reward.expectedCredit;
  if (isCredit(credit)) {
    const applies = credit.appliesOn ? `, applied on ${formatDate(credit.appliesOn)}` : '';
    return `Expected: ${formatRand(credit.amount)} off your bill for ${formatPeriod(credit.periodStart, credit.periodEnd)}${applies}`;
  }
  // `reason` sits beside a null expectedCredit (SPEC §12); accept it inside the object too.
  const inner = credit && typeof credit === 'object' ? (credit as { reason?: string }).reason : undefined;
  return noCreditText(reward.reason ?? inner);
}

/** `1 free month`, `2 free months`. */
export function freeMonths(n: number): string {
  return `${n} free month${n === 1 ? '' : 's'}`;
}

/** The message the share links carry. */
export function shareMessage(link: string, code: string): string {
  return `Join me on CircleTel! Sign up with my referral link: ${link} (or enter my code ${code}).`;
}

export function whatsAppHref(link: string, code: string): string {
  return `https://wa.me/?text=${encodeURIComponent(shareMessage(link, code))}`;
}

export function emailHref(link: string, code: string): string {
  const subject = 'Join me on CircleTel';
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(shareMessage(link, code))}`;
}
