import type { RewardView } from '../../../libs/contracts/rewards.js';

/** The admin API's shapes the console reads (GET /docs-json has them all). */
export interface FraudFlag {
  rule: string;
  outcome: 'reject' | 'flag';
  detail: string;
}

export interface AdminReferral {
  id: string;
  referrerId: string;
  referredId: string;
  referredName: string;
  referredEmail: string;
  code: string;
  source: string | null;
  status: string;
  review: string;
  referredAt: string;
  activatedAt: string | null;
  qualifiedAt: string | null;
  rewardId: string | null;
  fraudFlags: FraudFlag[];
}

/** A reward as the admin API sends it (the Rewards contract's view, without the customer id). */
export type AdminReward = Omit<RewardView, 'customerId' | 'rewardType'>;

export interface Overview {
  customer: { id: string; name: string; email: string; referralCode: string | null };
  referrals: AdminReferral[];
  rewards: AdminReward[];
  stats: Record<
    | 'totalReferrals'
    | 'activeReferrals'
    | 'qualifiedReferrals'
    | 'rewardsEarned'
    | 'rewardsPending'
    | 'rewardsApplied'
    | 'rewardsRevoked'
    | 'rewardsExpired',
    number
  >;
  nextCursor: string | null;
}

export interface CreditNote {
  id: string;
  number: string;
  customerId: string;
  serviceId: string;
  periodStart: string;
  periodEnd: string;
  amountInclVat: string;
  vatAmount: string;
  amountExclVat: string;
  issuedAt: string;
  runId?: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  subjectId: string;
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface Explanation {
  referral: AdminReferral & { statusReason: string | null; nextStep: { kind: string; on: string | null } | null };
  facts: { what: string; at: string; sourceEventId: string | null; detail: Record<string, unknown> }[];
  fraudRules: {
    rule: string;
    outcome: 'pass' | 'flag' | 'reject';
    detail: string;
    evidence: Record<string, unknown>;
  }[];
  unrecordedRules: string[];
  review: { decision: string; reason: string; by: string; at: string } | null;
  history: {
    at: string;
    what: string;
    from: string | null;
    to: string | null;
    by: { kind: string; id: string | null };
    detail: Record<string, unknown> | null;
  }[];
  reward: { id: string; status: string; earnedAt: string; expiresAt: string; manuallyGranted: boolean } | null;
  creditNote: CreditNote | null;
}

export interface RunCounts {
  referralsExpired: number;
  referralsQualified: number;
  referralsCancelled: number;
  rewardsEarned: number;
  rewardsApplied: number;
  rewardsExpired: number;
}

export interface Run {
  id: string;
  asOf: string;
  trigger: string;
  dryRun: boolean;
  status: 'running' | 'succeeded' | 'failed';
  step: string | null;
  startedAt: string;
  finishedAt: string | null;
  counts: RunCounts;
  creditsTotal: string;
  error: string | null;
}
