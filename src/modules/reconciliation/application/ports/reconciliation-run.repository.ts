/** Port: what the application needs of ReconciliationRunRepository (implemented in infrastructure/reconciliation-run.repository.ts, bound in the module). */
import type { BusinessDate } from '#libs/ddd/index.js';
import type { ReconciliationRun, RunProgressDelta } from '../../domain/reconciliation-run.js';

/**
 * The `reconciliation_runs` table. The record is written outside the steps' transactions (so it
 * survives a step failing, and a dry run's rollback) — except its counts, which each batch adds
 * inside its own transaction (`addProgress`), so they never disagree with what committed.
 */
export abstract class ReconciliationRunRepository {
  /**
   * Marks runs left `running` by a process that died as failed ("interrupted"). Only called
   * while holding the reconciliation lock, so no other run can be in flight.
   */
  abstract failInterrupted(at: Date): Promise<string[]>;
  /** A succeeded, real (not dry) scheduled run for this business date, if any. */
  abstract findScheduledSuccess(asOf: BusinessDate): Promise<string | undefined>;
  abstract insert(run: ReconciliationRun): Promise<void>;
  /** Status, step, end and error; the counts only for a dry run (a real run's counts move with its batches). */
  abstract update(run: ReconciliationRun): Promise<void>;
  /** Adds a committed batch's counts (call inside the batch's transaction). */
  abstract addProgress(id: string, d: RunProgressDelta): Promise<void>;
  abstract findById(id: string): Promise<ReconciliationRun | undefined>;
}
