import type { IntegrationEvent } from './integration-event.js';

/** Contracts published by the Referrals context. */

export type ReferralStatus =
  'pending' | 'active' | 'qualified' | 'rewarded' | 'expired' | 'cancelled' | 'flagged' | 'rejected';

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
    readonly items: { referralId: string; rewardId: string }[],
    readonly at: Date,
  ) {}
}

/**
 * Command, from the Fraud review: an admin approved or rejected a flagged referral.
 * Approve: it resumes its lifecycle as if never flagged. Reject: terminal `rejected`.
 * Result: { id, status } (the referral's new public state).
 * Throws REFERRAL_NOT_FOUND (not_found) / REFERRAL_NOT_FLAGGED (conflict).
 */
export class ResolveFlaggedReferral {
  constructor(
    readonly referralId: string,
    readonly decision: 'approve' | 'reject',
    readonly at: Date,
  ) {}
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
 * Nightly steps (commands, sent by the reconciliation in SPEC §8 order). Each works set-based
 * in batches of `batchSize`, each batch one transaction committing its changes and outbox
 * events together, and returns how many rows it changed. Re-running the same asOf changes nothing.
 */
export class ExpireStaleReferrals {
  constructor(
    readonly asOf: string,
    readonly batchSize = 1000,
  ) {}
}
export class QualifyOrCancelActiveReferrals {
  constructor(
    readonly asOf: string,
    readonly batchSize = 1000,
  ) {}
}
export interface StepResult {
  changed: number;
}
export interface QualifyStepResult {
  qualified: number;
  cancelled: number;
}
