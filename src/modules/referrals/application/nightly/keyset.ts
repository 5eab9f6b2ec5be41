/**
 * Keyset walk of the nightly batches: each batch locks the next `batchSize` candidates after the
 * previous batch's largest id and is handled in its own transaction (candidates read FOR UPDATE
 * inside it), so a run over a million rows reads the index once and commits batch by batch.
 */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export async function walkInBatches<T extends { id: string }>(options: {
  batchSize: number;
  /** Opens the batch's transaction (Db.transaction). */
  transaction: <R>(fn: () => Promise<R>) => Promise<R>;
  /** The next candidates after `after`, locked. */
  next: (after: string) => Promise<T[]>;
  /** Decides and writes one batch, inside its transaction. */
  handle: (batch: T[]) => Promise<void>;
}): Promise<void> {
  let after = NIL_UUID;
  for (;;) {
    const batch = await options.transaction(async () => {
      const rows = await options.next(after);
      if (rows.length > 0) await options.handle(rows);
      return rows;
    });
    if (batch.length === 0) return;
    after = batch.reduce((max, r) => (r.id > max ? r.id : max), after);
    if (batch.length < options.batchSize) return;
  }
}
