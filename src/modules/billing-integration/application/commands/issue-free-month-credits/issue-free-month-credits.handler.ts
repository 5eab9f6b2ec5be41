import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IssueFreeMonthCredits, type FreeMonthOutcome } from '#libs/contracts/index.js';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { CreditNote, creditNoteYear, type PlannedFreeMonth } from '../../../domain/credit-note.js';
import { CreditNoteRepository } from '../../ports/credit-note.repository.js';
import { FreeMonthPlanner, parseDate } from '../../free-month-planner.js';
import { toOutcome } from '../../free-month-outcome.js';

/**
 * Issues the free-month credit notes of a batch of rewards (SPEC §7), set-based: a few queries
 * load the batch's services and histories and the notes already issued; the cycles and amounts
 * are planned in memory (FreeMonthPlanner); one block of numbers is allocated; one insert writes
 * the notes, each carrying the run that issued it. A reward that already has a credit note gets
 * that one back (issuing is idempotent).
 */
@CommandHandler(IssueFreeMonthCredits)
export class IssueFreeMonthCreditsHandler implements ICommandHandler<IssueFreeMonthCredits, FreeMonthOutcome[]> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(CreditNoteRepository) private readonly creditNotes: CreditNoteRepository,
    @Inject(FreeMonthPlanner) private readonly planner: FreeMonthPlanner,
  ) {}

  @Transactional()
  async execute(command: IssueFreeMonthCredits): Promise<FreeMonthOutcome[]> {
    if (command.items.length === 0) return [];
    const asOf = parseDate('asOf', command.asOf);
    const { existing, plans } = await this.planner.plan(command.items, asOf);
    const due: PlannedFreeMonth[] = [...plans.values()].filter((p) => p.status === 'issue');
    if (due.length > 0) {
      const first = await this.creditNotes.allocateNumbers(creditNoteYear(command.issuedAt), due.length);
      const notes = due.map((plan, i) =>
        CreditNote.issue({
          id: randomUUID(),
          plan,
          sequence: first + i,
          issuedAt: command.issuedAt,
          runId: command.runId,
        }),
      );
      await this.creditNotes.insertMany(notes);
      for (const n of notes) existing.set(n.props.rewardId, n);
    }
    return command.items.map((i) => toOutcome(i.rewardId, existing.get(i.rewardId), plans.get(i.rewardId)));
  }
}
