import type { ReferralStatus } from '#libs/contracts/index.js';

/** A referral as stored, with every column the explanation shows. */
export interface StoredReferral {
  id: string;
  referrerId: string;
  referredId: string;
  referredName: string;
  code: string;
  source: string | null;
  status: ReferralStatus;
  lifecycle: string;
  review: string;
  statusReason: string | null;
  serviceId: string | null;
  referredAt: Date;
  activatedAt: Date | null;
  serviceInterruptedAt: Date | null;
  qualifiedAt: Date | null;
  expiredAt: Date | null;
  cancelledAt: Date | null;
  rejectedAt: Date | null;
  rewardedAt: Date | null;
  rewardId: string | null;
}

/** One row of referral_history: a change of state or a fact judged by, with where it came from. */
export interface StoredHistoryEntry {
  at: Date;
  kind: 'transition' | 'fact';
  what: string;
  from: string | null;
  to: string | null;
  sourceEventId: string | null;
  runId: string | null;
  actor: string | null;
  detail: Record<string, unknown> | null;
}

/** Port: a referral and its whole history, oldest first (SPEC §12, replayed from stored rows). */
export abstract class ReferralExplanations {
  abstract find(referralId: string): Promise<{ referral: StoredReferral; history: StoredHistoryEntry[] } | null>;
}
