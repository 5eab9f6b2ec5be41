import type { ReferralStatus } from '#libs/contracts/index.js';

/**
 * A new customer signed up with a referral code (from billing's customer.created), or an admin
 * links a referral after the fact (SPEC §14, source `admin_override`): one attribution path, the
 * same screening. Result: AttributedReferral, or null (unknown code; already referred, ignored).
 */
export class AttributeReferral {
  constructor(
    readonly input: {
      referredId: string;
      referredName: string;
      referredEmail: string;
      emailNormalized: string;
      phoneNormalized?: string;
      addressNormalized?: string;
      signupIp?: string;
      code: string;
      source?: string;
      /** The signup's occurredAt. */
      referredAt: Date;
      /** The billing event (customer.created) it came from. */
      sourceEventId?: string | null;
      /** The admin who linked it after the fact (their JWT sub), for the referral's history. */
      actor?: string | null;
      /** A customer already referred: ignored (a billing event, answered 200) or refused (409 ALREADY_REFERRED). */
      ifAlreadyReferred?: 'ignore' | 'refuse';
    },
  ) {}
}

export interface AttributedReferral {
  id: string;
  /** The public state after screening. */
  status: ReferralStatus;
  referredAt: Date;
}
