import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { recipientKey, type PlannedNotification } from '../domain/notification-plan.js';
import {
  NotificationStore,
  type ClaimedNotification,
  type FinalStatus,
} from '../application/ports/notification.store.js';

/**
 * The `notifications` table. Enqueue joins the current transaction (the outbox's); the rest runs
 * alone. Ids are UUIDv7 (time-ordered), so due e-mails go out in the order their events happened.
 */
@Injectable()
export class SqlNotificationStore implements NotificationStore {
  constructor(@Inject(Db) private readonly db: Db) {}

  async enqueue(planned: readonly PlannedNotification[]): Promise<void> {
    if (planned.length === 0) return;
    await this.db.execute(sql`
      INSERT INTO notifications (id, event_id, event_type, kind, recipient_key, customer_id, variables)
      SELECT * FROM unnest(${planned.map(() => uuidv7())}::uuid[], ${planned.map((p) => p.eventId)}::uuid[],
                           ${planned.map((p) => p.eventType)}::text[], ${planned.map((p) => p.kind)}::text[],
                           ${planned.map((p) => recipientKey(p.recipient))}::text[],
                           ${planned.map((p) => (p.recipient.type === 'customer' ? p.recipient.customerId : null))}::text[],
                           ${planned.map((p) => JSON.stringify(p.variables))}::jsonb[])
      ON CONFLICT (event_id, recipient_key) DO NOTHING`);
  }

  async now(): Promise<Date> {
    const { now } = await this.db.one<{ now: Date }>(sql`SELECT clock_timestamp() + interval '1 millisecond' AS now`);
    return now;
  }

  async claimDue(dueBy: Date | null, limit: number, leaseMs: number): Promise<ClaimedNotification[]> {
    const claimed = await this.db.query<ClaimedNotification>(sql`
      UPDATE notifications AS n
         SET attempts = n.attempts + 1,
             next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
       WHERE n.id IN (
             SELECT q.id FROM notifications q
              WHERE q.status = 'pending' AND q.next_attempt_at <= COALESCE(${dueBy}::timestamptz, now())
              ORDER BY q.id
              LIMIT ${limit}::int
                FOR UPDATE SKIP LOCKED)
      RETURNING n.id::text AS id, n.event_id::text AS "eventId", n.kind, n.recipient_key AS "recipientKey",
                n.customer_id AS "customerId", n.variables, n.attempts`);
    // RETURNING keeps no order: oldest first again (UUIDv7 ids sort by creation).
    return claimed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async finish(
    n: ClaimedNotification,
    status: FinalStatus,
    detail: { messageId?: string; error?: string },
  ): Promise<boolean> {
    const changed = await this.db.execute(sql`
      UPDATE notifications
         SET status = ${status}, finished_at = now(),
             sent_at = CASE WHEN ${status} = 'sent' THEN now() END,
             message_id = ${detail.messageId ?? null}, last_error = ${detail.error ?? null}
       WHERE id = ${n.id}::uuid AND status = 'pending' AND attempts = ${n.attempts}::int`);
    return changed === 1;
  }

  async reschedule(n: ClaimedNotification, delayMs: number, error: string): Promise<void> {
    await this.db.execute(sql`
      UPDATE notifications
         SET next_attempt_at = now() + make_interval(secs => ${delayMs / 1000}::double precision), last_error = ${error}
       WHERE id = ${n.id}::uuid AND status = 'pending' AND attempts = ${n.attempts}::int`);
  }
}
