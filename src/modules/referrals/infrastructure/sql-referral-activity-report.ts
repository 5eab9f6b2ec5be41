import { Inject, Injectable } from '@nestjs/common';
import type { ReferralActivityByMonth } from '#libs/contracts/index.js';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { ReferralActivityReport } from '../application/ports/referral-activity-report.js';

/**
 * The programme report's referral counters in one statement: every dated event of a referral
 * (signup, flagged at signup, rejected, activated, qualified) and every code created, bucketed by
 * SAST month and counted in the database. One pass over referrals rather than five more indexes on
 * the table every attribution writes: a back-office report may read the table, the hot path pays
 * nothing for it.
 */
@Injectable()
export class SqlReferralActivityReport implements ReferralActivityReport {
  constructor(@Inject(Db) private readonly db: Db) {}

  byMonth(from: Date, to: Date): Promise<ReferralActivityByMonth[]> {
    return this.db.query<ReferralActivityByMonth>(sql`
      WITH events AS (
        SELECT 'code' AS kind, c.created_at AS at FROM referral_codes c
         WHERE c.created_at >= ${from}::timestamptz AND c.created_at < ${to}::timestamptz
        UNION ALL
        SELECT e.kind, e.at
          FROM referrals r
         CROSS JOIN LATERAL (VALUES ('attributed', r.referred_at),
                                    ('flagged', CASE WHEN r.review <> 'none' THEN r.referred_at END),
                                    ('rejected', r.rejected_at),
                                    ('activated', r.activated_at),
                                    ('qualified', r.qualified_at)) AS e(kind, at)
         WHERE e.at >= ${from}::timestamptz AND e.at < ${to}::timestamptz
      )
      SELECT to_char(at AT TIME ZONE 'Africa/Johannesburg', 'YYYY-MM') AS month,
             count(*) FILTER (WHERE kind = 'code')::int AS "codesCreated",
             count(*) FILTER (WHERE kind = 'attributed')::int AS "referralsAttributed",
             count(*) FILTER (WHERE kind = 'flagged')::int AS flagged,
             count(*) FILTER (WHERE kind = 'rejected')::int AS rejected,
             count(*) FILTER (WHERE kind = 'activated')::int AS activated,
             count(*) FILTER (WHERE kind = 'qualified')::int AS qualified
        FROM events
       GROUP BY 1 ORDER BY 1`);
  }
}
