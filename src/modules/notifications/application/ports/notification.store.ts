/** Port: the notifications table (implemented in infrastructure/sql-notification.store.ts, bound in the module). */
import type { NotificationKind, PlannedNotification } from '../../domain/notification-plan.js';

/** A notification claimed for sending: nobody else sends it until the lease runs out. */
export interface ClaimedNotification {
  id: string;
  eventId: string;
  kind: NotificationKind;
  recipientKey: string;
  customerId: string | null;
  variables: Record<string, string>;
  /** Attempts including the one being made now: the claim's token. */
  attempts: number;
}

export type FinalStatus = 'sent' | 'suppressed' | 'rejected' | 'undeliverable';

export abstract class NotificationStore {
  /** Stores planned e-mails; one per event and recipient, whatever how often an event comes (ON CONFLICT DO NOTHING). */
  abstract enqueue(planned: readonly PlannedNotification[]): Promise<void>;
  /** The database's now() (+1 ms): what "due now" means for a drain. */
  abstract now(): Promise<Date>;
  /**
   * Claims up to `limit` pending notifications due by `dueBy` (null: the database's now) — FOR
   * UPDATE SKIP LOCKED — counting the attempt and pushing next_attempt_at a lease ahead.
   */
  abstract claimDue(dueBy: Date | null, limit: number, leaseMs: number): Promise<ClaimedNotification[]>;
  /** Ends a claimed notification (only while the claim holds: same attempt count). False when it did not. */
  abstract finish(
    n: ClaimedNotification,
    status: FinalStatus,
    detail: { messageId?: string; error?: string },
  ): Promise<boolean>;
  /** A failed attempt: pending again after `delayMs`. */
  abstract reschedule(n: ClaimedNotification, delayMs: number, error: string): Promise<void>;
}
