import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { RunNotFound } from '../../../domain/reconciliation.errors.js';
import { ReconciliationRunRepository } from '../../ports/reconciliation-run.repository.js';
import { toRunView, type ReconciliationRunView } from '../../reconciliation-run.view.js';
import { GetReconciliationRun } from './get-reconciliation-run.query.js';

@QueryHandler(GetReconciliationRun)
export class GetReconciliationRunHandler implements IQueryHandler<GetReconciliationRun, ReconciliationRunView> {
  constructor(@Inject(ReconciliationRunRepository) private readonly runs: ReconciliationRunRepository) {}

  async execute(query: GetReconciliationRun): Promise<ReconciliationRunView> {
    const run = await this.runs.findById(query.id);
    if (!run) throw new RunNotFound(query.id);
    return toRunView(run);
  }
}
