import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetReferrerAndMatchingCustomers, type ReferrerAndMatchingCustomers } from '#libs/contracts/index.js';
import { CustomerDirectoryReader } from '../../ports/customer-directory.reader.js';

/** GetCustomerSummary of the referrer and FindMatchingCustomers, answered by one statement. */
@QueryHandler(GetReferrerAndMatchingCustomers)
export class GetReferrerAndMatchingCustomersHandler implements IQueryHandler<
  GetReferrerAndMatchingCustomers,
  ReferrerAndMatchingCustomers
> {
  constructor(@Inject(CustomerDirectoryReader) private readonly directory: CustomerDirectoryReader) {}

  async execute({ referrerId, criteria }: GetReferrerAndMatchingCustomers): Promise<ReferrerAndMatchingCustomers> {
    const { summary, matches } = await this.directory.read(referrerId, criteria);
    return { referrer: summary, matchingCustomers: matches };
  }
}
