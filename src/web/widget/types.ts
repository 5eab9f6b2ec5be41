/**
 * The shapes the widget reads from the customer API (SPEC §10, §12). Fields added by §12
 * (`nextStep`, `statusReason`, `expectedCredit`, `reason`) are optional: the widget shows them
 * when the API sends them and says nothing when it does not.
 */
import type { ReferralStats, ReferralStatus } from '../../../libs/contracts/referrals.js';

export type { ReferralStats, ReferralStatus };

/** POST /api/customer/referrals */
export interface MyReferralCode {
  referralCode: string;
  referralLink: string;
  stats: ReferralStats;
  rewardBalance: number;
  progress: { qualified: number; required: number; label: string };
}

export interface NextStep {
  kind: 'activate_by' | 'qualifies_on' | 'under_review' | 'waiting_for_pair' | null;
  /** A business date, YYYY-MM-DD, or null. */
  on: string | null;
}

export interface MyReferral {
  id: string;
  referredName: string;
  /** Masked by the API (`j***@example.com`). */
  referredEmail: string;
  status: ReferralStatus;
  referredAt: string;
  activatedAt: string | null;
  qualifiedAt: string | null;
  nextStep?: NextStep | null;
  statusReason?: string | null;
}

/** GET /api/customer/referrals */
export interface MyReferralsPage {
  items: MyReferral[];
  nextCursor: string | null;
  stats: ReferralStats;
}

export interface ExpectedCredit {
  serviceId: string;
  periodStart: string;
  periodEnd: string;
  amount: string;
  appliesOn: string;
}

export interface PendingReward {
  id: string;
  rewardType: 'free_month';
  status: 'pending';
  earnedAt: string;
  expiresAt: string;
  manuallyGranted: boolean;
  expectedCredit?: ExpectedCredit | null;
  /** Why expectedCredit is null: `no_active_service`, `rewards_paused`. */
  reason?: string | null;
}

export interface AppliedReward {
  id: string;
  appliedAt: string;
  serviceId: string;
  periodStart: string;
  periodEnd: string;
  amountWaived: string;
  creditNoteNumber: string;
}

/** GET /api/customer/referral-balance */
export interface ReferralBalance {
  availableRewards: number;
  pendingRewards: PendingReward[];
  appliedRewards: AppliedReward[];
}
