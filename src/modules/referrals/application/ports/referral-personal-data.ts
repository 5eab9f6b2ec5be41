/** Port: the personal data the Referrals context holds about a customer (implemented in infrastructure/sql-referral-personal-data.ts). */
export abstract class ReferralPersonalData {
  /**
   * Erasure (SPEC §16): the referred name and e-mail of the referral that brought the customer
   * in are removed, and every text the referrals of the customer (as referrer or referred) hold
   * in their history is cleaned of `personalData`. Ids, states and dates stay. Returns the
   * number of rows changed.
   */
  abstract erase(customerId: string, personalData: readonly string[]): Promise<number>;
}
