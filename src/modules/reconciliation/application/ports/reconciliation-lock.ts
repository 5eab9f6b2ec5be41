/** Port: what the application needs of ReconciliationLock (implemented in infrastructure/reconciliation-lock.ts, bound in the module). */

export interface HeldLock {
  release(): Promise<void>;
}
/**
 * One run at a time, across instances: `pg_try_advisory_lock` on a DEDICATED connection (not
 * the Prisma pool, whose connections are shared and recycled), held for the whole run and
 * released in `finally`. Should the process die, its session ends and PostgreSQL releases the
 * lock. Correctness never depends on it — the steps' unique constraints do that; the lock
 * only keeps two runs from doing the same work twice over at the same time.
 */
export abstract class ReconciliationLock {
  /** The held lock, or null when another session holds it. */
  abstract tryAcquire(): Promise<HeldLock | null>;
}
