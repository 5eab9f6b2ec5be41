import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
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
import { CurrentPrincipal, Permissions } from '../../../../platform/auth/decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import { GrantReward, type GrantRewardResult } from '../../application/commands/grant-reward/grant-reward.command.js';
import {
  RevokeReward,
  type RevokeRewardResult,
} from '../../application/commands/revoke-reward/revoke-reward.command.js';
import {
  GrantRewardDto,
  GrantRewardResponseDto,
  RevokeRewardDto,
  RevokeRewardResponseDto,
  RewardCustomerParams,
} from './dto/rewards.dto.js';

/** Admins grant and revoke free months by hand (audited; Idempotency-Key honoured globally). */
@ApiTags('Admin: customers')
@Controller('api/admin/customers')
export class AdminRewardsController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':id/referrals/grant')
  @Permissions('referrals:manage')
  @ApiOperation({
    operationId: 'grantReward',
    summary: 'Grant a free month by hand',
    description:
      'A reward earned now (expires in 12 months), applied by the nightly run to the next billing cycle like an ' +
      'earned one. The reason and the admin are written to the audit log.',
  })
  @ApiBody({ type: GrantRewardDto, examples: { goodwill: { value: { reason: 'Goodwill: two-day outage in March' } } } })
  @ApiCreatedResponse({ type: GrantRewardResponseDto })
  @ApiBadRequestResponse({
    description: 'Bad id or body (reason 3–500 characters, no unknown fields)',
    type: ProblemDetailsDto,
  })
  @ApiNotFoundResponse({ description: 'CUSTOMER_NOT_FOUND', type: ProblemDetailsDto })
  async grant(
    @Param() params: RewardCustomerParams,
    @Body() body: GrantRewardDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<GrantRewardResponseDto> {
    return this.commandBus.execute<GrantReward, GrantRewardResult>(
      new GrantReward(params.id, body.reason.trim(), principal.sub),
    );
  }

  @Post(':id/referrals/revoke')
  @HttpCode(200)
  @Permissions('referrals:manage')
  @ApiOperation({
    operationId: 'revokeReward',
    summary: "Revoke one of the customer's pending rewards",
    description:
      'Only a pending reward (not yet applied, expired or revoked) can be revoked; it will never become a credit ' +
      'note. The reason and the admin are written to the audit log.',
  })
  @ApiBody({
    type: RevokeRewardDto,
    examples: {
      household: {
        value: { rewardId: '3a3796be-ed9a-4cc8-97af-efd5e787eaea', reason: 'Referral found to be the same household' },
      },
    },
  })
  @ApiOkResponse({ type: RevokeRewardResponseDto })
  @ApiBadRequestResponse({
    description: 'Bad id or body (rewardId a UUID, reason 3–500 characters, no unknown fields)',
    type: ProblemDetailsDto,
  })
  @ApiNotFoundResponse({ description: 'REWARD_NOT_FOUND: no such reward of this customer', type: ProblemDetailsDto })
  @ApiConflictResponse({
    description: 'REWARD_NOT_REVOCABLE: applied, expired or already revoked',
    type: ProblemDetailsDto,
  })
  async revoke(
    @Param() params: RewardCustomerParams,
    @Body() body: RevokeRewardDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RevokeRewardResponseDto> {
    return this.commandBus.execute<RevokeReward, RevokeRewardResult>(
      new RevokeReward(params.id, body.rewardId.toLowerCase(), body.reason.trim(), principal.sub),
    );
  }
}
