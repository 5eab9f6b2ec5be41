import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { sql } from '../../../../../platform/database/sql.js';
import { TransactionHost, type Db } from '../../../../../platform/database/transaction.js';
import { GetCustomerSummary, type CustomerSummary } from '#libs/contracts/index.js';

interface Row {
  id: string;
  name: string;
  email: string;
  email_normalized: string;
  phone_normalized: string | null;
  address_normalized: string | null;
  signup_ip: string | null;
  created_at: Date;
  has_active_service: boolean;
  in_good_standing: boolean;
}

/**
 * What other contexts may know about a billing customer: contact details (normalised), whether
 * a service is active now, and good standing (no invoice currently overdue). Reads the mirror
 * through the caller's transaction when there is one, so it sees what that transaction wrote.
 */
@QueryHandler(GetCustomerSummary)
export class GetCustomerSummaryHandler implements IQueryHandler<GetCustomerSummary, CustomerSummary | null> {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async execute({ customerId }: GetCustomerSummary): Promise<CustomerSummary | null> {
    const [row] = await this.db.sql<Row>(sql`
      SELECT c.id, c.name, c.email, c.email_normalized, c.phone_normalized, c.address_normalized,
             c.signup_ip, c.created_at,
             EXISTS (SELECT 1 FROM billing_services s WHERE s.customer_id = c.id AND s.status = 'active')
               AS has_active_service,
             NOT EXISTS (SELECT 1 FROM billing_invoices i WHERE i.customer_id = c.id AND i.status = 'overdue')
               AS in_good_standing
      FROM billing_customers c
      WHERE c.id = ${customerId}`);
    if (!row) return null;
    return {
      customerId: row.id,
      name: row.name,
      email: row.email,
      emailNormalized: row.email_normalized,
      phoneNormalized: row.phone_normalized,
      addressNormalized: row.address_normalized,
      signupIp: row.signup_ip,
      createdAt: row.created_at,
      hasActiveService: row.has_active_service,
      inGoodStanding: row.in_good_standing,
    };
  }
}
