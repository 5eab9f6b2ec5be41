import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost, type Db } from '../../../platform/database/transaction.js';

export type InvoiceStatus = 'overdue' | 'paid';

/** billing_invoices: the status of each invoice billing told us about. */
@Injectable()
export class PrismaBillingInvoiceRepository {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  /**
   * Upserts the invoice, keeping the status reported with the latest occurredAt (out-of-order
   * safe: a `paid` delivered before its `overdue` stays paid). On a tie `paid` wins — an invoice
   * paid at the instant it fell overdue is paid. The invoice keeps the customer it was first
   * reported for. One statement, so concurrent reports of one invoice cannot interleave.
   */
  async recordStatus(invoiceId: string, customerId: string, status: InvoiceStatus, at: Date): Promise<void> {
    await this.db.tx.$executeRaw`
      INSERT INTO billing_invoices (id, customer_id, status, updated_at)
      VALUES (${invoiceId}, ${customerId}, ${status}, ${at})
      ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
      WHERE billing_invoices.updated_at < EXCLUDED.updated_at
         OR (billing_invoices.updated_at = EXCLUDED.updated_at AND EXCLUDED.status = 'paid')`;
  }
}
