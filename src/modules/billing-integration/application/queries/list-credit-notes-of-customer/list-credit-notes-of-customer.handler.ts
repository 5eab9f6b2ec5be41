import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ListCreditNotesOfCustomer, type CreditNoteView } from '#libs/contracts/index.js';
import { CreditNoteReadModel } from '../../ports/credit-note.read-model.js';
import { decodeCreditNoteCursor, encodeCreditNoteCursor } from './credit-note-cursor.js';

export interface CreditNotePage {
  items: CreditNoteView[];
  nextCursor: string | null;
}

/** A customer's credit notes, newest first, keyset-paginated. */
@QueryHandler(ListCreditNotesOfCustomer)
export class ListCreditNotesOfCustomerHandler implements IQueryHandler<ListCreditNotesOfCustomer, CreditNotePage> {
  constructor(@Inject(CreditNoteReadModel) private readonly creditNotes: CreditNoteReadModel) {}

  async execute(query: ListCreditNotesOfCustomer): Promise<CreditNotePage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit) || 20, 1), 100);
    const after = query.cursor ? decodeCreditNoteCursor(query.cursor) : undefined;
    const notes = await this.creditNotes.pageOfCustomer(query.customerId, limit + 1, after);
    const page = notes.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((n) => n.toView()),
      nextCursor:
        notes.length > limit && last
          ? encodeCreditNoteCursor({ issuedAt: last.props.issuedAt, id: last.props.id })
          : null,
    };
  }
}
