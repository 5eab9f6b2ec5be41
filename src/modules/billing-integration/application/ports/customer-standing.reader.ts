/** Port: what the application needs of CustomerStandingReader (implemented in infrastructure/customer-standing.reader.ts, bound in the module). */
import type { CreditableService } from '../../domain/credit-note.js';
import type { CustomerStanding } from '../../domain/standing.js';

/**
 * The histories the rules judge by (domain/standing.ts, domain/credit-note.ts): each customer's
 * services with their price and status reports, and their invoices' reports. Two statements for
 * any number of customers. Reads through the caller's transaction.
 */
export abstract class CustomerStandingReader {
  /** Every service of these customers (any status), with price and status histories. */
  abstract servicesOf(customerIds: string[]): Promise<Map<string, CreditableService[]>>;
  /** Services and invoices of these customers: what eligibility on any day is judged by. */
  abstract standingsOf(customerIds: string[]): Promise<Map<string, CustomerStanding>>;
}
