import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../../../../platform/auth/decorators.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import {
  SearchCustomers,
  type CustomerSearchPage,
} from '../../application/queries/search-customers/search-customers.query.js';
import { CustomerSearchPageDto, CustomerSearchQueryDto } from './customer-search.dto.js';

/** The admin console's customer search (SPEC §14). */
@ApiTags('Admin: customers')
@Controller('api/admin/customers')
export class CustomerSearchController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'searchCustomers',
    summary: 'Find customers by id, referral code, e-mail, phone or name',
    description:
      'Requires `referrals:view`. `q` matches the customer id exactly, a referral code case-insensitively (with or ' +
      'without spaces), the e-mail and the phone number by their normalised forms (exact: `Thandi.N+x@GMail.com` ' +
      'finds `thandin@gmail.com`, `082 123 4567` finds `+27821234567`), or the name case-insensitively as a ' +
      'substring. Any of them matching is a hit. Newest customers first (signup time, then id), keyset-paged: pass ' +
      '`nextCursor` back as `cursor`.',
  })
  @ApiOkResponse({ type: CustomerSearchPageDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: q missing, blank or longer than 100 characters; bad limit; INVALID_CURSOR',
    type: ProblemDetailsDto,
  })
  async search(@Query() query: CustomerSearchQueryDto): Promise<CustomerSearchPageDto> {
    return this.queryBus.execute<SearchCustomers, CustomerSearchPage>(
      new SearchCustomers(query.q, query.limit ?? 20, query.cursor),
    );
  }
}
