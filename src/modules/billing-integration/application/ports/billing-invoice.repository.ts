/** Port: what the application needs of BillingInvoiceRepository (implemented in infrastructure/billing-invoice.repository.ts, bound in the module). */
import type { InvoiceStatus } from '../../domain/standing.js';

export type { InvoiceStatus };
/**
 * billing_invoices (the current status of each invoice, as the domain decided it) and
 * billing_invoice_status_changes (every report, for good standing on any past day).
 */
export abstract class BillingInvoiceRepository {
  /**
   * Keeps the report in the history and returns the invoice's current status, with concurrent
   * reports of the same invoice queued behind this transaction (an advisory lock: the row may not
   * exist yet). The invoice keeps the customer it was first reported for.
   */
  abstract recordReportAndLock(
    invoiceId: string,
    customerId: string,
    report: {
      status: InvoiceStatus;
      at: Date;
    },
  ): Promise<{
    status: InvoiceStatus;
    at: Date;
  } | null>;
  abstract setCurrent(
    invoiceId: string,
    customerId: string,
    report: {
      status: InvoiceStatus;
      at: Date;
    },
  ): Promise<void>;
}
