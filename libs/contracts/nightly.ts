/**
 * The nightly reconciliation (SPEC §8) sends each context's steps as commands, in order. A step
 * works set-based in batches of `batchSize`, each batch one transaction committing its changes
 * and outbox events together; re-running the same asOf changes nothing.
 */

/** What one committed batch adds to its run's record (SPEC §8 `counts` and `creditsTotal`). */
export interface RunProgress {
  referralsExpired?: number;
  referralsQualified?: number;
  referralsCancelled?: number;
  rewardsEarned?: number;
  rewardsApplied?: number;
  rewardsExpired?: number;
  /** Sum of the credit notes the batch issued, in cents. */
  creditsTotalCents?: bigint;
}

/**
 * Called by a step inside each batch's transaction, just before it commits: the run record's
 * counts move in the same transaction as the work they count, so a run that fails part-way
 * reports exactly what it committed, and every credit note adds up to its run's creditsTotal.
 */
export type ReportRunProgress = (delta: RunProgress) => Promise<void>;

export abstract class NightlyStep {
  constructor(
    /** The business date judged (YYYY-MM-DD, SAST). */
    readonly asOf: string,
    /** Rows per batch (RECONCILIATION_BATCH_SIZE). */
    readonly batchSize: number,
    /** The run (its id goes on credit notes and in the referrals' history). */
    readonly runId: string,
    readonly report: ReportRunProgress,
  ) {}
}
