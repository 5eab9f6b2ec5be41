import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { FindMatchingCustomers, type MatchingCustomer } from '#libs/contracts/index.js';
import { CustomerDirectoryReader } from '../../ports/customer-directory.reader.js';

/**
 * Existing customers whose normalised email, phone or installation address equals one given,
 * other than the excluded ids; oldest customer first, with the fields that matched. Empty
 * criteria match nothing.
 */
@QueryHandler(FindMatchingCustomers)
export class FindMatchingCustomersHandler implements IQueryHandler<FindMatchingCustomers, MatchingCustomer[]> {
  constructor(@Inject(CustomerDirectoryReader) private readonly directory: CustomerDirectoryReader) {}

  async execute({ criteria }: FindMatchingCustomers): Promise<MatchingCustomer[]> {
    return (await this.directory.read(null, criteria)).matches;
  }
}
