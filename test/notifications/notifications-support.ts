import type { TestApp } from '../support/app.js';
import { NotificationDispatcher } from '../../src/modules/notifications/application/notification-dispatcher.js';

export const FRAUD_DESK = 'fraud-desk@circletel.test';

export const dispatcher = (t: Pick<TestApp, 'get'>) => t.get<NotificationDispatcher>(NotificationDispatcher);

export interface NotificationRow {
  id: string;
  kind: string;
  recipient_key: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

export async function notificationsOf(t: TestApp, recipientKey: string): Promise<NotificationRow[]> {
  return (
    await t.sql.query<NotificationRow>(
      `SELECT id::text, kind, recipient_key, status, attempts, last_error
         FROM notifications WHERE recipient_key = $1 ORDER BY created_at, id`,
      [recipientKey],
    )
  ).rows;
}

/** The backoff has passed: what is pending is due now (instead of waiting seconds in a test). */
export async function backoffElapsed(t: TestApp): Promise<void> {
  await t.sql.query(`UPDATE notifications SET next_attempt_at = now() WHERE status = 'pending'`);
}

/** A header as it was sent (unfolded), from the parsed message's header lines. */
export function header(
  mail: { parsed: { headerLines: readonly { key: string; line: string }[] } },
  name: string,
): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}
