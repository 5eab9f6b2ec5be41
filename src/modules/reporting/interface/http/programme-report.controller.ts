import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../../../../platform/auth/decorators.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import {
  GetProgrammeReport,
  type ProgrammeReport,
} from '../../application/queries/get-programme-report/get-programme-report.query.js';
import { ProgrammeReportDto, ProgrammeReportQueryDto } from './programme-report.dto.js';

/** Finance's view of the referral programme (SPEC §14). */
@ApiTags('Admin: finance')
@Controller('api/admin/reports')
export class ProgrammeReportController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get('programme')
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'getProgrammeReport',
    summary: 'The referral programme per SAST month: activity, credits and the liability of pending rewards',
    description:
      'Requires `referrals:view`. For every SAST calendar month that [from, to] touches (at most 36), counting the ' +
      'days of the month within [from, to]: codesCreated (codes first asked for), referralsAttributed (signup — ' +
      'referredAt — in the month), flagged (of those, flagged by the fraud screening), rejected (rejectedAt in the ' +
      'month: a fraud rule at signup or an admin on review), activated (activation in the month), qualified ' +
      '(qualifiedAt in the month), rewardsEarned / rewardsGranted (earned by referrals / granted by hand, earnedAt in ' +
      'the month), rewardsRevoked, rewardsExpired, rewardsApplied (their credit note issued in the month), credits ' +
      '(credit notes issued in the month: incl. VAT, VAT, excl. VAT, summed in the database), and ' +
      'liabilityAtMonthEnd: the rewards pending at the end of the month (or of `to`, or today, whichever is first) ' +
      "with their expected credit from the nightly run's own planner as of that day. `totals` add up the months.",
  })
  @ApiOkResponse({ type: ProgrammeReportDto })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED: from / to missing or not a date YYYY-MM-DD in 2000–2100, to before from, more than 36 months',
    type: ProblemDetailsDto,
  })
  async report(@Query() query: ProgrammeReportQueryDto): Promise<ProgrammeReportDto> {
    return this.queryBus.execute<GetProgrammeReport, ProgrammeReport>(new GetProgrammeReport(query.from, query.to));
  }
}
