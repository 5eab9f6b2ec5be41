import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { jsonParam, redactRows } from '../../../platform/database/redact-rows.js';
import { sql } from '../../../platform/database/sql.js';
import { NotificationPersonalData } from '../application/ports/notification-personal-data.js';

/**
 * notifications.variables and last_error, cleaned on erasure: the customer's own e-mails
 * (customer_id), and every e-mail made from an event that names them (their id anywhere in the
 * outbox event's payload: a friend's first name in the referrer's e-mail).
 */
@Injectable()
export class SqlNotificationPersonalData implements NotificationPersonalData {
  constructor(@Inject(Db) private readonly db: Db) {}

  async erase(customerId: string, personalData: readonly string[]): Promise<number> {
    return redactRows<{ key: string; variables: unknown; lastError: string | null }>(
      this.db,
      personalData,
      sql`
        SELECT n.id::text AS key, n.variables, n.last_error AS "lastError"
          FROM notifications n
         WHERE n.customer_id = ${customerId}
            OR n.event_id IN (
                 SELECT e.id FROM outbox_events e
                  WHERE jsonb_path_exists(e.payload, '$.** ? (@ == $id)', jsonb_build_object('id', ${customerId}::text)))
         FOR UPDATE OF n`,
      (row) => sql`
        UPDATE notifications SET variables = ${jsonParam(row.variables)}::jsonb, last_error = ${row.lastError}
         WHERE id = ${row.key}::uuid`,
    );
  }
}
