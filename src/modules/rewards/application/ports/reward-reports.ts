import type { FreeMonthItem, RewardActivityByMonth, RewardView } from '#libs/contracts/index.js';

/** Port: back-office reads of the rewards ledger (explanations, the programme report). */
export abstract class RewardReports {
  abstract byIds(ids: readonly string[]): Promise<RewardView[]>;
  /** Activity in [from, to) per SAST month, counted in the database; months with activity, in order. */
  abstract activityByMonth(from: Date, to: Date): Promise<RewardActivityByMonth[]>;
  /**
   * Rewards pending at `at` (earned before it; not applied, revoked or past expiry by then) of the
   * next `customerLimit` customers after `afterCustomerId`, per customer oldest first.
   */
  abstract pendingAt(at: Date, afterCustomerId: string | null, customerLimit: number): Promise<FreeMonthItem[]>;
}
