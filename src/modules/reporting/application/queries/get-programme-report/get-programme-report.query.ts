/** SPEC §14 programme report: per SAST month of [from, to]. Result: ProgrammeReport. */
export class GetProgrammeReport {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {}
}

/** At most this many months in one report (SPEC §14 contract: 400 beyond). */
export const MAX_REPORT_MONTHS = 36;

export interface ProgrammeCounters {
  codesCreated: number;
  referralsAttributed: number;
  flagged: number;
  rejected: number;
  activated: number;
  qualified: number;
  rewardsEarned: number;
  rewardsGranted: number;
  rewardsRevoked: number;
  rewardsExpired: number;
  rewardsApplied: number;
  credits: { inclVat: string; vat: string; exclVat: string };
}

export interface ProgrammeMonth extends ProgrammeCounters {
  /** YYYY-MM (SAST). */
  month: string;
  liabilityAtMonthEnd: {
    /** Rewards pending at the end of `asOf`. */
    pendingRewards: number;
    /** Their expected credit (VAT-inclusive rand), as BillingIntegration's planner plans it as of `asOf`. */
    amount: string;
    /** The day it was measured at the end of: the month's last day in [from, to], or today if earlier. */
    asOf: string;
  };
}

export interface ProgrammeReport {
  from: string;
  to: string;
  months: ProgrammeMonth[];
  totals: ProgrammeCounters;
}
