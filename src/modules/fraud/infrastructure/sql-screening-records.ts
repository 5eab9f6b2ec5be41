import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { ScreeningRecords, type StoredScreeningRecord } from '../application/ports/screening-records.js';
import type { Finding, RuleEvaluation, ScreeningOutcome } from '../domain/screening.js';

/** fraud_screenings (primary key) with its fraud_findings (fraud_findings_referral_idx), one statement. */
@Injectable()
export class SqlScreeningRecords implements ScreeningRecords {
  constructor(@Inject(Db) private readonly db: Db) {}

  async find(referralId: string): Promise<StoredScreeningRecord | null> {
    const row = await this.db.maybeOne<{
      outcome: ScreeningOutcome;
      evaluations: RuleEvaluation[] | null;
      findings: Finding[];
      decision: 'approve' | 'reject' | null;
      reason: string | null;
      by: string | null;
      at: Date | null;
    }>(sql`
      SELECT s.outcome, s.rule_evaluations AS evaluations, s.review_decision AS decision, s.review_reason AS reason,
             s.reviewed_by AS by, s.reviewed_at AS at,
             COALESCE((SELECT json_agg(json_build_object('rule', f.rule, 'outcome', f.outcome, 'detail', f.detail,
                                                         'evidence', f.evidence) ORDER BY f.rule)
                         FROM fraud_findings f WHERE f.referral_id = s.referral_id), '[]'::json) AS findings
        FROM fraud_screenings s WHERE s.referral_id = ${referralId}::uuid`);
    if (!row) return null;
    return {
      outcome: row.outcome,
      evaluations: row.evaluations,
      findings: row.findings,
      review:
        row.decision && row.at
          ? { decision: row.decision, reason: row.reason ?? '', by: row.by ?? '', at: row.at }
          : null,
    };
  }
}
