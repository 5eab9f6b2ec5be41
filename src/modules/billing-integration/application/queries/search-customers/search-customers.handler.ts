import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { FindReferralCodeOwner, GetReferralCodesOf } from '#libs/contracts/index.js';
import { normaliseEmail, normalisePhone } from '#libs/ddd/index.js';
import { CustomerSearch } from '../../ports/customer-search.js';
import { decodeCustomerSearchCursor, encodeCustomerSearchCursor } from './customer-search-cursor.js';
import { SearchCustomers, type CustomerSearchPage } from './search-customers.query.js';

/**
 * One text, every way support finds a customer: the customer id exactly, a referral code
 * (case-insensitive, spaces ignored — the code belongs to the Referrals context, asked on the bus),
 * the e-mail and the phone number by their normalised forms (as the fraud rules compare them), or
 * a case-insensitive part of the name. Newest customers first, keyset-paged; each hit carries its
 * referral code (Referrals again).
 */
@QueryHandler(SearchCustomers)
export class SearchCustomersHandler implements IQueryHandler<SearchCustomers, CustomerSearchPage> {
  constructor(
    @Inject(CustomerSearch) private readonly customers: CustomerSearch,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
  ) {}

  async execute(query: SearchCustomers): Promise<CustomerSearchPage> {
    const q = query.q.trim();
    const after = query.cursor ? decodeCustomerSearchCursor(query.cursor) : undefined;
    const owner = await this.queryBus.execute<FindReferralCodeOwner, { customerId: string } | null>(
      new FindReferralCodeOwner(q),
    );
    const hits = await this.customers.search(
      {
        id: q,
        codeOwnerId: owner?.customerId ?? null,
        emailNormalized: q.includes('@') ? normaliseEmail(q) : null,
        phoneNormalized: normalisePhone(q) ?? null,
        nameContains: q,
      },
      query.limit + 1,
      after,
    );
    const page = hits.slice(0, query.limit);
    const codes = page.length
      ? await this.queryBus.execute<GetReferralCodesOf, { customerId: string; code: string }[]>(
          new GetReferralCodesOf(page.map((c) => c.id)),
        )
      : [];
    const codeOf = new Map(codes.map((c) => [c.customerId, c.code]));
    const last = page[page.length - 1];
    return {
      items: page.map((c) => ({
        id: c.id,
        name: c.name,
        email: c.email,
        phone: c.phone,
        referralCode: codeOf.get(c.id) ?? null,
        createdAt: c.createdAt.toISOString(),
      })),
      nextCursor: hits.length > query.limit && last ? encodeCustomerSearchCursor(last) : null,
    };
  }
}
