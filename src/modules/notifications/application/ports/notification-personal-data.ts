/** Port: the personal data the Notifications context holds (implemented in infrastructure/sql-notification-personal-data.ts). */
export abstract class NotificationPersonalData {
  /**
   * Erasure (SPEC §16): the e-mails to the customer, and the e-mails about them (a referrer told
   * that this customer signed up or qualified), are cleaned of `personalData` — their template
   * variables and delivery errors. Kinds, states and dates stay. Returns the rows changed.
   */
  abstract erase(customerId: string, personalData: readonly string[]): Promise<number>;
}
