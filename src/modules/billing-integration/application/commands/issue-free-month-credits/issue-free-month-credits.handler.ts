import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Transactional } from '../../../../../platform/database/transaction.js';
import { IssueFreeMonthCredits, type FreeMonthOutcome } from '#libs/contracts/index.js';
import { BusinessDate, ValidationFailed } from '#libs/ddd/index.js';
import {
  CreditNote,
  creditNoteYear,
  planFreeMonths,
  type CreditableService,
  type FreeMonthRequest,
} from '../../../domain/credit-note.js';
import { PrismaCreditNoteRepository } from '../../../infrastructure/prisma-credit-note.repository.js';

/**
 * Issues the free-month credit notes of a batch of rewards (SPEC §7), set-based: a few queries
 * load the batch's services, prices and existing credit notes; the cycles and amounts are
 * computed in memory; one block of numbers is allocated; one insert writes the notes.
 * A reward that already has a credit note gets that one back (issuing is idempotent).
 */
@CommandHandler(IssueFreeMonthCredits)
export class IssueFreeMonthCreditsHandler implements ICommandHandler<IssueFreeMonthCredits, FreeMonthOutcome[]> {
  constructor(private readonly creditNotes: PrismaCreditNoteRepository) {}

  @Transactional()
  async execute(command: IssueFreeMonthCredits): Promise<FreeMonthOutcome[]> {
    if (command.items.length === 0) return [];
    const asOf = parseDate('asOf', command.asOf);
    const requests: FreeMonthRequest[] = command.items.map((i, n) => ({
      rewardId: i.rewardId,
      customerId: i.customerId,
      earnedOn: parseDate(`items[${n}].earnedOn`, i.earnedOn),
      ...(i.latestCycleStart
        ? { latestCycleStart: parseDate(`items[${n}].latestCycleStart`, i.latestCycleStart) }
        : {}),
    }));

    const existing = new Map(
      (await this.creditNotes.findByRewardIds(requests.map((r) => r.rewardId))).map((n) => [n.props.rewardId, n]),
    );
    const seen = new Set<string>();
    const toPlan = requests.filter((r) => !existing.has(r.rewardId) && !seen.has(r.rewardId) && seen.add(r.rewardId));

    const services = await this.creditNotes.activeServicesOf([...new Set(toPlan.map((r) => r.customerId))]);
    const servicesOf = new Map<string, CreditableService[]>();
    for (const s of services) servicesOf.set(s.customerId, [...(servicesOf.get(s.customerId) ?? []), s]);
    const earliest = toPlan.reduce<BusinessDate | undefined>(
      (min, r) => (!min || r.earnedOn.isBefore(min) ? r.earnedOn : min),
      undefined,
    );
    const used = earliest
      ? await this.creditNotes.usedPeriods(
          services.map((s) => s.serviceId),
          earliest,
        )
      : new Set<string>();

    const plans = planFreeMonths(toPlan, (c) => servicesOf.get(c) ?? [], used, asOf);
    const due = plans.filter((p) => p.status === 'issue');
    const issued = new Map<string, CreditNote>();
    if (due.length > 0) {
      const first = await this.creditNotes.allocateNumbers(creditNoteYear(command.issuedAt), due.length);
      const notes = due.map((plan, i) =>
        CreditNote.issue({ id: randomUUID(), plan, sequence: first + i, issuedAt: command.issuedAt }),
      );
      await this.creditNotes.insertMany(notes);
      for (const n of notes) issued.set(n.props.rewardId, n);
    }
    const notDue = new Map(plans.filter((p) => p.status === 'not_due').map((p) => [p.rewardId, p]));

    return requests.map((r): FreeMonthOutcome => {
      const note = existing.get(r.rewardId) ?? issued.get(r.rewardId);
      if (note) return { rewardId: r.rewardId, status: 'issued', creditNote: note.toView() };
      const skipped = notDue.get(r.rewardId)!;
      return { rewardId: r.rewardId, status: 'not_due', reason: skipped.reason };
    });
  }
}

function parseDate(field: string, value: string): BusinessDate {
  const date = BusinessDate.tryParse(value);
  if (!date) throw new ValidationFailed([{ field, message: 'must be a date YYYY-MM-DD' }]);
  return date;
}
