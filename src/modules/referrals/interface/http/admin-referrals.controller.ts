import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CLOCK, type Clock } from '#libs/ddd/index.js';
import { CurrentPrincipal, Permissions } from '../../../../platform/auth/decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { ApiIdempotencyKey } from '../../../../platform/http/idempotency.interceptor.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import { LinkReferral, type LinkedReferral } from '../../application/commands/link-referral/link-referral.command.js';
import {
  ExplainReferral,
  type ReferralExplanation,
} from '../../application/queries/explain-referral/explain-referral.query.js';
import {
  ExplainReferralParams,
  LinkedReferralDto,
  LinkReferralDto,
  ReferralExplanationDto,
} from './dto/admin-referral.dto.js';

/** Support's referral tools (SPEC §12, §14): why a referral is where it is, and linking one after the fact. */
@ApiTags('Admin: customers')
@Controller('api/admin/referrals')
export class AdminReferralsController {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id/explain')
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'explainReferral',
    summary: 'Why a referral is where it is: its full decision trail',
    description:
      'Requires `referrals:view`. SPEC §12: the referral (with its next step); the billing facts it was judged by ' +
      '(signup, first service activated, its first suspension or cancellation — each with the billing event id and ' +
      'occurredAt, and the dates the rules compared it with); every fraud rule evaluated at attribution, in rule ' +
      'order, with outcome (pass / flag / reject), detail and evidence; the review; every state change with when ' +
      "and who made it (billing event, reconciliation run, admin); the reward it fed and that reward's credit note. " +
      'Replayed from stored rows only: the same answer tomorrow as today.',
  })
  @ApiOkResponse({ type: ReferralExplanationDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: id is not a UUID', type: ProblemDetailsDto })
  @ApiNotFoundResponse({ description: 'REFERRAL_NOT_FOUND', type: ProblemDetailsDto })
  async explain(@Param() params: ExplainReferralParams): Promise<ReferralExplanationDto> {
    return this.queryBus.execute<ExplainReferral, ReferralExplanation>(new ExplainReferral(params.id.toLowerCase()));
  }

  @Post()
  @Permissions('referrals:manage')
  @ApiIdempotencyKey()
  @ApiOperation({
    operationId: 'linkReferral',
    summary: 'Link a referral after the fact (the friend forgot the code)',
    description:
      'Requires `referrals:manage`. SPEC §14: allowed while the referred customer signed up at most 30 days ago ' +
      '(today, SAST, on or before the signup date + 30: the last day the referral could still activate) and is not ' +
      'referred yet. The referral is attributed like any other — referredAt = their signup, source `admin_override`, ' +
      "screened by every fraud rule (so it may come out flagged or rejected) — the referrer's referral code is " +
      'created if they had none, and the audit log records it under the referrer. Idempotent with `Idempotency-Key`.',
  })
  @ApiBody({
    type: LinkReferralDto,
    examples: {
      link: { value: { referrerId: 'cus_1001', referredId: 'cus_2002', reason: 'Friend forgot the code at signup' } },
    },
  })
  @ApiCreatedResponse({ type: LinkedReferralDto })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED: bad ids, reason not 3–500 characters, unknown fields, or a customer linked as their own referral',
    type: ProblemDetailsDto,
  })
  @ApiNotFoundResponse({
    description: 'CUSTOMER_NOT_FOUND: the referrer or the referred customer',
    type: ProblemDetailsDto,
  })
  @ApiConflictResponse({
    description:
      'LINK_WINDOW_CLOSED: the signup is more than 30 days old; ALREADY_REFERRED: the customer is referred already; ' +
      'IDEMPOTENCY_KEY_IN_PROGRESS',
    type: ProblemDetailsDto,
  })
  async link(@Body() body: LinkReferralDto, @CurrentPrincipal() principal: Principal): Promise<LinkedReferralDto> {
    return this.commandBus.execute<LinkReferral, LinkedReferral>(
      new LinkReferral(body.referrerId, body.referredId, body.reason.trim(), principal.sub, this.clock.now()),
    );
  }
}
