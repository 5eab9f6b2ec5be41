import type { FreeMonthOutcome, PlannedCredit } from '#libs/contracts/index.js';
import type { CreditNote, FreeMonthPlan, PlannedFreeMonth } from '../domain/credit-note.js';

export function plannedCredit(p: PlannedFreeMonth): PlannedCredit {
  return {
    serviceId: p.serviceId,
    periodStart: p.cycle.start.toString(),
    periodEnd: p.cycle.periodEnd.toString(),
    amount: p.amountInclVat.toRand(),
  };
}

/** A reward's outcome in the contract's words: its credit note, or where it is planned to go. */
export function toOutcome(
  rewardId: string,
  note: CreditNote | undefined,
  plan: FreeMonthPlan | undefined,
): FreeMonthOutcome {
  if (note) return { rewardId, status: 'issued', creditNote: note.toView() };
  if (!plan) return { rewardId, status: 'not_due', reason: 'no_active_service' };
  if (plan.status === 'issue') return { rewardId, status: 'due', planned: plannedCredit(plan) };
  if (plan.reason === 'cycle_not_started')
    return { rewardId, status: 'not_due', reason: plan.reason, planned: plannedCredit(plan) };
  return { rewardId, status: 'not_due', reason: plan.reason };
}
