import { Inject, Injectable } from '@nestjs/common';
import { sql } from '../../../platform/database/sql.js';
import { TransactionHost, type Db } from '../../../platform/database/transaction.js';
import type { BillingEvent } from '../domain/billing-event.js';

/** billing_inbound_events: the ids of the events already processed (de-duplication). */
@Injectable()
export class PrismaInboundEventRepository {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  /**
   * Records the event id in the current transaction; false when it is already recorded.
   * INSERT … ON CONFLICT DO NOTHING: a concurrent delivery of the same id waits for the first
   * transaction and then finds the conflict (or, if the first rolled back, records it itself).
   */
  async recordIfNew(event: BillingEvent, payload: unknown): Promise<boolean> {
    const count = await this.db.exec(sql`
      INSERT INTO billing_inbound_events (id, type, occurred_at, payload)
      VALUES (${event.id}, ${event.type}, ${event.occurredAt}, ${JSON.stringify(payload)}::jsonb)
      ON CONFLICT (id) DO NOTHING`);
    return count === 1;
  }
}
