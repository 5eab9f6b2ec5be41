import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '#libs/ddd/index.js';
import type { Db } from '../database/transaction.js';
import { TransactionHost } from '../database/transaction.js';

/**
 * Appends domain events to the outbox table through the current transaction, so an event is
 * stored if and only if the change that produced it commits. The relay delivers them.
 */
@Injectable()
export class OutboxWriter {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async append(events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.tx.outboxEvent.createMany({
      data: events.map((e) => ({
        id: e.id ?? randomUUID(),
        type: e.type,
        occurredAt: e.occurredAt,
        payload: toJson(e.data) as object,
      })),
    });
  }
}

/** JSON-safe copy: bigint → string, Date → ISO string. */
export function toJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  );
}
