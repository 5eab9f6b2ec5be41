/** A customer's own reward balance (GET /api/customer/referral-balance). Result: ReferralBalance. */
export class GetReferralBalance {
  constructor(readonly customerId: string) {}
}

export interface ReferralBalance {
  availableRewards: number;
  pendingRewards: {
    id: string;
    rewardType: 'free_month';
    status: 'pending';
    earnedAt: string;
    expiresAt: string;
    manuallyGranted: boolean;
  }[];
  appliedRewards: {
    id: string;
    appliedAt: string;
    serviceId: string;
    periodStart: string;
    periodEnd: string;
    amountWaived: string;
    creditNoteNumber: string;
  }[];
}
