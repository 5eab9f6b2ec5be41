import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { CatalogueEvent, OutboundEvent } from '#libs/ddd/index.js';
import { Db } from '../database/db.js';
import { sql } from '../database/sql.js';
import { isOutboxConsumer, type OutboxConsumer } from './outbox-consumer.js';

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
   * Inside a transaction the events are kept until just before it commits, then written with
   * every other event of that transaction in one statement (one round trip per transaction, not
   * one per context that produced events). Outside a transaction they are written at once.
   */
  async append(events: readonly OutboundEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pending = this.db.beforeCommit(
      this,
      () => [] as OutboundEvent[],
      (all) => this.write(all),
    );
    if (!pending) return this.write(events);
    pending.push(...events);
    // A long transaction (a dry run spans every nightly batch) must not hold all its events in
    // memory: past a batch's worth they are written now, the rest still before COMMIT.
    if (pending.length >= MAX_PENDING) await this.write(pending.splice(0));
  }

  private async write(events: readonly OutboundEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One statement of constant shape whatever the batch size (a nightly batch appends
    // thousands): arrays unnested server-side, instead of a VALUES list per row count.
    const ids = events.map((e) => e.id ?? randomUUID());
    const types = events.map((e) => e.type);
    const occurredAt = events.map((e) => e.occurredAt.toISOString());
    const payloads = events.map((e) => JSON.stringify(e.data));
    const consumers = this.consumers();
    const store = async () => {
      await this.db.execute(sql`
        INSERT INTO outbox_events (id, type, occurred_at, payload)
        SELECT * FROM unnest(${ids}::uuid[], ${types}::text[], ${occurredAt}::timestamptz[], ${payloads}::jsonb[])`);
      const stored = events.map((event, i) => ({ id: ids[i]!, event: event as CatalogueEvent }));
      for (const consumer of consumers) await consumer.onEventsStored(stored);
    };
    // The events and what consumers make of them commit together (a transaction of their own
    // when the caller has none).
    if (consumers.length === 0 || this.db.inTransaction) await store();
    else await this.db.transaction(store);
  }
}
