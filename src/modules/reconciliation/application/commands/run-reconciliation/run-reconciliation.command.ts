import type { RunTrigger } from '../../../domain/reconciliation-run.js';

/**
 * Runs the nightly reconciliation for a business date: the one command behind the schedule,
 * the CLI and the admin API. Result: the finished run record (ReconciliationRunView).
 * Throws VALIDATION_FAILED (asOf not a date), AS_OF_IN_FUTURE, RUN_IN_PROGRESS.
 */
export class RunReconciliation {
  constructor(
    readonly input: {
      trigger: RunTrigger;
      /** YYYY-MM-DD (SAST); default today in SAST. */
      asOf?: string;
      dryRun?: boolean;
      /** Who started a manual run (the admin's JWT `sub`). */
      actor?: string;
    },
  ) {}
}
