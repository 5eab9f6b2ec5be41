import { Inject, Injectable } from '@nestjs/common';
import { BusinessDate, Money } from '#libs/ddd/index.js';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import type { CreditableService } from '../domain/credit-note.js';
import type { CustomerStanding, InvoiceHistory, InvoiceStatus, ServiceStatusEvent } from '../domain/standing.js';
import { CustomerStandingReader } from '../application/ports/customer-standing.reader.js';

interface ServiceRow {
  id: string;
  customerId: string;
  billingDay: number;
  activatedOn: string;
  activatedAt: Date;
  monthlyPriceCents: bigint;
  prices: { effectiveOn: string; effectiveAt: string; priceCents: number }[] | null;
  changes: { status: ServiceStatusEvent; at: string }[] | null;
}

/**
 * The histories the rules judge by (domain/standing.ts, domain/credit-note.ts): each customer's
 * services with their price and status reports, and their invoices' reports. Two statements for
 * any number of customers. Reads through the caller's transaction.
 */
@Injectable()
export class SqlCustomerStandingReader implements CustomerStandingReader {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Every service of these customers (any status), with price and status histories. */
  async servicesOf(customerIds: string[]): Promise<Map<string, CreditableService[]>> {
    const byCustomer = new Map<string, CreditableService[]>(customerIds.map((c) => [c, []]));
    if (customerIds.length === 0) return byCustomer;
    const rows = await this.db.query<ServiceRow>(sql`
      SELECT s.id, s.customer_id AS "customerId", s.billing_day AS "billingDay", s.activated_on AS "activatedOn",
             s.activated_at AS "activatedAt", s.monthly_price_cents AS "monthlyPriceCents",
             (SELECT json_agg(json_build_object('effectiveOn', p.effective_on, 'effectiveAt', p.effective_at,
                                                'priceCents', p.price_cents))
                FROM billing_service_prices p WHERE p.service_id = s.id) AS prices,
             (SELECT json_agg(json_build_object('status', c.status, 'at', c.occurred_at) ORDER BY c.id)
                FROM billing_service_status_changes c WHERE c.service_id = s.id) AS changes
        FROM billing_services s
       WHERE s.customer_id = ANY(${customerIds}::text[])
       ORDER BY s.customer_id, s.activated_at, s.id`);
    for (const s of rows) {
      const service: CreditableService = {
        serviceId: s.id,
        customerId: s.customerId,
        billingDay: s.billingDay,
        activatedOn: BusinessDate.parse(s.activatedOn),
        activatedAt: s.activatedAt,
        monthlyPrice: Money.ofCents(s.monthlyPriceCents),
        prices: (s.prices ?? []).map((p) => ({
          effectiveOn: BusinessDate.parse(p.effectiveOn),
          effectiveAt: new Date(p.effectiveAt),
          price: Money.ofCents(BigInt(p.priceCents)),
        })),
        history: {
          serviceId: s.id,
          activatedAt: s.activatedAt,
          changes: (s.changes ?? []).map((c) => ({ status: c.status, at: new Date(c.at) })),
        },
      };
      byCustomer.get(s.customerId)?.push(service);
    }
    return byCustomer;
  }

  /** Services and invoices of these customers: what eligibility on any day is judged by. */
  async standingsOf(customerIds: string[]): Promise<Map<string, CustomerStanding>> {
    const services = await this.servicesOf(customerIds);
    const invoices = new Map<string, InvoiceHistory[]>(customerIds.map((c) => [c, []]));
    if (customerIds.length > 0) {
      const rows = await this.db.query<{
        customerId: string;
        invoiceId: string;
        reports: { status: InvoiceStatus; at: string }[];
      }>(sql`
        SELECT customer_id AS "customerId", invoice_id AS "invoiceId",
               json_agg(json_build_object('status', status, 'at', occurred_at) ORDER BY id) AS reports
          FROM billing_invoice_status_changes
         WHERE customer_id = ANY(${customerIds}::text[])
         GROUP BY customer_id, invoice_id`);
      for (const r of rows) {
        invoices.get(r.customerId)?.push({
          invoiceId: r.invoiceId,
          reports: r.reports.map((x) => ({ status: x.status, at: new Date(x.at) })),
        });
      }
    }
    return new Map(
      customerIds.map((c) => [
        c,
        { services: (services.get(c) ?? []).map((s) => s.history), invoices: invoices.get(c) ?? [] },
      ]),
    );
  }
}
