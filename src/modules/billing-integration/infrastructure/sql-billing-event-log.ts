import { Inject, Injectable } from '@nestjs/common';
import type { BillingEventRecord } from '#libs/contracts/index.js';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { BillingEventLog } from '../application/ports/billing-event-log.js';

/** billing_inbound_events by id (primary key); the payload is not read. */
@Injectable()
export class SqlBillingEventLog implements BillingEventLog {
  constructor(@Inject(Db) private readonly db: Db) {}

  async find(ids: readonly string[]): Promise<BillingEventRecord[]> {
    if (ids.length === 0) return [];
    return this.db.query<BillingEventRecord>(sql`
      SELECT id, type, occurred_at AS "occurredAt" FROM billing_inbound_events WHERE id = ANY(${[...ids]}::text[])`);
  }
}
