import type { ReferralActivityByMonth } from '#libs/contracts/index.js';

/** Port: the programme's referral counters per SAST month, summed in the database. */
export abstract class ReferralActivityReport {
  /** Activity in [from, to), months with any activity, in order. */
  abstract byMonth(from: Date, to: Date): Promise<ReferralActivityByMonth[]>;
}
