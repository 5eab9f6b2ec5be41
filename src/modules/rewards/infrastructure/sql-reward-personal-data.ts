import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { allowErasure, redactRows } from '../../../platform/database/redact-rows.js';
import { sql } from '../../../platform/database/sql.js';
import { RewardPersonalData } from '../application/ports/reward-personal-data.js';

/** rewards.grant_reason / revoke_reason, cleaned on erasure (the rewards guard allows only that). */
@Injectable()
export class SqlRewardPersonalData implements RewardPersonalData {
  constructor(@Inject(Db) private readonly db: Db) {}

  async erase(customerId: string, personalData: readonly string[]): Promise<number> {
    await allowErasure(this.db);
    return redactRows<{ key: string; grantReason: string | null; revokeReason: string | null }>(
      this.db,
      personalData,
      sql`
        SELECT id::text AS key, grant_reason AS "grantReason", revoke_reason AS "revokeReason"
          FROM rewards WHERE customer_id = ${customerId} AND (grant_reason IS NOT NULL OR revoke_reason IS NOT NULL)
         FOR UPDATE`,
      (row) => sql`
        UPDATE rewards SET grant_reason = ${row.grantReason}, revoke_reason = ${row.revokeReason}
         WHERE id = ${row.key}::uuid`,
    );
  }
}
