import { Inject, Injectable } from '@nestjs/common';
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
    const { count } = await this.db.tx.inboundEvent.createMany({
      data: [{ id: event.id, type: event.type, occurredAt: event.occurredAt, payload: payload as object }],
      skipDuplicates: true,
    });
    return count === 1;
  }
}
