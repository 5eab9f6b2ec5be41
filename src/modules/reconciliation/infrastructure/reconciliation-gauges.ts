import { Inject, Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import { PG_POOL } from '../../../platform/database/pg-pool.js';
import { Metrics } from '../../../platform/observability/metrics.js';

/**
 * Reconciliation gauges, read from `reconciliation_runs` when Prometheus scrapes: when the last
 * real (not dry) run succeeded — the "no successful run for 26 h" alert — and whether a run is
 * in progress (a record in `running`; one left there by a process that died stays until the
 * next run marks it failed, which is worth seeing too). Any instance answers for all of them.
 */
@Injectable()
export class ReconciliationGauges {
  private readonly logger = new Logger('Metrics');

  constructor(@Inject(Metrics) metrics: Metrics, @Inject(PG_POOL) pool: pg.Pool) {
    metrics.scrapeGauges(
      {
        reconciliation_last_success_timestamp_seconds:
          'When the last successful, non-dry reconciliation run finished (Unix time; 0 before the first)',
        reconciliation_run_in_progress: 'Reconciliation runs in progress (records in status running)',
      },
      async () => {
        const { rows } = await pool.query<{ last: number; running: number }>({
          text: `SELECT (SELECT COALESCE(extract(epoch FROM max(finished_at)), 0)::float8 FROM reconciliation_runs
                          WHERE status = 'succeeded' AND NOT dry_run) AS last,
                        (SELECT count(*)::float8 FROM reconciliation_runs WHERE status = 'running') AS running`,
          query_timeout: 2_000,
        } as pg.QueryConfig & { query_timeout: number });
        return {
          reconciliation_last_success_timestamp_seconds: rows[0]!.last,
          reconciliation_run_in_progress: rows[0]!.running,
        };
      },
      (err) =>
        this.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'metrics: reconciliation gauges unavailable',
        ),
    );
  }
}
