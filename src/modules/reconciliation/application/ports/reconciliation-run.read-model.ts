/** Port: what the application needs of ReconciliationRunReadModel (implemented in infrastructure/reconciliation-run.read-model.ts, bound in the module). */
import type { ReconciliationRun } from '../../domain/reconciliation-run.js';

export interface RunPosition {
  startedAt: Date;
  id: string;
}
/** Back-office reads of run records (Prisma Client, outside any transaction). */
export abstract class ReconciliationRunReadModel {
  /** Newest first (startedAt, then id), keyset-paginated after `after`. */
  abstract list(limit: number, after?: RunPosition): Promise<ReconciliationRun[]>;
}
