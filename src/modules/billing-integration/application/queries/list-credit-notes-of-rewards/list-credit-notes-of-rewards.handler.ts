import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ListCreditNotesOfRewards, type CreditNoteView } from '#libs/contracts/index.js';
import { CreditNoteRepository } from '../../ports/credit-note.repository.js';

/** The credit notes issued for these rewards (for a customer's balance view). */
@QueryHandler(ListCreditNotesOfRewards)
export class ListCreditNotesOfRewardsHandler implements IQueryHandler<ListCreditNotesOfRewards, CreditNoteView[]> {
  constructor(private readonly creditNotes: CreditNoteRepository) {}

  async execute(query: ListCreditNotesOfRewards): Promise<CreditNoteView[]> {
    const notes = await this.creditNotes.findByRewardIds(query.rewardIds);
    return notes.map((n) => n.toView());
  }
}
