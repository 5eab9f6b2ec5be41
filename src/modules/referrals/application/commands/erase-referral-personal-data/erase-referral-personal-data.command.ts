/** Erasure (SPEC §16) of the personal data the Referrals context holds about a customer. Result: void. */
export class EraseReferralPersonalData {
  constructor(
    readonly customerId: string,
    readonly personalData: readonly string[],
    readonly at: Date,
  ) {}
}
