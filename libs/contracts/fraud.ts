/** Contracts published by the Fraud context. */
export {};

/**
 * Command (CommandBus), sent by Referrals inside the attribution transaction: screen a new
 * referral against every fraud rule, store the findings, and answer the outcome.
 * Result: ScreeningResult. Serialised per referrer, so concurrent signups are all counted.
 */
export class ScreenReferral {
  constructor(
    readonly input: {
      referralId: string;
      referrerId: string;
      referredId: string;
      referredAt: Date;
      email: string;
      emailNormalized: string;
      phoneNormalized?: string;
      addressNormalized?: string;
      signupIp?: string;
    },
  ) {}
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
