/** Port: what the application needs of ReferralReadModel (implemented in infrastructure/referral-read.model.ts, bound in the module). */
import type { ReferralStats, ReferralStatus } from '#libs/contracts/index.js';

/** A row of the customer's page, with the facts its next step and reason are read from. */
export interface MyReferralRow {
  id: string;
  referredName: string;
  referredEmail: string;
  status: ReferralStatus;
  referredAt: string;
  activatedAt: string | null;
  qualifiedAt: string | null;
  serviceInterruptedAt: string | null;
  statusReason: string | null;
}
export interface MyReferralRows {
  items: MyReferralRow[];
  nextCursor: string | null;
  stats: ReferralStats;
}
/** The customer app's reads (the hottest): straight from SQL into the response shapes, one statement each. */
export abstract class ReferralReadModel {
  /**
   * The customer app's page: the referrer's referrals (keyset on (referred_at, id), newest first)
   * and their counts by state, in ONE statement — the hottest customer read.
   */
  abstract customerPage(
    referrerId: string,
    filter: {
      status?: ReferralStatus;
      limit: number;
      cursor?: string;
    },
  ): Promise<MyReferralRows>;
  /** Counts by public state: one GROUP BY over the (referrer_id, status, …) index. */
  abstract stats(referrerId: string): Promise<ReferralStats>;
}
