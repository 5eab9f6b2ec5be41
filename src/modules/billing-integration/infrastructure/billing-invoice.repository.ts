import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import type { InvoiceStatus } from '../domain/standing.js';
import { BillingInvoiceRepository } from '../application/ports/billing-invoice.repository.js';

export type { InvoiceStatus };

/**
 * billing_invoices (the current status of each invoice, as the domain decided it) and
 * billing_invoice_status_changes (every report, for good standing on any past day).
 */
@Injectable()
export class SqlBillingInvoiceRepository implements BillingInvoiceRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * Keeps the report in the history and returns the invoice's current status, with concurrent
   * reports of the same invoice queued behind this transaction (an advisory lock: the row may not
   * exist yet). The invoice keeps the customer it was first reported for.
   */
  async recordReportAndLock(
    invoiceId: string,
    customerId: string,
    report: { status: InvoiceStatus; at: Date },
  ): Promise<{ status: InvoiceStatus; at: Date } | null> {
    const row = await this.db.one<{ status: InvoiceStatus | null; at: Date | null }>(sql`
      WITH lock AS (SELECT pg_advisory_xact_lock(hashtextextended('invoice:' || ${invoiceId}::text, 0))),
           history AS (
             INSERT INTO billing_invoice_status_changes (invoice_id, customer_id, status, occurred_at)
             SELECT ${invoiceId}, ${customerId}, ${report.status}, ${report.at} FROM lock)
      SELECT i.status, i.updated_at AS at
        FROM lock LEFT JOIN billing_invoices i ON i.id = ${invoiceId}`);
    return row.status && row.at ? { status: row.status, at: row.at } : null;
  }

  async setCurrent(invoiceId: string, customerId: string, report: { status: InvoiceStatus; at: Date }): Promise<void> {
    await this.db.execute(sql`
      INSERT INTO billing_invoices (id, customer_id, status, updated_at)
      VALUES (${invoiceId}, ${customerId}, ${report.status}, ${report.at})
      ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`);
  }
}
