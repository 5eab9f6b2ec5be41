import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  GetReferralStats,
  GetRewardBalanceSummary,
  type ReferralStats,
  type RewardBalanceSummary,
} from '#libs/contracts/index.js';
import { ValidationFailed } from '#libs/ddd/index.js';
import { CurrentPrincipal, CustomerOnly } from '../../../../platform/auth/decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config/config.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import {
  GetOrCreateReferralCode,
  type GetOrCreateReferralCodeResult,
} from '../../application/commands/get-or-create-referral-code/get-or-create-referral-code.command.js';
import type { MyReferralsPage } from '../../application/queries/get-my-referrals-page/get-my-referrals-page.handler.js';
import { GetMyReferralsPage } from '../../application/queries/get-my-referrals-page/get-my-referrals-page.query.js';
import { ListMyReferralsQueryDto, MyReferralCodeDto, MyReferralsPageDto } from './dto/referral.dto.js';

@ApiTags('Customer app')
@Controller('api/customer/referrals')
export class CustomerReferralsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @CustomerOnly()
  @ApiOperation({
    operationId: 'getOrCreateMyReferralCode',
    summary: 'My referral code (created on first call)',
    description:
      "The signed-in customer's referral code and share link — created on the first call (201), the same one ever " +
      'after (200) — with their referral stats, pending free months and progress towards the next one (`1/2`).',
  })
  @ApiBody({
    required: false,
    description: 'No body (an empty JSON object is accepted)',
    schema: { type: 'object', additionalProperties: false },
    examples: { empty: { summary: 'No body, or an empty object', value: {} } },
  })
  @ApiCreatedResponse({ type: MyReferralCodeDto, description: 'Code created' })
  @ApiOkResponse({ type: MyReferralCodeDto, description: 'Existing code' })
  @ApiBadRequestResponse({ type: ProblemDetailsDto })
  @ApiNotFoundResponse({
    type: ProblemDetailsDto,
    description: 'CUSTOMER_NOT_FOUND: billing has not told us about this customer yet',
  })
  async getOrCreateCode(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MyReferralCodeDto> {
    if (
      body !== undefined &&
      body !== null &&
      (typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length > 0)
    ) {
      const fields = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : ['body'];
      throw new ValidationFailed(fields.map((field) => ({ field, message: 'unknown field' })));
    }
    const customerId = principal.sub;
    const { code, created } = await this.commandBus.execute<GetOrCreateReferralCode, GetOrCreateReferralCodeResult>(
      new GetOrCreateReferralCode(customerId),
    );
    const [stats, balance] = await Promise.all([
      this.queryBus.execute<GetReferralStats, ReferralStats>(new GetReferralStats(customerId)),
      this.queryBus.execute<GetRewardBalanceSummary, RewardBalanceSummary>(new GetRewardBalanceSummary(customerId)),
    ]);
    res.status(created ? 201 : 200);
    return {
      referralCode: code,
      referralLink: this.config.referralLinkBase + code,
      stats,
      rewardBalance: balance.pendingRewards,
      // Progress towards the next reward, as the Rewards context counts it (SPEC §10).
      progress: balance.progress,
    };
  }

  @Get()
  @CustomerOnly()
  @ApiOperation({
    operationId: 'listMyReferrals',
    summary: 'My referrals, newest first',
    description:
      'The people the signed-in customer referred (emails masked), each with its status and dates, and the counts ' +
      'by status. Filter with `status`; keyset-paginated: pass `nextCursor` back as `cursor`.',
  })
  @ApiOkResponse({ type: MyReferralsPageDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Bad status, limit or cursor' })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListMyReferralsQueryDto,
  ): Promise<MyReferralsPageDto> {
    return this.queryBus.execute<GetMyReferralsPage, MyReferralsPage>(
      new GetMyReferralsPage(principal.sub, { status: query.status, limit: query.limit ?? 20, cursor: query.cursor }),
    );
  }
}
