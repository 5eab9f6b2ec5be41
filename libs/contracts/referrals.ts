import type { IntegrationEvent } from './integration-event.js';
import { NightlyStep } from './nightly.js';

/** Contracts published by the Referrals context. */

/** The public states of SPEC §4, as other contexts and the API name them. */
export const REFERRAL_STATUSES = [
  'pending',
  'active',
  'qualified',
  'rewarded',
  'expired',
  'cancelled',
  'flagged',
  'rejected',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/**
 * Integration event: referrals qualified (a batch, from one reconciliation step), for the
 * Rewards ledger. Delivered inside the qualifying transaction.
 */
export class ReferralsQualified implements IntegrationEvent {
  static readonly TYPE = 'referrals.qualified';
  readonly type = ReferralsQualified.TYPE;
  constructor(
    readonly occurredAt: Date,
    readonly items: { referralId: string; referrerId: string; qualifiedAt: Date }[],
  ) {}
}

/** Command: the Rewards context consumed these referrals into a reward. Result: void. */
export class MarkReferralsRewarded {
  constructor(
    /** `at`: when the reward was earned. */
    readonly items: { referralId: string; rewardId: string; at: Date }[],
    /** The reconciliation run that earned the rewards (for the referrals' history). */
    readonly runId: string | null = null,
  ) {}
}

/**
 * Command, from the Fraud review: an admin approved or rejected a flagged referral.
 * Approve: it resumes its lifecycle as if never flagged. Reject: terminal `rejected`.
 * Result: ResolvedReferral.
 * Throws REFERRAL_NOT_FOUND (not_found) / REFERRAL_NOT_FLAGGED (conflict).
 */
export class ResolveFlaggedReferral {
  constructor(
    readonly referralId: string,
    readonly decision: 'approve' | 'reject',
    readonly at: Date,
    /** The admin's JWT sub (for the referral's history). */
    readonly actor: string | null = null,
  ) {}
}

export interface ResolvedReferral {
  id: string;
  referrerId: string;
  statusBefore: ReferralStatus;
  /** The referral's new public state. */
  status: ReferralStatus;
}

/** A referral as admin and fraud views show it. */
export interface ReferralView {
  id: string;
  referrerId: string;
  referredId: string;
  referredName: string;
  referredEmail: string;
  code: string;
  source: string | null;
  status: ReferralStatus;
  /** Underlying lifecycle state while flagged (pending | active | ...). */
  lifecycle: string;
  review: 'none' | 'flagged' | 'approved' | 'rejected';
  serviceId: string | null;
  referredAt: string;
  activatedAt: string | null;
  qualifiedAt: string | null;
  expiredAt: string | null;
  cancelledAt: string | null;
  rejectedAt: string | null;
  rewardedAt: string | null;
  rewardId: string | null;
}

/** Query: referrals by id (any referrer). Result: ReferralView[] (missing ids left out). */
export class GetReferralsByIds {
  constructor(readonly ids: string[]) {}
}

/**
 * Query: one referrer's referrals, newest first, for the admin view.
 * `q` searches the referred customer's name or email (case-insensitive substring).
 * Result: { items: ReferralView[]; nextCursor: string | null }.
 */
export class ListReferralsOfReferrer {
  constructor(
    readonly referrerId: string,
    readonly filter: { status?: ReferralStatus; q?: string; limit: number; cursor?: string },
  ) {}
}

/** Query: counts by public state for a referrer. Result: ReferralStats. */
export class GetReferralStats {
  constructor(readonly referrerId: string) {}
}

export interface ReferralStats {
  total: number;
  pending: number;
  active: number;
  qualified: number;
  rewarded: number;
  expired: number;
  cancelled: number;
  flagged: number;
  rejected: number;
}

/** Query: a customer's referral code, if they have one. Result: { code: string } | null. */
export class GetReferralCodeOf {
  constructor(readonly customerId: string) {}
}

/**
 * Query: the owner of a referral code, read leniently (case-insensitive, spaces anywhere ignored:
 * "ct-ref-7k3m 9q2x" is CT-REF-7K3M9Q2X). Result: { customerId, code } | null.
 */
export class FindReferralCodeOwner {
  constructor(readonly code: string) {}
}

/** Query: the referral codes of these customers (those without one left out). Result: { customerId, code }[]. */
export class GetReferralCodesOf {
  constructor(readonly customerIds: string[]) {}
}

/**
 * Query: the referral programme's activity in [from, to) — instants — per SAST calendar month
 * (SPEC §14 programme report). Result: ReferralActivityByMonth[] (months with activity, in order).
 */
export class CountReferralActivityByMonth {
  constructor(
    readonly from: Date,
    readonly to: Date,
  ) {}
}

export interface ReferralActivityByMonth {
  /** YYYY-MM, SAST. */
  month: string;
  /** Referral codes created (a customer asked for theirs) in the month. */
  codesCreated: number;
  /** Referrals whose signup (referredAt) falls in the month, whatever happened to them since. */
  referralsAttributed: number;
  /** Of those, the ones the fraud screening flagged for review (whatever the review decided). */
  flagged: number;
  /** Referrals rejected in the month (rejectedAt): by a fraud rule at attribution or by an admin's review. */
  rejected: number;
  /** Referrals whose activation (activatedAt: the friend's first service, within R+30) happened in the month. */
  activated: number;
  /** Referrals that qualified in the month (qualifiedAt = start of A+30), rewarded ones included. */
  qualified: number;
}

/** Nightly steps of the Referrals context (SPEC §8 steps 1 and 2); see nightly.ts. */
export class ExpireStaleReferrals extends NightlyStep {}
export class QualifyOrCancelActiveReferrals extends NightlyStep {}
