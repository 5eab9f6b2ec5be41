import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { CatalogueEvent, OutboundEvent } from '#libs/ddd/index.js';
import { Db } from '../database/db.js';
import { sql, type SqlStatement } from '../database/sql.js';
import { isOutboxConsumer, type OutboxConsumer, type StoredOutboxEvent } from './outbox-consumer.js';

const MAX_PENDING = 1_000;

/**
 * Appends catalogue events (libs/ddd/events.ts — nothing else is accepted) to the outbox table
 * through the current transaction, so an event is stored if and only if the change that produced
 * it commits. The relay delivers them; in-process consumers (@ConsumesOutbox(), e.g. the
 * notifications) are handed each stored batch in the same transaction.
 */
@Injectable()
export class OutboxWriter {
  private consumerList: OutboxConsumer[] | undefined;

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
  ) {}

  /** The providers marked @ConsumesOutbox(), found once. */
  private consumers(): OutboxConsumer[] {
    this.consumerList ??= this.discovery
      .getProviders()
      .filter((w) => w.instance && isOutboxConsumer(w.metatype))
      .map((w) => w.instance as OutboxConsumer);
    return this.consumerList;
  }

  /**
   * Each event gets its id now, and the consumers (the notifications) act on it now, in the
   * caller's transaction. Inside a transaction the events themselves are kept until it ends, then
   * written with every other event of that transaction in one statement, sent together with
   * COMMIT (one round trip for both; if the INSERT fails, nothing commits — the consumers' rows
   * neither). Outside a transaction they are written at once, with the consumers' rows, in a
   * transaction of their own.
   */
  async append(events: readonly OutboundEvent[]): Promise<void> {
    if (events.length === 0) return;
    const stored = events.map((event) => ({ id: event.id ?? randomUUID(), event: event as CatalogueEvent }));
    const pending = this.db.sendWithCommit(
      this,
      () => [] as StoredOutboxEvent[],
      (all) => insertOf(all),
    );
    if (!pending) {
      if (this.consumers().length === 0) return void (await this.db.execute(insertOf(stored)!));
      await this.db.transaction(async () => {
        await this.db.execute(insertOf(stored)!);
        await this.notifyConsumers(stored);
      });
      return;
    }
    await this.notifyConsumers(stored);
    pending.push(...stored);
    // A long transaction (a dry run spans every nightly batch) must not hold all its events in
    // memory: past a batch's worth they are written now, the rest with COMMIT.
    if (pending.length >= MAX_PENDING) await this.db.execute(insertOf(pending.splice(0))!);
  }

  private async notifyConsumers(stored: readonly StoredOutboxEvent[]): Promise<void> {
    for (const consumer of this.consumers()) await consumer.onEventsStored(stored);
  }
}

/**
 * One statement of constant shape whatever the batch size (a nightly batch appends thousands):
 * arrays unnested server-side, instead of a VALUES list per row count. Null for no events.
 */
function insertOf(events: readonly StoredOutboxEvent[]): SqlStatement | null {
  if (events.length === 0) return null;
  const ids = events.map((e) => e.id);
  const types = events.map((e) => e.event.type);
  const occurredAt = events.map((e) => e.event.occurredAt.toISOString());
  const payloads = events.map((e) => JSON.stringify(e.event.data));
  return sql`
    INSERT INTO outbox_events (id, type, occurred_at, payload)
    SELECT * FROM unnest(${ids}::uuid[], ${types}::text[], ${occurredAt}::timestamptz[], ${payloads}::jsonb[])`;
}
