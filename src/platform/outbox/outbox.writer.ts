import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '#libs/ddd/index.js';
import type { Db } from '../database/transaction.js';
import { sql } from '../database/sql.js';
import { TransactionHost } from '../database/transaction.js';

const MAX_PENDING = 1_000;

/**
 * Appends domain events to the outbox table through the current transaction, so an event is
 * stored if and only if the change that produced it commits. The relay delivers them.
 */
@Injectable()
export class OutboxWriter {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  /**
   * Inside a transaction the events are kept until just before it commits, then written with
   * every other event of that transaction in one statement (one round trip per transaction, not
   * one per context that produced events). Outside a transaction they are written at once.
   */
  async append(events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pending = this.db.deferUntilCommit(
      this,
      () => [] as DomainEvent[],
      (all) => this.write(all),
    );
    if (!pending) return this.write(events);
    pending.push(...events);
    // A long transaction (a dry run spans every nightly batch) must not hold all its events in
    // memory: past a batch's worth they are written now, the rest still before COMMIT.
    if (pending.length >= MAX_PENDING) await this.write(pending.splice(0));
  }

  private async write(events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One statement of constant shape whatever the batch size (a nightly batch appends
    // thousands): arrays unnested server-side, instead of a VALUES list per row count.
    const ids = events.map((e) => e.id ?? randomUUID());
    const types = events.map((e) => e.type);
    const occurredAt = events.map((e) => e.occurredAt.toISOString());
    const payloads = events.map((e) => JSON.stringify(toJson(e.data)));
    await this.db.exec(sql`
      INSERT INTO outbox_events (id, type, occurred_at, payload)
      SELECT * FROM unnest(${ids}::uuid[], ${types}::text[], ${occurredAt}::timestamptz[], ${payloads}::jsonb[])`);
  }
}

/** JSON-safe copy: bigint → string, Date → ISO string. */
export function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}
