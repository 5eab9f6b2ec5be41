/** Run records, newest first. Result: { items: ReconciliationRunView[]; nextCursor: string | null }. */
export class ListReconciliationRuns {
  constructor(
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}
