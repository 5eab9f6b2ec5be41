import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import {
  NotificationPreferencesRepository,
  type NotificationPreference,
} from '../application/ports/notification-preferences.repository.js';

/** The `notification_preferences` table: a row once a customer chose; none means e-mails are on. */
@Injectable()
export class SqlNotificationPreferencesRepository implements NotificationPreferencesRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async get(customerId: string): Promise<NotificationPreference> {
    const row = await this.db.maybeOne<NotificationPreference>(sql`
      SELECT referral_emails AS "referralEmails", updated_at AS "updatedAt"
        FROM notification_preferences WHERE customer_id = ${customerId}`);
    return row ?? { referralEmails: true, updatedAt: null };
  }

  async set(customerId: string, referralEmails: boolean, at: Date, via: 'api' | 'one_click'): Promise<void> {
    await this.db.execute(sql`
      INSERT INTO notification_preferences (customer_id, referral_emails, updated_at, updated_via)
      VALUES (${customerId}, ${referralEmails}, ${at.toISOString()}::timestamptz, ${via})
      ON CONFLICT (customer_id) DO UPDATE
        SET referral_emails = EXCLUDED.referral_emails, updated_at = EXCLUDED.updated_at,
            updated_via = EXCLUDED.updated_via`);
  }
}
