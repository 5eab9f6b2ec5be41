/** A new customer signed up with a referral code (from billing's customer.created). Result: the referral id, or null. */
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
    },
  ) {}
}
