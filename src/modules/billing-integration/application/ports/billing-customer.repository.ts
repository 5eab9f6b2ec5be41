/** Port: what the application needs of BillingCustomerRepository (implemented in infrastructure/billing-customer.repository.ts, bound in the module). */
import type { BillingCustomer } from '../../domain/billing-customer.entity.js';

/** billing_customers: the mirror of the billing system's customers. */
export abstract class BillingCustomerRepository {
  abstract exists(id: string): Promise<boolean>;
  /** Whether the customer's personal data was erased (SPEC §16); false for an unknown customer. */
  abstract isErased(id: string): Promise<boolean>;
  /** Loads a customer and locks its row until the transaction ends (concurrent updates queue). */
  abstract findForUpdate(id: string): Promise<BillingCustomer | null>;
  abstract saveDetails(customer: BillingCustomer): Promise<void>;
  /** Writes an erased customer: the personal data removed, erased_at and the fields' last-writer times. */
  abstract saveErasure(customer: BillingCustomer): Promise<void>;
}
