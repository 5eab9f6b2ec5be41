/** Contracts published by the Fraud context. */
export {};

/** What the Fraud rules screen: the new referral and the referred customer's normalised contact details. */
export interface ScreenReferralInput {
  referralId: string;
  referrerId: string;
  referredId: string;
  referredAt: Date;
  email: string;
  emailNormalized: string;
  phoneNormalized?: string;
  addressNormalized?: string;
  signupIp?: string;
}

/**
 * Command (CommandBus), sent by Referrals inside the attribution transaction: screen a new
 * referral against every fraud rule, store the findings, and answer the outcome.
 * Result: ScreeningResult. Serialised per referrer, so concurrent signups are all counted.
 */
export class ScreenReferral {
  constructor(readonly input: ScreenReferralInput) {}
}

/** The rules that reject an attribution (SPEC §5), in the order they are evaluated and shown. */
export const REJECT_RULES = ['SELF_REFERRAL', 'REFERRER_INACTIVE', 'DUPLICATE_REFERRAL', 'MONTHLY_LIMIT'] as const;
/** The rules that flag an attribution for review (SPEC §5), evaluated after the rejections. */
export const FLAG_RULES = ['EXISTING_CUSTOMER_MATCH', 'SHARED_IP', 'DISPOSABLE_EMAIL', 'BURST'] as const;
/** Every rule of SPEC §5, in the order they are evaluated and shown (rejections first, then flags). */
export const FRAUD_RULES = [...REJECT_RULES, ...FLAG_RULES] as const;
export type FraudRule = (typeof FRAUD_RULES)[number];

export interface ScreeningResult {
  outcome: 'accepted' | 'flagged' | 'rejected';
  findings: { rule: FraudRule; outcome: 'reject' | 'flag'; detail: string }[];
}

/** One fraud rule's verdict on a referral, as the Fraud context stored it. */
export interface RuleEvaluationView {
  rule: FraudRule;
  outcome: 'pass' | 'flag' | 'reject';
  /** Safe to show support staff (contact details masked). */
  detail: string;
  evidence: Record<string, unknown>;
}

/**
 * Query: the Fraud context's record of one referral's screening and review (SPEC §12
 * explanation). Result: ScreeningRecord (outcome null and every rule unrecorded when never screened).
 */
export class GetReferralScreening {
  constructor(readonly referralId: string) {}
}

export interface ScreeningRecord {
  referralId: string;
  /** Where the fraud ledger stands now: accepted | flagged | rejected (a review moves it); null: never screened. */
  outcome: 'accepted' | 'flagged' | 'rejected' | null;
  /**
   * The rules evaluated, in rule order, with outcome, detail and evidence: every rule for a
   * screening that recorded them all; otherwise only the stored findings (the rules that fired).
   */
  rules: RuleEvaluationView[];
  /**
   * Rules whose evaluation was not recorded (screened before every rule's evaluation was kept:
   * they did not fire, but their detail and evidence are unknown). Empty for newer screenings.
   */
  unrecordedRules: FraudRule[];
  review: { decision: 'approve' | 'reject'; reason: string; by: string; at: Date } | null;
}
