import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CLOCK, type Clock } from '#libs/ddd/index.js';
import { CurrentPrincipal, Permissions } from '../../../../platform/auth/decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import { ReviewFlaggedReferral } from '../../application/commands/review-flagged-referral/review-flagged-referral.command.js';
import { ListFlaggedReferrals } from '../../application/queries/list-flagged-referrals/list-flagged-referrals.query.js';
import type { FlaggedPage } from '../../application/queries/list-flagged-referrals/list-flagged-referrals.handler.js';
import { FlaggedPageDto, PageQueryDto, ReferralIdParams, ReviewReferralDto, ReviewResultDto } from './dto/fraud.dto.js';

@ApiTags('Admin: fraud review')
@Controller('api/admin/referrals')
export class FraudReviewController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('flagged')
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'listFlaggedReferrals',
    summary: 'The fraud review queue',
    description:
      'Referrals flagged by the fraud rules and awaiting a decision, oldest first, each with the findings that ' +
      'flagged it. Keyset-paginated: pass `nextCursor` back as `cursor`.',
  })
  @ApiOkResponse({ type: FlaggedPageDto })
  @ApiBadRequestResponse({ description: 'Bad limit or cursor', type: ProblemDetailsDto })
  async flagged(@Query() query: PageQueryDto): Promise<FlaggedPageDto> {
    return this.queryBus.execute<ListFlaggedReferrals, FlaggedPage>(
      new ListFlaggedReferrals(query.limit ?? 20, query.cursor),
    );
  }

  @Post(':id/review')
  @HttpCode(200)
  @Permissions('referrals:manage')
  @ApiOperation({
    operationId: 'reviewFlaggedReferral',
    summary: 'Approve or reject a flagged referral',
    description:
      'Approve: the referral resumes its lifecycle (it can qualify at the next nightly run). Reject: terminal, it ' +
      'never earns. The decision, its reason and the admin are written to the audit log.',
  })
  @ApiBody({
    type: ReviewReferralDto,
    examples: {
      approve: { value: { decision: 'approve', reason: 'Confirmed with the customer: different households' } },
      reject: { value: { decision: 'reject', reason: 'Same household as the referrer (shared address)' } },
    },
  })
  @ApiOkResponse({ type: ReviewResultDto })
  @ApiBadRequestResponse({ description: 'Bad id or body', type: ProblemDetailsDto })
  @ApiNotFoundResponse({ description: 'REFERRAL_NOT_FOUND', type: ProblemDetailsDto })
  @ApiConflictResponse({ description: 'REFERRAL_NOT_FLAGGED', type: ProblemDetailsDto })
  async review(
    @Param() params: ReferralIdParams,
    @Body() body: ReviewReferralDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReviewResultDto> {
    return this.commandBus.execute<ReviewFlaggedReferral, ReviewResultDto>(
      new ReviewFlaggedReferral(params.id.toLowerCase(), body.decision, body.reason, principal.sub, this.clock.now()),
    );
  }
}
