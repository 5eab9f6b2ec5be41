import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../../../../platform/auth/decorators.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import { GetCustomerReferralOverview } from '../../application/queries/get-customer-referral-overview/get-customer-referral-overview.query.js';
import type { CustomerReferralOverview } from '../../application/queries/get-customer-referral-overview/get-customer-referral-overview.handler.js';
import { CustomerIdParams, CustomerReferralOverviewDto, CustomerReferralsQueryDto } from './dto/fraud.dto.js';

/** The admin oversight view of one customer: their referrals with fraud findings, rewards and totals. */
@ApiTags('Admin: customers')
@Controller('api/admin/customers')
export class CustomerOversightController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id/referrals')
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'getCustomerReferralOverview',
    summary: "A customer's referrals, fraud flags, rewards and stats",
    description:
      'The admin view of one referrer: their referrals (newest first; filter by `status`, search the referred ' +
      'name or email with `q`) each with its fraud findings, the rewards they earned or were granted, and totals. ' +
      'Keyset-paginated: pass `nextCursor` back as `cursor`.',
  })
  @ApiOkResponse({ type: CustomerReferralOverviewDto })
  @ApiBadRequestResponse({ description: 'Bad id, status, q, limit or cursor', type: ProblemDetailsDto })
  @ApiNotFoundResponse({ description: 'CUSTOMER_NOT_FOUND', type: ProblemDetailsDto })
  async overview(
    @Param() params: CustomerIdParams,
    @Query() query: CustomerReferralsQueryDto,
  ): Promise<CustomerReferralOverviewDto> {
    return this.queryBus.execute<GetCustomerReferralOverview, CustomerReferralOverview>(
      new GetCustomerReferralOverview(params.id, {
        status: query.status,
        q: query.q?.trim() || undefined,
        limit: query.limit ?? 20,
        cursor: query.cursor,
      }),
    );
  }
}
