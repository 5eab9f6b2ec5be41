/** Port: what the application needs of FraudScreeningRepository (implemented in infrastructure/fraud-screening.repository.ts, bound in the module). */
import type { Rule, Screening, ScreeningOutcome, ScreeningSubject } from '../../domain/screening.js';

export interface StoredScreening {
  referralId: string;
  referrerId: string;
  outcome: ScreeningOutcome;
  reviewDecision: string | null;
}
export interface StoredFinding {
  referralId: string;
  rule: Rule;
  outcome: 'reject' | 'flag';
  detail: string;
}
export interface RuleInputs {
  screened: boolean;
  nonRejectedInMonth: number;
  referrerInWindow: number;
  ipInWindow: number;
  earlierSameEmail: {
    referralId: string;
    referrerId: string;
    referredAt: Date;
  } | null;
}
/** The Fraud context's ledger (fraud_screenings) and findings (fraud_findings). */
export abstract class FraudScreeningRepository {
  /**
   * Serialises screenings that could race on a count: per referrer (MONTHLY_LIMIT, BURST), then
   * per normalised email (DUPLICATE_REFERRAL) and per IP (SHARED_IP). Always taken in this order,
   * and held until the surrounding transaction ends.
   */
  abstract lockFor(subject: ScreeningSubject): Promise<void>;
  /**
   * Everything the rules count and compare, from the ledger, in ONE statement (each part on its
   * own index): whether this referral was screened already, the referrer's non-rejected
   * screenings in the SAST month, the referrer's and the IP's screenings in [at − 24 h, at], and
   * the earliest screening of the normalised email.
   */
  abstract ruleInputs(subject: ScreeningSubject, referredMonth: string): Promise<RuleInputs>;
  abstract find(referralId: string): Promise<{
    screening: StoredScreening;
    findings: StoredFinding[];
  } | null>;
  abstract save(screening: Screening): Promise<void>;
  /** Records an admin's decision: an approved referral counts as accepted, a rejected one no longer counts. */
  abstract recordReview(
    referralId: string,
    review: {
      decision: 'approve' | 'reject';
      reason: string;
      by: string;
      at: Date;
    },
  ): Promise<void>;
  abstract findingsOf(referralIds: string[]): Promise<Map<string, StoredFinding[]>>;
  /**
   * The review queue: flagged, not yet reviewed, oldest first. Keyset on (referredAt, referralId)
   * as a row comparison, so the page is read straight off fraud_screenings_outcome_idx.
   */
  abstract flaggedPage(
    limit: number,
    after?: {
      referredAt: Date;
      referralId: string;
    },
  ): Promise<
    {
      referralId: string;
      referredAt: Date;
    }[]
  >;
}
