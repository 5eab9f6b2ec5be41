/** Port: the personal data the Rewards context may hold about a customer (implemented in infrastructure/sql-reward-personal-data.ts). */
export abstract class RewardPersonalData {
  /**
   * Erasure (SPEC §16): the grant and revoke reasons admins wrote on the customer's rewards are
   * cleaned of `personalData`; statuses, dates and credit notes stay. Returns the rows changed.
   */
  abstract erase(customerId: string, personalData: readonly string[]): Promise<number>;
}
