import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { ReferralCodeDirectory } from '../application/ports/referral-code-directory.js';
import type { ReferralCode } from '../domain/referral-code.value-object.js';

/** referral_codes read by code (unique index) or by customer (primary key). */
@Injectable()
export class SqlReferralCodeDirectory implements ReferralCodeDirectory {
  constructor(@Inject(Db) private readonly db: Db) {}

  ownerOf(code: ReferralCode): Promise<{ customerId: string; code: string } | null> {
    return this.db.maybeOne<{ customerId: string; code: string }>(sql`
      SELECT customer_id AS "customerId", code FROM referral_codes WHERE code = ${code.value} AND erased_at IS NULL`);
  }

  async codesOf(customerIds: readonly string[]): Promise<{ customerId: string; code: string }[]> {
    if (customerIds.length === 0) return [];
    return this.db.query<{ customerId: string; code: string }>(sql`
      SELECT customer_id AS "customerId", code FROM referral_codes WHERE customer_id = ANY(${[...customerIds]}::text[])`);
  }
}
