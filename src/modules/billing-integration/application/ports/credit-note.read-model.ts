/** Port: what the application needs of CreditNoteReadModel (implemented in infrastructure/credit-note.read-model.ts, bound in the module). */
import type { CreditNote } from '../../domain/credit-note.js';

/** Back-office reads of credit notes (Prisma Client, outside any transaction). */
export abstract class CreditNoteReadModel {
  /** A customer's credit notes, newest first (issuedAt desc, id desc), after the keyset position. */
  abstract pageOfCustomer(
    customerId: string,
    limit: number,
    after?: {
      issuedAt: Date;
      id: string;
    },
  ): Promise<CreditNote[]>;
}
