import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetFirstEligibleDays } from '#libs/contracts/index.js';
import { firstEligibleDay } from '../../../domain/standing.js';
import { CustomerStandingReader } from '../../ports/customer-standing.reader.js';
import { parseDate } from '../../free-month-planner.js';

/** SPEC §6: the first day in a range each customer was eligible to earn (domain/standing.ts), for a batch. */
@QueryHandler(GetFirstEligibleDays)
export class GetFirstEligibleDaysHandler implements IQueryHandler<GetFirstEligibleDays, (string | null)[]> {
  constructor(@Inject(CustomerStandingReader) private readonly standing: CustomerStandingReader) {}

  async execute({ items }: GetFirstEligibleDays): Promise<(string | null)[]> {
    if (items.length === 0) return [];
    const standings = await this.standing.standingsOf([...new Set(items.map((i) => i.customerId))]);
    return items.map((item, n) => {
      const standing = standings.get(item.customerId);
      if (!standing) return null;
      const day = firstEligibleDay(
        standing,
        parseDate(`items[${n}].from`, item.from),
        parseDate(`items[${n}].to`, item.to),
      );
      return day?.toString() ?? null;
    });
  }
}
