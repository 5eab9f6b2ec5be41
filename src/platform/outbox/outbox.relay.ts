import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Db } from '../database/db.js';
import { sql } from '../database/sql.js';
import { signPayload, SIGNATURE_HEADER } from '../http/webhook-signature.js';
import { Metrics } from '../observability/metrics.js';
import { PollingLoop } from './polling-loop.js';
import { retryDelayMs } from './retry-backoff.js';

export interface DrainResult {
  delivered: number;
  failed: number;
}

interface ClaimedEvent {
  id: string;
  type: string;
  occurredAt: Date;
  payload: unknown;
  /** Attempts including the one being made now. */
  attempts: number;
  createdAt: Date;
}

interface BatchResult extends DrainResult {
  claimed: number;
}

const POLL_INTERVAL_MS = 500;
const ERROR_PAUSE_MS = 5_000;
const MAX_ERROR_LENGTH = 500;

/**
 * Delivers outbox rows to OUTBOUND_WEBHOOK_URL, at least once, signed like inbound billing
 * events (`CircleTel-Signature`), with the inbound envelope `{ id, type, occurredAt, data }`.
 *
 * Claiming is one UPDATE over `FOR UPDATE SKIP LOCKED` rows that pushes `next_attempt_at` a
 * lease into the future and counts the attempt, so however many instances poll the same
 * database, one event is never being sent by two of them at the same time (the lease is far
 * longer than the request timeout). A 2xx marks the row delivered; anything else schedules a
 * retry with exponential backoff (1 s, 2 s, 4 s, … capped at 10 min). Due-ness uses the
 * database's clock only, so instances with skewed clocks agree.
 *
 * When OUTBOX_RELAY_ENABLED (the default) it polls every 500 ms, straight away again while
 * batches come back full, and stops cleanly on shutdown (timer cleared, in-flight batch
 * awaited). Tests, the CLI and the demo call `drain()` instead.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  /** Rows claimed per batch. */
  batchSize = 50;
  /** Webhook requests in flight at once. */
  concurrency = 8;
  /** Per request, headers and body included. */
  requestTimeoutMs = 10_000;
  /** How long a claim keeps other relays away; must exceed the request timeout. */
  leaseMs = 60_000;

  private readonly logger = new Logger('OutboxRelay');
  private warnedNoUrl = false;
  private readonly loop = new PollingLoop({
    intervalMs: POLL_INTERVAL_MS,
    errorPauseMs: ERROR_PAUSE_MS,
    logger: this.logger,
    failure: 'outbox relay could not poll the outbox; retrying shortly',
    poll: async () => Boolean(this.webhookUrl()) && (await this.processBatch(null)).claimed === this.batchSize,
  });

  constructor(
    private readonly db: Db,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.outboxRelayEnabled) this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Delivers everything due now (as the database sees it when the drain starts), batch after
   * batch until a claim returns nothing. An event that fails is rescheduled past that moment,
   * so a drain ends even while the receiver is down.
   */
  async drain(): Promise<DrainResult> {
    const total: DrainResult = { delivered: 0, failed: 0 };
    if (!this.webhookUrl()) return total;
    // Timestamps are stored to the millisecond (rounded), so "due now" allows that millisecond.
    const { now } = await this.db.one<{ now: Date }>(sql`SELECT clock_timestamp() + interval '1 millisecond' AS now`);
    while (!this.loop.stopping) {
      const batch = await this.loop.track(this.processBatch(now));
      total.delivered += batch.delivered;
      total.failed += batch.failed;
      if (batch.claimed === 0) break;
    }
    return total;
  }

  private webhookUrl(): string | undefined {
    const url = this.config.outboundWebhookUrl;
    if (!url && !this.warnedNoUrl) {
      this.warnedNoUrl = true;
      this.logger.warn('OUTBOUND_WEBHOOK_URL is not set: outbox events are kept, not delivered, until it is.');
    }
    return url;
  }

  /** One claim and its deliveries. `dueBy` null: due as of the claim's own now(). */
  private async processBatch(dueBy: Date | null): Promise<BatchResult> {
    const url = this.webhookUrl();
    if (!url) return { claimed: 0, delivered: 0, failed: 0 };
    const events = await this.claim(dueBy);
    if (events.length === 0) return { claimed: 0, delivered: 0, failed: 0 };
    events.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    let delivered = 0;
    let failed = 0;
    await forEachConcurrently(events, this.concurrency, async (event) => {
      if (await this.deliver(url, event)) delivered++;
      else failed++;
    });
    if (delivered > 0 || failed > 0) {
      this.logger.log({ delivered, failed }, `outbox batch: ${delivered} delivered, ${failed} failed`);
    }
    return { claimed: events.length, delivered, failed };
  }

  private async claim(dueBy: Date | null): Promise<ClaimedEvent[]> {
    const leaseSeconds = this.leaseMs / 1000;
    return this.db.query<ClaimedEvent>(sql`
      UPDATE outbox_events AS o
         SET attempts = o.attempts + 1,
             next_attempt_at = now() + make_interval(secs => ${leaseSeconds}::double precision)
       WHERE o.id IN (
             SELECT e.id
               FROM outbox_events e
              WHERE e.delivered_at IS NULL
                AND e.next_attempt_at <= COALESCE(${dueBy}::timestamptz, now())
              ORDER BY e.created_at, e.id
              LIMIT ${this.batchSize}::int
                FOR UPDATE SKIP LOCKED)
      RETURNING o.id::text AS id, o.type, o.occurred_at AS "occurredAt", o.payload,
                o.attempts, o.created_at AS "createdAt"`);
  }

  /** One POST. Never throws: the outcome is written to the row (and a failure logged). */
  private async deliver(url: string, event: ClaimedEvent): Promise<boolean> {
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      occurredAt: new Date(event.occurredAt).toISOString(),
      data: event.payload,
    });
    let error: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [SIGNATURE_HEADER]: signPayload(this.config.outboundWebhookSecret, body),
          'User-Agent': 'circletel-referrals-outbox/1',
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      const text = await res.text();
      if (res.status >= 200 && res.status < 300) {
        await this.markDelivered(event);
        return true;
      }
      error = `HTTP ${res.status}${text ? `: ${text.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
    } catch (err) {
      error = describeFetchError(err, this.requestTimeoutMs);
    }
    await this.markFailed(event, error);
    return false;
  }

  private async markDelivered(event: ClaimedEvent): Promise<void> {
    try {
      await this.db.execute(sql`
        UPDATE outbox_events SET delivered_at = now(), last_error = NULL
         WHERE id = ${event.id}::uuid AND delivered_at IS NULL`);
      this.metrics.outboxDeliveries.inc({ outcome: 'delivered' });
    } catch (err) {
      // The receiver has it; the lease runs out and it is sent again (consumers de-duplicate by id).
      this.logger.error({ err, eventId: event.id }, 'outbox event delivered but not marked; it will be sent again');
    }
  }

  private async markFailed(event: ClaimedEvent, error: string): Promise<void> {
    this.metrics.outboxDeliveries.inc({ outcome: 'failed' });
    const delaySeconds = retryDelayMs(event.attempts, Math.random()) / 1000;
    const lastError = error.slice(0, MAX_ERROR_LENGTH);
    try {
      // Only while our claim still holds (same attempt count): never reschedule another relay's claim.
      const rows = await this.db.query<{ nextAttemptAt: Date }>(sql`
        UPDATE outbox_events
           SET next_attempt_at = now() + make_interval(secs => ${delaySeconds}::double precision),
               last_error = ${lastError}
         WHERE id = ${event.id}::uuid AND delivered_at IS NULL AND attempts = ${event.attempts}::int
        RETURNING next_attempt_at AS "nextAttemptAt"`);
      this.logger.warn(
        {
          eventId: event.id,
          type: event.type,
          attempt: event.attempts,
          nextAttemptAt: rows[0]?.nextAttemptAt ?? null,
          error: lastError,
        },
        `outbox delivery of ${event.type} ${event.id} failed (attempt ${event.attempts}): ${lastError}`,
      );
    } catch (err) {
      this.logger.error(
        { err, eventId: event.id },
        'outbox delivery failed and could not be rescheduled; the lease will expire',
      );
    }
  }
}

async function forEachConcurrently<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  // Duck-typed: fetch's errors (TypeError, DOMException) may come from another realm.
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  if (typeof e?.message !== 'string') return String(err);
  const cause = e.cause;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  return detail ? `${e.message}: ${detail}` : e.message;
}
