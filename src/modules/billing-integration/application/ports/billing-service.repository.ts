/** Port: what the application needs of BillingServiceRepository (implemented in infrastructure/billing-service.repository.ts, bound in the module). */
import type { Money } from '#libs/ddd/index.js';
import type { BillingService, ServiceStatusChange } from '../../domain/billing-service.entity.js';

/**
 * billing_services (current state) with billing_service_prices (price history) and
 * billing_service_status_changes (status history).
 */
export abstract class BillingServiceRepository {
  /**
   * Inserts a newly activated service with its first price and status rows; false (and no
   * change) when the service id is already known. One statement.
   */
  abstract insertIfAbsent(service: BillingService): Promise<boolean>;
  /** Loads a service and locks its row until the transaction ends (concurrent changes queue). */
  abstract findForUpdate(id: string): Promise<BillingService | null>;
  /** Appends the status history row and stores the service's resulting current state. */
  abstract saveStatusChange(service: BillingService, change: ServiceStatusChange, at: Date): Promise<void>;
  /**
   * Adds a price effective from `at` to the history (a second price for the same instant
   * replaces the first) and stores the service's resulting current price.
   */
  abstract savePriceChange(service: BillingService, price: Money, at: Date): Promise<void>;
}
