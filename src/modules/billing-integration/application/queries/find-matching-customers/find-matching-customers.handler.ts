import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { sql } from '../../../../../platform/database/sql.js';
import { TransactionHost, type Db } from '../../../../../platform/database/transaction.js';
import { FindMatchingCustomers, type MatchingCustomer } from '#libs/contracts/index.js';

interface Row {
  id: string;
  email: boolean;
  phone: boolean;
  address: boolean;
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/**
 * Existing customers whose normalised email, phone or installation address equals one given
 * (each lookup uses its own index), other than the excluded ids; oldest customer first, with
 * the fields that matched. Empty criteria match nothing.
 */
@QueryHandler(FindMatchingCustomers)
export class FindMatchingCustomersHandler implements IQueryHandler<FindMatchingCustomers, MatchingCustomer[]> {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async execute({ criteria }: FindMatchingCustomers): Promise<MatchingCustomer[]> {
    const email = criteria.emailNormalized || null;
    const phone = criteria.phoneNormalized || null;
    const address = criteria.addressNormalized || null;
    if (!email && !phone && !address) return [];
    const limit = Math.min(Math.max(Math.trunc(criteria.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
    const excluded = criteria.excludeCustomerIds ?? [];
    const rows = await this.db.sql<Row>(sql`
      SELECT id,
             COALESCE(email_normalized = ${email}, false) AS email,
             COALESCE(phone_normalized = ${phone}, false) AS phone,
             COALESCE(address_normalized = ${address}, false) AS address
      FROM billing_customers
      WHERE (email_normalized = ${email} OR phone_normalized = ${phone} OR address_normalized = ${address})
        AND NOT (id = ANY(${excluded}::text[]))
      ORDER BY created_at, id
      LIMIT ${limit}`);
    return rows.map((r) => ({
      customerId: r.id,
      matchedOn: [...(r.email ? ['email' as const] : []), ...(r.phone ? ['phone' as const] : []), ...(r.address ? ['address' as const] : [])],
    }));
  }
}
