import { Inject, Injectable } from '@nestjs/common';
import type { FreeMonthItem } from '#libs/contracts/index.js';
import { BusinessDate, ValidationFailed } from '#libs/ddd/index.js';
import { planFreeMonths, type CreditNote, type FreeMonthPlan, type FreeMonthRequest } from '../domain/credit-note.js';
import { CreditNoteRepository } from './ports/credit-note.repository.js';
import { CustomerStandingReader } from './ports/customer-standing.reader.js';

/**
 * Loads what the free-month plan needs (services with histories, credit notes already issued)
 * and plans (domain planFreeMonths). Used by the nightly issuing command and by the customer's
 * expected credit query alike: one planner.
 */
@Injectable()
export class FreeMonthPlanner {
  constructor(
    @Inject(CreditNoteRepository) private readonly creditNotes: CreditNoteRepository,
    @Inject(CustomerStandingReader) private readonly standing: CustomerStandingReader,
  ) {}

  async plan(
    items: readonly FreeMonthItem[],
    asOf: BusinessDate,
  ): Promise<{ existing: Map<string, CreditNote>; plans: Map<string, FreeMonthPlan> }> {
    const requests: FreeMonthRequest[] = items.map((i, n) => ({
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
    const servicesOf = await this.standing.servicesOf([...new Set(toPlan.map((r) => r.customerId))]);
    const earliest = toPlan.reduce<BusinessDate | undefined>(
      (min, r) => (!min || r.earnedOn.isBefore(min) ? r.earnedOn : min),
      undefined,
    );
    const serviceIds = [...servicesOf.values()].flat().map((s) => s.serviceId);
    const used = earliest ? await this.creditNotes.usedPeriods(serviceIds, earliest) : new Set<string>();
    const plans = planFreeMonths(toPlan, (c) => servicesOf.get(c) ?? [], used, asOf);
    return { existing, plans: new Map(plans.map((p) => [p.rewardId, p])) };
  }
}

export function parseDate(field: string, value: string): BusinessDate {
  const date = BusinessDate.tryParse(value);
  if (!date) throw new ValidationFailed([{ field, message: 'must be a date YYYY-MM-DD' }]);
  return date;
}
