import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PlanFreeMonths, type FreeMonthOutcome } from '#libs/contracts/index.js';
import { FreeMonthPlanner, parseDate } from '../../free-month-planner.js';
import { toOutcome } from '../../free-month-outcome.js';

/** The free-month plan as of a day, issuing nothing (the customer's expected credit, SPEC §12). */
@QueryHandler(PlanFreeMonths)
export class PlanFreeMonthsHandler implements IQueryHandler<PlanFreeMonths, FreeMonthOutcome[]> {
  constructor(@Inject(FreeMonthPlanner) private readonly planner: FreeMonthPlanner) {}

  async execute(query: PlanFreeMonths): Promise<FreeMonthOutcome[]> {
    if (query.items.length === 0) return [];
    const { existing, plans } = await this.planner.plan(query.items, parseDate('asOf', query.asOf));
    return query.items.map((i) => toOutcome(i.rewardId, existing.get(i.rewardId), plans.get(i.rewardId)));
  }
}
