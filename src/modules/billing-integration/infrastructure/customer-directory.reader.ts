import { Inject, Injectable } from '@nestjs/common';
import type { CustomerSummary, FindMatchingCustomers, MatchingCustomer } from '#libs/contracts/index.js';
import { sql } from '../../../platform/database/sql.js';
import { Db } from '../../../platform/database/db.js';
import { CustomerDirectoryReader } from '../application/ports/customer-directory.reader.js';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

type Criteria = FindMatchingCustomers['criteria'];

interface SummaryJson {
  id: string;
  name: string;
  email: string;
  email_normalized: string;
  phone_normalized: string | null;
  address_normalized: string | null;
  signup_ip: string | null;
  created_at: string;
  signup_event_id: string | null;
  has_active_service: boolean;
  in_good_standing: boolean;
}

interface MatchJson {
  id: string;
  email: boolean;
  phone: boolean;
  address: boolean;
}

/**
 * The mirror's customer reads that other contexts ask for (libs/contracts/billing.ts), in ONE
 * statement so that screening a referral asks once for both: a customer's summary (contact
 * details, an active service now, good standing) and the customers whose normalised email,
 * phone or installation address equals given ones (each lookup on its own index), other than
 * excluded ids, oldest first, with the fields that matched. Either part may be left out (null).
 * Reads through the caller's transaction, so it sees what that transaction wrote.
 */
@Injectable()
export class SqlCustomerDirectoryReader implements CustomerDirectoryReader {
  constructor(@Inject(Db) private readonly db: Db) {}

  async read(
    summaryOf: string | null,
    matching: Criteria | null,
  ): Promise<{ summary: CustomerSummary | null; matches: MatchingCustomer[] }> {
    const email = matching?.emailNormalized || null;
    const phone = matching?.phoneNormalized || null;
    const address = matching?.addressNormalized || null;
    const limit = Math.min(Math.max(Math.trunc(matching?.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
    const excluded = matching?.excludeCustomerIds ?? [];
    // Empty criteria match nothing: no lookup at all.
    if (!summaryOf && !email && !phone && !address) return { summary: null, matches: [] };
    const [row] = await this.db.query<{ summary: SummaryJson | null; matches: MatchJson[] }>(sql`
      WITH summary AS (
        SELECT c.id, c.name, c.email, c.email_normalized, c.phone_normalized, c.address_normalized,
               c.signup_ip, c.created_at, c.signup_event_id,
               EXISTS (SELECT 1 FROM billing_services s WHERE s.customer_id = c.id AND s.status = 'active')
                 AS has_active_service,
               NOT EXISTS (SELECT 1 FROM billing_invoices i WHERE i.customer_id = c.id AND i.status = 'overdue')
                 AS in_good_standing
          FROM billing_customers c
         WHERE c.id = ${summaryOf}::text
      ), matches AS (
        SELECT id, created_at,
               COALESCE(email_normalized = ${email}::text, false) AS email,
               COALESCE(phone_normalized = ${phone}::text, false) AS phone,
               COALESCE(address_normalized = ${address}::text, false) AS address
          FROM billing_customers
         WHERE (email_normalized = ${email}::text OR phone_normalized = ${phone}::text OR address_normalized = ${address}::text)
           AND NOT (id = ANY(${excluded}::text[]))
         ORDER BY created_at, id
         LIMIT ${limit}::int
      )
      SELECT (SELECT row_to_json(s) FROM summary s) AS summary,
             COALESCE((SELECT json_agg(json_build_object('id', m.id, 'email', m.email, 'phone', m.phone, 'address', m.address)
                                ORDER BY m.created_at, m.id) FROM matches m), '[]'::json) AS matches`);
    const s = row!.summary;
    return {
      summary: s
        ? {
            customerId: s.id,
            name: s.name,
            email: s.email,
            emailNormalized: s.email_normalized,
            phoneNormalized: s.phone_normalized,
            addressNormalized: s.address_normalized,
            signupIp: s.signup_ip,
            createdAt: new Date(s.created_at),
            signupEventId: s.signup_event_id,
            hasActiveService: s.has_active_service,
            inGoodStanding: s.in_good_standing,
          }
        : null,
      matches: row!.matches.map((m) => ({
        customerId: m.id,
        matchedOn: [
          ...(m.email ? ['email' as const] : []),
          ...(m.phone ? ['phone' as const] : []),
          ...(m.address ? ['address' as const] : []),
        ],
      })),
    };
  }
}
