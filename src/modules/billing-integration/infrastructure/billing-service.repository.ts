import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { BusinessDate, Money } from '#libs/ddd/index.js';
import { BillingService, type ServiceStatus, type ServiceStatusChange } from '../domain/billing-service.entity.js';
import { BillingServiceRepository } from '../application/ports/billing-service.repository.js';

interface ServiceRow {
  id: string;
  customerId: string;
  monthlyPriceCents: bigint;
  billingDay: number;
  status: string;
  activatedAt: Date;
  activatedOn: string;
  firstInterruptedOn: string | null;
  statusChangedAt: Date;
  priceEffectiveAt: Date | null;
}

/**
 * billing_services (current state) with billing_service_prices (price history) and
 * billing_service_status_changes (status history).
 */
@Injectable()
export class SqlBillingServiceRepository implements BillingServiceRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * Inserts a newly activated service with its first price and status rows; false (and no
   * change) when the service id is already known. One statement.
   */
  async insertIfAbsent(service: BillingService): Promise<boolean> {
    const p = service.props;
    const { inserted } = await this.db.one<{ inserted: boolean }>(sql`
      WITH service AS (
        INSERT INTO billing_services (id, customer_id, monthly_price_cents, billing_day, status, activated_at,
                                      activated_on, first_interrupted_on, status_changed_at)
        VALUES (${p.id}, ${p.customerId}, ${p.monthlyPrice.cents}, ${p.billingDay}, ${p.status}, ${p.activatedAt},
                ${p.activatedOn.toString()}::date, ${p.firstInterruptedOn?.toString() ?? null}::date, ${p.statusChangedAt})
        ON CONFLICT (id) DO NOTHING
        RETURNING id
      ), price AS (
        INSERT INTO billing_service_prices (service_id, effective_at, effective_on, price_cents)
        SELECT id, ${p.activatedAt}::timestamptz, ${p.activatedOn.toString()}::date, ${p.monthlyPrice.cents}::bigint FROM service
      ), status AS (
        INSERT INTO billing_service_status_changes (service_id, status, occurred_at)
        SELECT id, 'activated', ${p.activatedAt}::timestamptz FROM service
      )
      SELECT EXISTS (SELECT 1 FROM service) AS inserted`);
    return inserted;
  }

  /** Loads a service and locks its row until the transaction ends (concurrent changes queue). */
  async findForUpdate(id: string): Promise<BillingService | null> {
    const row = await this.db.maybeOne<ServiceRow>(sql`
      SELECT s.id, s.customer_id AS "customerId", s.monthly_price_cents AS "monthlyPriceCents",
             s.billing_day AS "billingDay", s.status, s.activated_at AS "activatedAt", s.activated_on AS "activatedOn",
             s.first_interrupted_on AS "firstInterruptedOn", s.status_changed_at AS "statusChangedAt",
             (SELECT max(effective_at) FROM billing_service_prices p WHERE p.service_id = s.id) AS "priceEffectiveAt"
        FROM billing_services s WHERE s.id = ${id} FOR UPDATE OF s`);
    if (!row) return null;
    return BillingService.rehydrate({
      id: row.id,
      customerId: row.customerId,
      monthlyPrice: Money.ofCents(row.monthlyPriceCents),
      priceEffectiveAt: row.priceEffectiveAt ?? row.activatedAt,
      billingDay: row.billingDay,
      status: row.status as ServiceStatus,
      statusChangedAt: row.statusChangedAt,
      activatedAt: row.activatedAt,
      activatedOn: BusinessDate.parse(row.activatedOn),
      firstInterruptedOn: row.firstInterruptedOn ? BusinessDate.parse(row.firstInterruptedOn) : null,
    });
  }

  /** Appends the status history row and stores the service's resulting current state. */
  async saveStatusChange(service: BillingService, change: ServiceStatusChange, at: Date): Promise<void> {
    const p = service.props;
    await this.db.execute(sql`
      WITH history AS (
        INSERT INTO billing_service_status_changes (service_id, status, occurred_at) VALUES (${p.id}, ${change}, ${at})
      )
      UPDATE billing_services
         SET status = ${p.status}, status_changed_at = ${p.statusChangedAt},
             first_interrupted_on = ${p.firstInterruptedOn?.toString() ?? null}::date
       WHERE id = ${p.id}`);
  }

  /**
   * Adds a price effective from `at` to the history (a second price for the same instant
   * replaces the first) and stores the service's resulting current price.
   */
  async savePriceChange(service: BillingService, price: Money, at: Date): Promise<void> {
    const p = service.props;
    await this.db.execute(sql`
      WITH history AS (
        INSERT INTO billing_service_prices (service_id, effective_at, effective_on, price_cents)
        VALUES (${p.id}, ${at}, ${BusinessDate.ofInstant(at).toString()}::date, ${price.cents})
        ON CONFLICT (service_id, effective_at) DO UPDATE SET price_cents = EXCLUDED.price_cents
      )
      UPDATE billing_services SET monthly_price_cents = ${p.monthlyPrice.cents} WHERE id = ${p.id}`);
  }
}
