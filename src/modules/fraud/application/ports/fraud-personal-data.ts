/** Port: the personal data the Fraud context holds about a customer (implemented in infrastructure/sql-fraud-personal-data.ts). */
export abstract class FraudPersonalData {
  /**
   * Erasure (SPEC §16): the screening of the customer's own signup forgets their normalised
   * e-mail and signup IP; every screening and finding that concerns them (as referrer or
   * referred, or naming them in its evidence) is cleaned of `personalData` in its rule
   * evaluations, details, evidence and review reason. Outcomes, rules, ids and dates stay.
   * Returns the number of rows changed.
   */
  abstract erase(customerId: string, personalData: readonly string[]): Promise<number>;
}
