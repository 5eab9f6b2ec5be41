import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RunReconciliationHandler } from './application/commands/run-reconciliation/run-reconciliation.handler.js';
import { GetReconciliationRunHandler } from './application/queries/get-reconciliation-run/get-reconciliation-run.handler.js';
import { ListReconciliationRunsHandler } from './application/queries/list-reconciliation-runs/list-reconciliation-runs.handler.js';
import { NightlyReconciliationSchedule } from './application/schedule/nightly-reconciliation.schedule.js';
import { PrismaReconciliationRunRepository } from './infrastructure/prisma-reconciliation-run.repository.js';
import { ReconciliationGauges } from './infrastructure/reconciliation-gauges.js';
import { ReconciliationLock } from './infrastructure/reconciliation-lock.js';
import { ReconciliationRunsController } from './interface/http/reconciliation-runs.controller.js';

/**
 * Reconciliation bounded context: the nightly process. Owns the run records and the one-at-a-
 * time lock; sends the other contexts' nightly step commands (libs/contracts) in SPEC §8 order.
 * Triggers: the schedule, the CLI (src/cli/reconcile.ts) and POST /api/admin/reconciliation/runs.
 */
@Module({
  imports: [CqrsModule],
  controllers: [ReconciliationRunsController],
  providers: [
    RunReconciliationHandler,
    ListReconciliationRunsHandler,
    GetReconciliationRunHandler,
    NightlyReconciliationSchedule,
    PrismaReconciliationRunRepository,
    ReconciliationLock,
    ReconciliationGauges,
  ],
})
export class ReconciliationModule {}
