import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TransactionHost, type Db } from '../../../../../platform/database/transaction.js';
import { GetEligibleCustomers } from '#libs/contracts/index.js';

/**
 * Which of the given customers may earn rewards now: at least one active service and no
 * invoice currently overdue. Set-based: one query for the whole batch.
 */
@QueryHandler(GetEligibleCustomers)
export class GetEligibleCustomersHandler implements IQueryHandler<GetEligibleCustomers, string[]> {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async execute({ customerIds }: GetEligibleCustomers): Promise<string[]> {
    if (customerIds.length === 0) return [];
    const rows = await this.db.tx.$queryRaw<{ id: string }[]>`
      SELECT c.id
      FROM billing_customers c
      WHERE c.id = ANY(${customerIds}::text[])
        AND EXISTS (SELECT 1 FROM billing_services s WHERE s.customer_id = c.id AND s.status = 'active')
        AND NOT EXISTS (SELECT 1 FROM billing_invoices i WHERE i.customer_id = c.id AND i.status = 'overdue')
      ORDER BY c.id`;
    return rows.map((r) => r.id);
  }
}
