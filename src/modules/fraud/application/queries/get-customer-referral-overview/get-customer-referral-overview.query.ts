import type { ReferralStatus } from '#libs/contracts/index.js';

/** The admin oversight view of one customer (SPEC §10). Result: CustomerReferralOverview. */
export class GetCustomerReferralOverview {
  constructor(
    readonly customerId: string,
    readonly filter: { status?: ReferralStatus; q?: string; limit: number; cursor?: string },
  ) {}
}
