import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetCustomerSummary, type CustomerSummary } from '#libs/contracts/index.js';
import { CustomerDirectoryReader } from '../../ports/customer-directory.reader.js';

/**
 * What other contexts may know about a billing customer: contact details (normalised), whether
 * a service is active now, and good standing (no invoice currently overdue).
 */
@QueryHandler(GetCustomerSummary)
export class GetCustomerSummaryHandler implements IQueryHandler<GetCustomerSummary, CustomerSummary | null> {
  constructor(@Inject(CustomerDirectoryReader) private readonly directory: CustomerDirectoryReader) {}

  async execute({ customerId }: GetCustomerSummary): Promise<CustomerSummary | null> {
    return (await this.directory.read(customerId, null)).summary;
  }
}
