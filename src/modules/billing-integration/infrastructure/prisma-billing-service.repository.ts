import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost, type Db } from '../../../platform/database/transaction.js';
import { BusinessDate, Money } from '#libs/ddd/index.js';
import { BillingService, type ServiceStatus, type ServiceStatusChange } from '../domain/billing-service.entity.js';

/**
 * billing_services (current state) with billing_service_prices (price history) and
 * billing_service_status_changes (status history).
 */
@Injectable()
export class PrismaBillingServiceRepository {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  /**
   * Inserts a newly activated service with its first price and status rows; false (and no
   * change) when the service id is already known.
   */
  async insertIfAbsent(service: BillingService): Promise<boolean> {
    const p = service.props;
    const { count } = await this.db.tx.billingService.createMany({
      data: [
        {
          id: p.id,
          customerId: p.customerId,
          monthlyPriceCents: p.monthlyPrice.cents,
          billingDay: p.billingDay,
          status: p.status,
          activatedAt: p.activatedAt,
          activatedOn: p.activatedOn.toDbDate(),
          firstInterruptedOn: p.firstInterruptedOn?.toDbDate() ?? null,
          statusChangedAt: p.statusChangedAt,
        },
      ],
      skipDuplicates: true,
    });
    if (count === 0) return false;
    await this.db.tx.billingServicePrice.create({
      data: {
        serviceId: p.id,
        effectiveAt: p.activatedAt,
        effectiveOn: p.activatedOn.toDbDate(),
        priceCents: p.monthlyPrice.cents,
      },
    });
    await this.db.tx.billingServiceStatusChange.create({
      data: { serviceId: p.id, status: 'activated', occurredAt: p.activatedAt },
    });
    return true;
  }

  /** Loads a service and locks its row until the transaction ends (concurrent changes queue). */
  async findForUpdate(id: string): Promise<BillingService | null> {
    const locked = await this.db.tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM billing_services WHERE id = ${id} FOR UPDATE`;
    if (locked.length === 0) return null;
    const row = await this.db.tx.billingService.findUniqueOrThrow({ where: { id } });
    const price = await this.db.tx.billingServicePrice.findFirst({
      where: { serviceId: id },
      orderBy: { effectiveAt: 'desc' },
    });
    return BillingService.rehydrate({
      id: row.id,
      customerId: row.customerId,
      monthlyPrice: Money.ofCents(row.monthlyPriceCents),
      priceEffectiveAt: price?.effectiveAt ?? row.activatedAt,
      billingDay: row.billingDay,
      status: row.status as ServiceStatus,
      statusChangedAt: row.statusChangedAt,
      activatedAt: row.activatedAt,
      activatedOn: BusinessDate.fromDbDate(row.activatedOn),
      firstInterruptedOn: row.firstInterruptedOn ? BusinessDate.fromDbDate(row.firstInterruptedOn) : null,
    });
  }

  /** Appends the status history row and stores the service's resulting current state. */
  async saveStatusChange(service: BillingService, change: ServiceStatusChange, at: Date): Promise<void> {
    const p = service.props;
    await this.db.tx.billingServiceStatusChange.create({ data: { serviceId: p.id, status: change, occurredAt: at } });
    await this.db.tx.billingService.update({
      where: { id: p.id },
      data: {
        status: p.status,
        statusChangedAt: p.statusChangedAt,
        firstInterruptedOn: p.firstInterruptedOn?.toDbDate() ?? null,
      },
    });
  }

  /**
   * Adds a price effective from `at` to the history (a second price for the same instant
   * replaces the first) and stores the service's resulting current price.
   */
  async savePriceChange(service: BillingService, price: Money, at: Date): Promise<void> {
    const p = service.props;
    await this.db.tx.billingServicePrice.upsert({
      where: { serviceId_effectiveAt: { serviceId: p.id, effectiveAt: at } },
      create: {
        serviceId: p.id,
        effectiveAt: at,
        effectiveOn: BusinessDate.ofInstant(at).toDbDate(),
        priceCents: price.cents,
      },
      update: { priceCents: price.cents },
    });
    await this.db.tx.billingService.update({
      where: { id: p.id },
      data: { monthlyPriceCents: p.monthlyPrice.cents },
    });
  }
}
