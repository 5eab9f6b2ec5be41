import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { PurgeInboundEventPayloads } from '#libs/contracts/index.js';
import { CLOCK, type Clock } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Db } from '../database/db.js';
import { sql } from '../database/sql.js';
import { Metrics } from '../observability/metrics.js';

const DAY_MS = 86_400_000;

/** What one retention run removed, per table (inbound events: payloads emptied, ids kept). */
export interface RetentionReport {
  startedAt: string;
  finishedAt: string;
  removed: {
    outbox_events: number;
    billing_inbound_events: number;
    rate_limit_buckets: number;
    idempotency_keys: number;
  };
}

/**
 * The daily retention job (SPEC §16): delivered outbox events after RETENTION_OUTBOX_DAYS, inbound
 * billing event payloads after RETENTION_INBOUND_PAYLOAD_DAYS (BillingIntegration empties them; the
 * ids stay for de-duplication), rate-limit buckets after RETENTION_RATE_LIMIT_DAYS, and
 * Idempotency-Keys RETENTION_IDEMPOTENCY_DAYS after their request completed (or, never completed,
 * after they were claimed). Each statement takes at most RETENTION_BATCH_SIZE rows, oldest first,
 * skipping rows another transaction holds, and commits on its own: a backlog of millions is many
 * short statements, never one long lock. Safe to run on several instances at once.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger('Retention');

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async run(): Promise<RetentionReport> {
    const startedAt = this.clock.now();
    const { outboxDays, inboundPayloadDays, rateLimitDays, idempotencyDays, batchSize } = this.config.retention;
    const before = (days: number) => new Date(startedAt.getTime() - days * DAY_MS);
    try {
      const removed: RetentionReport['removed'] = {
        outbox_events: await this.drain('outbox_events', batchSize, () =>
          this.db.execute(sql`
            DELETE FROM outbox_events WHERE id IN (
              SELECT id FROM outbox_events
               WHERE delivered_at < ${before(outboxDays)}::timestamptz
               ORDER BY delivered_at LIMIT ${batchSize}::int FOR UPDATE SKIP LOCKED)`),
        ),
        billing_inbound_events: await this.drain('billing_inbound_events', batchSize, () =>
          this.commandBus.execute<PurgeInboundEventPayloads, number>(
            new PurgeInboundEventPayloads(before(inboundPayloadDays), batchSize),
          ),
        ),
        rate_limit_buckets: await this.drain('rate_limit_buckets', batchSize, () =>
          this.db.execute(sql`
            DELETE FROM rate_limit_buckets WHERE (bucket, window_start) IN (
              SELECT bucket, window_start FROM rate_limit_buckets
               WHERE window_start < ${before(rateLimitDays)}::timestamptz
               ORDER BY window_start LIMIT ${batchSize}::int FOR UPDATE SKIP LOCKED)`),
        ),
        idempotency_keys: await this.drain('idempotency_keys', batchSize, () =>
          this.db.execute(sql`
            DELETE FROM idempotency_keys WHERE (actor, key) IN (
              SELECT actor, key FROM idempotency_keys
               WHERE coalesce(completed_at, created_at) < ${before(idempotencyDays)}::timestamptz
               LIMIT ${batchSize}::int FOR UPDATE SKIP LOCKED)`),
        ),
      };
      const finishedAt = this.clock.now();
      this.metrics.retentionRuns.inc({ outcome: 'succeeded' });
      return { startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), removed };
    } catch (err) {
      this.metrics.retentionRuns.inc({ outcome: 'failed' });
      throw err;
    }
  }

  /** Runs `batch` until a batch comes back short, then logs one line for the table. */
  private async drain(table: string, batchSize: number, batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await batch();
      total += n;
      if (n > 0) this.metrics.retentionRemoved.inc({ table }, n);
      if (n < batchSize) break;
    }
    this.logger.log(
      { table, removed: total },
      table === 'billing_inbound_events'
        ? `retention: ${total} inbound event payloads removed (ids kept)`
        : `retention: ${total} rows removed from ${table}`,
    );
    return total;
  }
}
