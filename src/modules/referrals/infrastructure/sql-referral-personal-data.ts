import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { jsonParam, redactRows } from '../../../platform/database/redact-rows.js';
import { sql } from '../../../platform/database/sql.js';
import { ReferralPersonalData } from '../application/ports/referral-personal-data.js';

/** referrals (referred name and e-mail) and referral_history (detail), cleaned on erasure. */
@Injectable()
export class SqlReferralPersonalData implements ReferralPersonalData {
  constructor(@Inject(Db) private readonly db: Db) {}

  async erase(customerId: string, personalData: readonly string[]): Promise<number> {
    const referred = await this.db.execute(sql`
      UPDATE referrals SET referred_name = '', referred_email = '' WHERE referred_id = ${customerId}`);
    const history = await redactRows<{ key: string; detail: unknown; actor: string | null }>(
      this.db,
      personalData,
      sql`
        SELECT h.id::text AS key, h.detail, h.actor FROM referral_history h
         WHERE h.referral_id IN (SELECT id FROM referrals WHERE referrer_id = ${customerId} OR referred_id = ${customerId})
           AND h.detail IS NOT NULL
         FOR UPDATE`,
      (row) => sql`
        UPDATE referral_history SET detail = ${jsonParam(row.detail)}::jsonb, actor = ${row.actor}
         WHERE id = ${row.key}::bigint`,
    );
    return referred + history;
  }
}
