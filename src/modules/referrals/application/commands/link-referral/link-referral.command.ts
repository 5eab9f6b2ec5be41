import type { ReferralStatus } from '#libs/contracts/index.js';

/**
 * SPEC §14: an admin links a referral after the fact (the friend forgot the code). Result:
 * LinkedReferral. Throws CUSTOMER_NOT_FOUND (either id), VALIDATION_FAILED (a referrer linking
 * themselves), LINK_WINDOW_CLOSED (signup more than 30 days ago), ALREADY_REFERRED.
 */
export class LinkReferral {
  constructor(
    readonly referrerId: string,
    readonly referredId: string,
    readonly reason: string,
    /** The admin's JWT sub. */
    readonly actor: string,
    /** The wall clock (CLOCK): the link window is judged against it. */
    readonly at: Date,
  ) {}
}

export interface LinkedReferral {
  id: string;
  referrerId: string;
  referredId: string;
  status: ReferralStatus;
  referredAt: string;
  source: 'admin_override';
}
