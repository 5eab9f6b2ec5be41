/** Port: customers' e-mail choices (implemented in infrastructure/sql-notification-preferences.repository.ts). */
export interface NotificationPreference {
  referralEmails: boolean;
  updatedAt: Date | null;
}

export abstract class NotificationPreferencesRepository {
  /** A customer's choice; the default (referral e-mails on) when they never chose. */
  abstract get(customerId: string): Promise<NotificationPreference>;
  abstract set(customerId: string, referralEmails: boolean, at: Date, via: 'api' | 'one_click'): Promise<void>;
}
