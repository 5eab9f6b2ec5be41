import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CustomerOnly } from '../../../../platform/auth/decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import {
  GetReferralBalance,
  type ReferralBalance,
} from '../../application/queries/get-referral-balance/get-referral-balance.query.js';
import { ReferralBalanceDto } from './dto/rewards.dto.js';

/** The signed-in customer's free months: pending and applied. */
@ApiTags('Customer app')
@Controller('api/customer/referral-balance')
export class CustomerReferralBalanceController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @CustomerOnly()
  @ApiOperation({
    operationId: 'getMyReferralBalance',
    summary: 'My free months: pending and applied',
    description:
      "The signed-in customer's rewards: how many free months are waiting, each pending reward with its expiry, " +
      'and each applied one with the service, period, amount waived and credit-note number.',
  })
  @ApiOkResponse({ type: ReferralBalanceDto })
  async balance(@CurrentPrincipal() principal: Principal): Promise<ReferralBalanceDto> {
    return this.queryBus.execute<GetReferralBalance, ReferralBalance>(new GetReferralBalance(principal.sub));
  }
}
