import type { RunTrigger } from '../../../domain/reconciliation-run.js';

/**
 * Runs the nightly reconciliation for a business date: the one command behind the schedule,
 * the CLI and the admin API. Result: the finished run record (ReconciliationRunView), or the
 * running one with `respondAsync`.
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
      /**
       * Answer as soon as the run is recorded (status running) and let it go on in the background
       * (SPEC §8 `Prefer: respond-async`); its record shows the step and counts as it goes.
       */
      respondAsync?: boolean;
    },
  ) {}
}
