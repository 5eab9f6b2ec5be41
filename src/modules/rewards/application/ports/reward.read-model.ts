/** Port: what the application needs of RewardReadModel (implemented in infrastructure/reward.read-model.ts, bound in the module). */
import type { RewardView } from '#libs/contracts/index.js';

/** Reads of rewards: the customer's own (hot, plain SQL) and the admin's list (Prisma Client). */
export abstract class RewardReadModel {
  /** Pending rewards and the referrer's unconsumed qualified referrals, in one statement. */
  abstract balanceSummary(customerId: string): Promise<{
    pending: number;
    unconsumed: number;
  }>;
  /** The customer's pending and applied rewards, oldest first. */
  abstract pendingAndApplied(customerId: string): Promise<
    {
      id: string;
      status: 'pending' | 'applied';
      earnedAt: Date;
      earnedOn: string;
      expiresAt: Date;
      expiresOn: string;
      manuallyGranted: boolean;
      appliedAt: Date | null;
    }[]
  >;
  /** Every reward of a customer, newest first, with the referrals that earned it (back office). */
  abstract listOfCustomer(customerId: string): Promise<RewardView[]>;
}
