/** Port: what the application needs of RewardRepository (implemented in infrastructure/reward.repository.ts, bound in the module). */
import type { BusinessDate } from '#libs/ddd/index.js';
import type { Reward } from '../../domain/reward.aggregate.js';

/** The `rewards` table. Every write goes through the current transaction. */
export abstract class RewardRepository {
  abstract insertMany(rewards: Reward[]): Promise<void>;
  /** A customer's reward, locked for this transaction; null when it is not theirs. */
  abstract findOfCustomerForUpdate(customerId: string, rewardId: string): Promise<Reward | null>;
  /** The next customers (after `afterCustomerId`) holding pending rewards earned on or before `asOf`. */
  abstract customersWithPendingRewards(
    asOf: BusinessDate,
    afterCustomerId: string | null,
    limit: number,
  ): Promise<string[]>;
  /**
   * Pending rewards of these customers earned on or before `asOf`, locked for this transaction,
   * ordered by customer, earnedAt, id (oldest reward first per customer).
   */
  abstract lockPendingOfCustomers(customerIds: string[], asOf: BusinessDate): Promise<Reward[]>;
  /** A customer's pending rewards, oldest first (read only: the expected credit). */
  abstract pendingOf(customerId: string): Promise<Reward[]>;
  /** Locks up to `limit` pending rewards whose expiry date is on or before `asOf`. */
  abstract lockExpiring(asOf: BusinessDate, limit: number): Promise<Reward[]>;
  /**
   * Locks up to `limit` pending rewards earned by `asOf`, not yet reminded, whose expiry date is
   * after `asOf` and at most `days` days after it.
   */
  abstract lockDueForExpiryReminder(asOf: BusinessDate, days: number, limit: number): Promise<Reward[]>;
  /** Stores that these locked pending rewards were reminded of their expiry (all of them, or it fails). */
  abstract markExpiryReminded(rewards: Reward[]): Promise<void>;
  /**
   * Bulk write (one statement) of state changes made on rewards that were all pending and are
   * locked by this transaction. A row no longer pending is not touched, and then the whole write
   * fails: the caller's transaction rolls back rather than half-apply.
   */
  abstract saveAllFromPending(rewards: Reward[]): Promise<void>;
}
