/** Port: what the application needs of ReferralAdminReadModel (implemented in infrastructure/referral-admin.read-model.ts, bound in the module). */
import type { ReferralStatus, ReferralView } from '#libs/contracts/index.js';

export interface ReferralListFilter {
  status?: ReferralStatus;
  /** Case-insensitive substring of the referred customer's name or email. */
  q?: string;
  limit: number;
  cursor?: string;
}
/** Back-office reads of referrals (Prisma Client, outside any transaction). */
export abstract class ReferralAdminReadModel {
  /**
   * One referrer's referrals, newest first, keyset-paginated on (referred_at, id) — served by
   * the (referrer_id, referred_at, id) index, or (referrer_id, status, referred_at, id) with a status.
   */
  abstract listOfReferrer(
    referrerId: string,
    filter: ReferralListFilter,
  ): Promise<{
    items: ReferralView[];
    nextCursor: string | null;
  }>;
  abstract byIds(ids: string[]): Promise<ReferralView[]>;
}
