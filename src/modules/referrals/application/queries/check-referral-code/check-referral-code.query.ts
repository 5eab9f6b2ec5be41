/** Public code check. Result: { valid: true, referrerFirstName }; throws REFERRAL_CODE_NOT_FOUND. */
export class CheckReferralCode {
  constructor(readonly input: string) {}
}
