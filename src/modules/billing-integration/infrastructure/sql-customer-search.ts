import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { joinSql, sql, type SqlStatement } from '../../../platform/database/sql.js';
import {
  CustomerSearch,
  type CustomerSearchCriteria,
  type CustomerSearchHit,
  type CustomerSearchPosition,
} from '../application/ports/customer-search.js';

/** `%`, `_` and the escape character itself, matched literally in a LIKE pattern. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The search as one statement: each criterion on its own index (primary key, the normalised
 * e-mail and phone, the name's trigram index — billing_customers_name_trgm_idx — for three
 * characters and more), OR-ed, newest first, keyset on (created_at, id).
 */
@Injectable()
export class SqlCustomerSearch implements CustomerSearch {
  constructor(@Inject(Db) private readonly db: Db) {}

  async search(c: CustomerSearchCriteria, limit: number, after?: CustomerSearchPosition): Promise<CustomerSearchHit[]> {
    const matches: SqlStatement[] = [
      sql`c.id = ${c.id}::text`,
      sql`c.name ILIKE ${likeContains(c.nameContains)}::text`,
    ];
    if (c.codeOwnerId) matches.push(sql`c.id = ${c.codeOwnerId}::text`);
    if (c.emailNormalized) matches.push(sql`c.email_normalized = ${c.emailNormalized}::text`);
    if (c.phoneNormalized) matches.push(sql`c.phone_normalized = ${c.phoneNormalized}::text`);
    const keyset = after ? sql`AND (c.created_at, c.id) < (${after.createdAt}::timestamptz, ${after.id}::text)` : sql``;
    return this.db.query<CustomerSearchHit>(sql`
      SELECT c.id, c.name, c.email, c.phone, c.created_at AS "createdAt"
        FROM billing_customers c
       WHERE (${joinSql(matches, ' OR ')}) ${keyset}
       ORDER BY c.created_at DESC, c.id DESC
       LIMIT ${limit}::int`);
  }
}
