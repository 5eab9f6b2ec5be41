import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../../platform/auth/decorators.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import { RateLimit } from '../../../../platform/http/rate-limit.js';
import { CheckReferralCode } from '../../application/queries/check-referral-code/check-referral-code.query.js';
import { ReferralCodeCheckDto } from './dto/referral.dto.js';

@ApiTags('Public')
@Controller('api/referral-codes')
export class ReferralCodesController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':code')
  @Public()
  @RateLimit({ bucket: 'referral-code-lookup', limit: (config) => config.codeLookupRateLimit, windowSeconds: 60 })
  @ApiOperation({
    operationId: 'checkReferralCode',
    summary: 'Check a referral code',
    description:
      'Whether a code exists, and its owner\'s first name for the signup page ("Thandi invited you"). Unknown and ' +
      'malformed codes are both 404. Limited to CODE_LOOKUP_RATE_LIMIT requests a minute per client IP (429).',
  })
  @ApiParam({
    name: 'code',
    example: 'CT-REF-7K3M9QXZ',
    description: 'Case-insensitive; surrounding spaces are ignored',
  })
  @ApiOkResponse({ type: ReferralCodeCheckDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'REFERRAL_CODE_NOT_FOUND (also for a malformed code)' })
  check(@Param('code') code: string): Promise<ReferralCodeCheckDto> {
    return this.queryBus.execute(new CheckReferralCode(code));
  }
}
