import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Permissions } from '../../../../platform/auth/decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { ApiIdempotencyKey } from '../../../../platform/http/idempotency.interceptor.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import { RunReconciliation } from '../../application/commands/run-reconciliation/run-reconciliation.command.js';
import { GetReconciliationRun } from '../../application/queries/get-reconciliation-run/get-reconciliation-run.query.js';
import type { ReconciliationRunsPage } from '../../application/queries/list-reconciliation-runs/list-reconciliation-runs.handler.js';
import { ListReconciliationRuns } from '../../application/queries/list-reconciliation-runs/list-reconciliation-runs.query.js';
import type { ReconciliationRunView } from '../../application/reconciliation-run.view.js';
import {
  ListReconciliationRunsQueryDto,
  ReconciliationRunDto,
  ReconciliationRunsPageDto,
  RunIdParamDto,
  StartReconciliationRunDto,
} from './dto/reconciliation-run.dto.js';

@ApiTags('Admin: reconciliation')
@Controller('api/admin/reconciliation/runs')
export class ReconciliationRunsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @Permissions('reconciliation:run')
  @ApiIdempotencyKey()
  @ApiOperation({
    operationId: 'startReconciliationRun',
    summary: 'Run the reconciliation now',
    description:
      'Runs every step for asOf and returns the finished run record (status succeeded, or failed with `error`). ' +
      'Idempotent per asOf: a second run of the same date counts zeros. With `Prefer: respond-async` it answers ' +
      '202 as soon as the run is recorded (status running) with a `Location` to poll: the record shows the step in ' +
      'progress and the counts and credits committed so far.',
  })
  @ApiHeader({
    name: 'Prefer',
    required: false,
    description: '`respond-async`: answer 202 at once and run in the background',
  })
  @ApiCreatedResponse({ type: ReconciliationRunDto, description: 'The finished run' })
  @ApiAcceptedResponse({
    type: ReconciliationRunDto,
    description: 'The run, started (Prefer: respond-async); poll Location',
  })
  @ApiBody({
    type: StartReconciliationRunDto,
    examples: {
      today: { summary: 'Today (SAST)', value: {} },
      date: { summary: 'A given business date', value: { asOf: '2026-02-11' } },
      dryRun: { summary: 'What it would do, changing nothing', value: { asOf: '2026-02-11', dryRun: true } },
    },
  })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'VALIDATION_FAILED (bad asOf, unknown field) or AS_OF_IN_FUTURE',
  })
  @ApiConflictResponse({ type: ProblemDetailsDto, description: 'RUN_IN_PROGRESS: another run holds the lock' })
  async start(
    @Body() body: StartReconciliationRunDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReconciliationRunView> {
    const respondAsync = wantsAsync(prefer);
    const run = await this.commandBus.execute<RunReconciliation, ReconciliationRunView>(
      new RunReconciliation({
        trigger: 'manual',
        asOf: body.asOf,
        dryRun: body.dryRun ?? false,
        actor: principal.sub,
        respondAsync,
      }),
    );
    if (respondAsync) {
      res.status(202).setHeader('Location', `/api/admin/reconciliation/runs/${run.id}`);
      res.setHeader('Preference-Applied', 'respond-async');
    } else {
      res.status(201);
    }
    return run;
  }

  @Get()
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'listReconciliationRuns',
    summary: 'Run records, newest first',
    description:
      'Every reconciliation run (scheduled, manual, CLI; dry runs too) with its status, counts and credit total. ' +
      'Keyset-paginated: pass `nextCursor` back as `cursor`.',
  })
  @ApiOkResponse({ type: ReconciliationRunsPageDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'Bad limit or cursor' })
  list(@Query() query: ListReconciliationRunsQueryDto): Promise<ReconciliationRunsPage> {
    return this.queryBus.execute<ListReconciliationRuns, ReconciliationRunsPage>(
      new ListReconciliationRuns(query.limit ?? 20, query.cursor),
    );
  }

  @Get(':id')
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'getReconciliationRun',
    summary: 'One run record',
    description: 'A run by id: trigger, business date, status (`running`, `succeeded`, `failed` with `error`), counts.',
  })
  @ApiOkResponse({ type: ReconciliationRunDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'id is not a UUID' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'RUN_NOT_FOUND' })
  get(@Param() params: RunIdParamDto): Promise<ReconciliationRunView> {
    return this.queryBus.execute<GetReconciliationRun, ReconciliationRunView>(new GetReconciliationRun(params.id));
  }
}

/** RFC 7240: `Prefer: respond-async` (among other preferences, any case). */
function wantsAsync(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((p) => p.trim().split(';')[0]!.trim().toLowerCase() === 'respond-async');
}
