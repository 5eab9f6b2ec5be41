import { DomainError } from '#libs/ddd/index.js';

/** Another reconciliation holds the lock (on this or another instance). */
export class RunInProgress extends DomainError {
  readonly code = 'RUN_IN_PROGRESS';
  readonly kind = 'conflict' as const;
  constructor() {
    super('A reconciliation run is already in progress; try again when it has finished.');
  }
}

/** asOf after today (SAST): a run may not look into the future. */
export class AsOfInFuture extends DomainError {
  readonly code = 'AS_OF_IN_FUTURE';
  readonly kind = 'validation' as const;
  constructor(asOf: string, today: string) {
    super(`asOf ${asOf} is after today (${today}, Africa/Johannesburg).`, [
      { field: 'asOf', message: `must be on or before ${today}` },
    ]);
  }
}

/** asOf that is not a real calendar date YYYY-MM-DD. */
export class InvalidAsOf extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'validation' as const;
  constructor(asOf: unknown) {
    super(`asOf ${JSON.stringify(asOf)} is not a calendar date YYYY-MM-DD in the years 2000–2100.`, [
      { field: 'asOf', message: 'asOf must be a real calendar date YYYY-MM-DD in the years 2000–2100' },
    ]);
  }
}

export class RunNotFound extends DomainError {
  readonly code = 'RUN_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(id: string) {
    super(`No reconciliation run ${id}.`);
  }
}

/** The schedule already ran this business date (on this or another instance): nothing to do. */
export class ScheduledRunAlreadyDone extends DomainError {
  readonly code = 'SCHEDULED_RUN_ALREADY_DONE';
  readonly kind = 'conflict' as const;
  constructor(asOf: string, runId: string) {
    super(`The scheduled reconciliation for ${asOf} already ran (run ${runId}).`);
  }
}
