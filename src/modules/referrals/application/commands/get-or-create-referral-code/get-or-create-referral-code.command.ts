/** A customer asks for their referral code. Result: { code, firstName, created }. */
export class GetOrCreateReferralCode {
  constructor(readonly customerId: string) {}
}

export interface GetOrCreateReferralCodeResult {
  code: string;
  created: boolean;
}
