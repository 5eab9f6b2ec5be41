/** Erasure (SPEC §16) of the personal data the Rewards context may hold about a customer. Result: void. */
export class EraseRewardPersonalData {
  constructor(
    readonly customerId: string,
    readonly personalData: readonly string[],
  ) {}
}
