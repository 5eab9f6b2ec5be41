/** One run record. Result: ReconciliationRunView. Throws RUN_NOT_FOUND. */
export class GetReconciliationRun {
  constructor(readonly id: string) {}
}
