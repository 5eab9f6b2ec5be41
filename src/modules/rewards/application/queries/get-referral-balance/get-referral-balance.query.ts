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
    /** SPEC §12: the cycle the planner would credit if nothing changes, or null with a reason. */
    expectedCredit: ExpectedCredit | null;
    reason?: 'no_active_service' | 'rewards_paused';
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

export interface ExpectedCredit {
  serviceId: string;
  periodStart: string;
  periodEnd: string;
  /** VAT-inclusive rand. */
  amount: string;
  /** The business date of the run that applies it (the cycle's start, or today if that has passed). */
  appliesOn: string;
}
