import type { Finding, RuleEvaluation, ScreeningOutcome } from '../../domain/screening.js';

/** A screening as the fraud ledger stored it, with its findings and review. */
export interface StoredScreeningRecord {
  outcome: ScreeningOutcome;
  /** Every rule's evaluation; null for screenings made before they were recorded. */
  evaluations: RuleEvaluation[] | null;
  findings: Finding[];
  review: { decision: 'approve' | 'reject'; reason: string; by: string; at: Date } | null;
}

/** Port: one referral's stored screening (read side, for the explanation of SPEC §12). */
export abstract class ScreeningRecords {
  abstract find(referralId: string): Promise<StoredScreeningRecord | null>;
}
