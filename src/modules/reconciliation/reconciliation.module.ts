import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RunReconciliationHandler } from './application/commands/run-reconciliation/run-reconciliation.handler.js';
import { GetReconciliationRunHandler } from './application/queries/get-reconciliation-run/get-reconciliation-run.handler.js';
import { ListReconciliationRunsHandler } from './application/queries/list-reconciliation-runs/list-reconciliation-runs.handler.js';
import { NightlyReconciliationSchedule } from './application/schedule/nightly-reconciliation.schedule.js';
import { ReconciliationRunReadModel } from './application/ports/reconciliation-run.read-model.js';
import { PrismaReconciliationRunReadModel } from './infrastructure/reconciliation-run.read-model.js';
import { ReconciliationRunRepository } from './application/ports/reconciliation-run.repository.js';
import { SqlReconciliationRunRepository } from './infrastructure/reconciliation-run.repository.js';
import { ReconciliationLock } from './application/ports/reconciliation-lock.js';
import { PgReconciliationLock } from './infrastructure/reconciliation-lock.js';
import { ReconciliationGauges } from './infrastructure/reconciliation-gauges.js';
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
    { provide: ReconciliationRunRepository, useClass: SqlReconciliationRunRepository },
    { provide: ReconciliationRunReadModel, useClass: PrismaReconciliationRunReadModel },
    { provide: ReconciliationLock, useClass: PgReconciliationLock },
    ReconciliationGauges,
  ],
})
export class ReconciliationModule {}
