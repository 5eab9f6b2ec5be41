import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { jsonParam, redactRows } from '../../../platform/database/redact-rows.js';
import { sql } from '../../../platform/database/sql.js';
import { FraudPersonalData } from '../application/ports/fraud-personal-data.js';

/** fraud_screenings and fraud_findings, cleaned on erasure. */
@Injectable()
export class SqlFraudPersonalData implements FraudPersonalData {
  constructor(@Inject(Db) private readonly db: Db) {}

  async erase(customerId: string, personalData: readonly string[]): Promise<number> {
    const own = await this.db.execute(sql`
      UPDATE fraud_screenings SET email_normalized = '', signup_ip = NULL WHERE referred_id = ${customerId}`);
    const screenings = await redactRows<{ key: string; ruleEvaluations: unknown; reviewReason: string | null }>(
      this.db,
      personalData,
      sql`
        SELECT referral_id::text AS key, rule_evaluations AS "ruleEvaluations", review_reason AS "reviewReason"
          FROM fraud_screenings
         WHERE referrer_id = ${customerId} OR referred_id = ${customerId}
            OR jsonb_path_exists(coalesce(rule_evaluations, 'null'::jsonb), '$.** ? (@ == $id)', jsonb_build_object('id', ${customerId}::text))
         FOR UPDATE`,
      (row) => sql`
        UPDATE fraud_screenings
           SET rule_evaluations = ${jsonParam(row.ruleEvaluations)}::jsonb, review_reason = ${row.reviewReason}
         WHERE referral_id = ${row.key}::uuid`,
    );
    const findings = await redactRows<{ key: string; detail: string; evidence: unknown }>(
      this.db,
      personalData,
      sql`
        SELECT f.id::text AS key, f.detail, f.evidence FROM fraud_findings f
         WHERE f.referrer_id = ${customerId}
            OR f.referral_id IN (SELECT referral_id FROM fraud_screenings WHERE referred_id = ${customerId})
            OR jsonb_path_exists(f.evidence, '$.** ? (@ == $id)', jsonb_build_object('id', ${customerId}::text))
         FOR UPDATE`,
      (row) => sql`
        UPDATE fraud_findings SET detail = ${row.detail}, evidence = ${jsonParam(row.evidence)}::jsonb
         WHERE id = ${row.key}::uuid`,
    );
    return own + screenings + findings;
  }
}
