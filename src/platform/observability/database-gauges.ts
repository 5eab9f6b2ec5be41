import { Inject, Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import { PG_POOL } from '../database/pg-pool.js';
import { Metrics } from './metrics.js';

/**
 * Gauges read from the database when Prometheus scrapes /metrics (one query per scrape, bounded
 * by a 2 s statement timeout): whether the database answers, how many outbox events wait for
 * delivery and how old the oldest of them is. A query that fails reports `database_up 0` and
 * NaN for the outbox gauges (unknown, not zero).
 *
 * Cost: `outbox_events` has no index on undelivered rows, so the count scans the table; fine at
 * today's volumes (delivered rows are few thousand a night), worth a partial index
 * `(created_at) WHERE delivered_at IS NULL` once delivered events are kept by the million.
 */
@Injectable()
export class DatabaseGauges {
  private readonly logger = new Logger('Metrics');

  constructor(@Inject(Metrics) metrics: Metrics, @Inject(PG_POOL) pool: pg.Pool) {
    metrics.scrapeGauges(
      {
        database_up: 'Whether the database answered the last scrape (1) or not (0)',
        outbox_backlog_events: 'Outbox events not delivered yet (waiting or being retried)',
        outbox_oldest_undelivered_age_seconds: 'Age of the oldest outbox event not delivered yet (0 when none waits)',
      },
      async () => {
        try {
          const { rows } = await pool.query<{ backlog: number; oldest: number }>({
            text: `SELECT count(*)::float8 AS backlog,
                          COALESCE(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest
                     FROM outbox_events WHERE delivered_at IS NULL`,
            query_timeout: 2_000,
          } as pg.QueryConfig & { query_timeout: number });
          const row = rows[0]!;
          return {
            database_up: 1,
            outbox_backlog_events: row.backlog,
            outbox_oldest_undelivered_age_seconds: row.oldest,
          };
        } catch (err) {
          this.logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'metrics: database did not answer',
          );
          return { database_up: 0, outbox_backlog_events: null, outbox_oldest_undelivered_age_seconds: null };
        }
      },
      (err) => this.logger.error({ err }, 'metrics: database gauges failed'),
    );
  }
}
