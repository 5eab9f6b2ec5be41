/** Port: what the application needs of CustomerDirectoryReader (implemented in infrastructure/customer-directory.reader.ts, bound in the module). */
import type { CustomerSummary, FindMatchingCustomers, MatchingCustomer } from '#libs/contracts/index.js';

type Criteria = FindMatchingCustomers['criteria'];
/**
 * The mirror's customer reads that other contexts ask for (libs/contracts/billing.ts), in ONE
 * statement so that screening a referral asks once for both: a customer's summary (contact
 * details, an active service now, good standing) and the customers whose normalised email,
 * phone or installation address equals given ones (each lookup on its own index), other than
 * excluded ids, oldest first, with the fields that matched. Either part may be left out (null).
 * Reads through the caller's transaction, so it sees what that transaction wrote.
 */
export abstract class CustomerDirectoryReader {
  abstract read(
    summaryOf: string | null,
    matching: Criteria | null,
  ): Promise<{
    summary: CustomerSummary | null;
    matches: MatchingCustomer[];
  }>;
}
