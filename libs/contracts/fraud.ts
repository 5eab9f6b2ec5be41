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

export type FraudRule =
  | 'SELF_REFERRAL'
  | 'REFERRER_INACTIVE'
  | 'DUPLICATE_REFERRAL'
  | 'MONTHLY_LIMIT'
  | 'EXISTING_CUSTOMER_MATCH'
  | 'SHARED_IP'
  | 'DISPOSABLE_EMAIL'
  | 'BURST';

export interface ScreeningResult {
  outcome: 'accepted' | 'flagged' | 'rejected';
  findings: { rule: FraudRule; outcome: 'reject' | 'flag'; detail: string }[];
}
