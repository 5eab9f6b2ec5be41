/** Erasure (SPEC §16) of the personal data the Fraud context holds about a customer. Result: void. */
export class EraseFraudPersonalData {
  constructor(
    readonly customerId: string,
    readonly personalData: readonly string[],
  ) {}
}
