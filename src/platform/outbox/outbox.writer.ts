import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { OutboundEvent } from '#libs/ddd/index.js';
import { Db } from '../database/db.js';
import { sql, type SqlStatement } from '../database/sql.js';

const MAX_PENDING = 1_000;

/**
 * Appends catalogue events (libs/ddd/events.ts — nothing else is accepted) to the outbox table
 * through the current transaction, so an event is stored if and only if the change that produced
 * it commits. The relay delivers them.
 */
@Injectable()
export class OutboxWriter {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * Inside a transaction the events are kept until it ends, then written with every other event
   * of that transaction in one statement, sent together with COMMIT (one round trip for both; if
   * the INSERT fails, nothing commits). Outside a transaction they are written at once.
   */
  async append(events: readonly OutboundEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pending = this.db.sendWithCommit(
      this,
      () => [] as OutboundEvent[],
      (all) => insertOf(all),
    );
    if (!pending) return this.write(events);
    pending.push(...events);
    // A long transaction (a dry run spans every nightly batch) must not hold all its events in
    // memory: past a batch's worth they are written now, the rest with COMMIT.
    if (pending.length >= MAX_PENDING) await this.write(pending.splice(0));
  }

  private async write(events: readonly OutboundEvent[]): Promise<void> {
    const insert = insertOf(events);
    if (insert) await this.db.execute(insert);
  }
}

/**
 * One statement of constant shape whatever the batch size (a nightly batch appends thousands):
 * arrays unnested server-side, instead of a VALUES list per row count. Null for no events.
 */
function insertOf(events: readonly OutboundEvent[]): SqlStatement | null {
  if (events.length === 0) return null;
  const ids = events.map((e) => e.id ?? randomUUID());
  const types = events.map((e) => e.type);
  const occurredAt = events.map((e) => e.occurredAt.toISOString());
  const payloads = events.map((e) => JSON.stringify(e.data));
  return sql`
    INSERT INTO outbox_events (id, type, occurred_at, payload)
    SELECT * FROM unnest(${ids}::uuid[], ${types}::text[], ${occurredAt}::timestamptz[], ${payloads}::jsonb[])`;
}
