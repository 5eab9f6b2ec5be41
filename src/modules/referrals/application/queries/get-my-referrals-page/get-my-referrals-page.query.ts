import type { ReferralStatus } from '#libs/contracts/index.js';

/** A referrer's own page of referrals plus their counts by state, for the customer app. */
export class GetMyReferralsPage {
  constructor(
    readonly referrerId: string,
    readonly filter: { status?: ReferralStatus; limit: number; cursor?: string },
  ) {}
}
