import { Inject, Injectable, Logger } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { ReconciliationLock, type HeldLock } from '../application/ports/reconciliation-lock.js';

/**
 * Key of the session-level advisory lock that admits one reconciliation at a time across every
 * instance ("CTRECON" in ASCII). Distinct from the migration runner's key (72707369).
 */
export const RECONCILIATION_LOCK_KEY = '18951535765704526';

/**
 * One run at a time, across instances: `pg_try_advisory_lock` on a DEDICATED connection (not
 * the Prisma pool, whose connections are shared and recycled), held for the whole run and
 * released in `finally`. Should the process die, its session ends and PostgreSQL releases the
 * lock. Correctness never depends on it — the steps' unique constraints do that; the lock
 * only keeps two runs from doing the same work twice over at the same time.
 */
@Injectable()
export class PgReconciliationLock implements ReconciliationLock {
  private readonly logger = new Logger('Reconciliation');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The held lock, or null when another session holds it. */
  async tryAcquire(): Promise<HeldLock | null> {
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      application_name: 'circletel-reconciliation-lock',
      connectionTimeoutMillis: 10_000,
    });
    // A dropped connection loses the lock; the run goes on (correctness does not depend on it).
    client.on('error', (err) => this.logger.warn({ err: err.message }, 'reconciliation lock connection lost'));
    await client.connect();
    let locked = false;
    try {
      const res = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
        RECONCILIATION_LOCK_KEY,
      ]);
      locked = res.rows[0]?.locked === true;
    } finally {
      if (!locked) await client.end().catch(() => undefined);
    }
    if (!locked) return null;
    let released: Promise<void> | undefined;
    return {
      release: () =>
        (released ??= (async () => {
          try {
            await client.query('SELECT pg_advisory_unlock($1::bigint)', [RECONCILIATION_LOCK_KEY]);
          } catch {
            // The session is gone, and the lock with it.
          } finally {
            await client.end().catch(() => undefined);
          }
        })()),
    };
  }
}
