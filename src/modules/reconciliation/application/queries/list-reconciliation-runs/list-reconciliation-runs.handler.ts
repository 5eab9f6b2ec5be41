import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReconciliationRunReadModel } from '../../ports/reconciliation-run.read-model.js';
import { toRunView, type ReconciliationRunView } from '../../reconciliation-run.view.js';
import { ListReconciliationRuns } from './list-reconciliation-runs.query.js';
import { decodeRunCursor, encodeRunCursor } from './run-cursor.js';

export interface ReconciliationRunsPage {
  items: ReconciliationRunView[];
  nextCursor: string | null;
}

@QueryHandler(ListReconciliationRuns)
export class ListReconciliationRunsHandler implements IQueryHandler<ListReconciliationRuns, ReconciliationRunsPage> {
  constructor(@Inject(ReconciliationRunReadModel) private readonly runs: ReconciliationRunReadModel) {}

  async execute(query: ListReconciliationRuns): Promise<ReconciliationRunsPage> {
    const after = query.cursor !== undefined ? decodeRunCursor(query.cursor) : undefined;
    const rows = await this.runs.list(query.limit + 1, after);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toRunView),
      nextCursor:
        rows.length > query.limit && last
          ? encodeRunCursor({ startedAt: last.snapshot().startedAt, id: last.id })
          : null,
    };
  }
}
