import type { CreditNoteView, FraudRule, ReferralStatus, RuleEvaluationView } from '#libs/contracts/index.js';

/** SPEC §12: the full decision trail of one referral, replayed from stored rows. Result: ReferralExplanation. */
export class ExplainReferral {
  constructor(readonly referralId: string) {}
}

export type FactKind = 'customer_created' | 'service_activated' | 'service_interrupted';

/** A billing fact the rules judged the referral by, with the event it came from. */
export interface ExplainedFact {
  what: FactKind;
  /** occurredAt of the billing event (business time). */
  at: string;
  sourceEventId: string | null;
  detail: Record<string, unknown>;
}

export interface ExplainedHistoryEntry {
  at: string;
  what: string;
  from: ReferralStatus | null;
  to: ReferralStatus | null;
  by: { kind: 'billing_event' | 'run' | 'admin' | 'service'; id: string | null };
  detail: Record<string, unknown> | null;
}

export interface ReferralExplanation {
  referral: {
    id: string;
    referrerId: string;
    referredId: string;
    referredName: string;
    status: ReferralStatus;
    lifecycle: string;
    review: string;
    statusReason: string | null;
    source: string | null;
    code: string;
    referredAt: string;
    activatedAt: string | null;
    qualifiedAt: string | null;
    expiredAt: string | null;
    cancelledAt: string | null;
    rejectedAt: string | null;
    rewardedAt: string | null;
    nextStep: { kind: 'activate_by' | 'qualifies_on' | 'under_review' | 'waiting_for_pair'; on: string | null } | null;
  };
  facts: ExplainedFact[];
  fraudRules: RuleEvaluationView[];
  unrecordedRules: FraudRule[];
  review: { decision: 'approve' | 'reject'; reason: string; by: string; at: string } | null;
  history: ExplainedHistoryEntry[];
  reward: { id: string; status: string; earnedAt: string; expiresAt: string; manuallyGranted: boolean } | null;
  creditNote: CreditNoteView | null;
}
