import { Inject, Injectable } from '@nestjs/common';
import { sql } from '../../../platform/database/sql.js';
import { Db } from '../../../platform/database/db.js';
import { jsonParam, redactRows } from '../../../platform/database/redact-rows.js';
import type { PersonalDataInput } from '#libs/ddd/index.js';
import type { BillingCustomer } from '../domain/billing-customer.entity.js';
import type { BillingEvent } from '../domain/billing-event.js';
import { InboundEventRepository } from '../application/ports/inbound-event.repository.js';

/** billing_inbound_events: the ids of the events already processed (de-duplication). */
@Injectable()
export class SqlInboundEventRepository implements InboundEventRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * Records the event id in the current transaction; false when it is already recorded.
   * INSERT … ON CONFLICT DO NOTHING: a concurrent delivery of the same id waits for the first
   * transaction and then finds the conflict (or, if the first rolled back, records it itself).
   */
  async recordIfNew(event: BillingEvent, payload: unknown): Promise<boolean> {
    return (await this.db.execute(recordEvent(event, payload))) === 1;
  }

  /**
   * customer.created, the commonest event, in one round trip: records the event id as
   * `recordIfNew` does and, only if it is new, inserts the customer (with the event's id, where
   * the signup came from) unless the id is known.
   */
  async recordCustomerCreated(
    event: BillingEvent,
    payload: unknown,
    customer: BillingCustomer,
  ): Promise<{ duplicate: boolean; customerInserted: boolean }> {
    const p = customer.props;
    const row = await this.db.one<{ duplicate: boolean; customer_inserted: boolean }>(sql`
      WITH event AS (${recordEvent(event, payload)} RETURNING id), customer AS (
        INSERT INTO billing_customers (id, name, email, email_normalized, phone, phone_normalized, address,
                                       address_normalized, signup_ip, user_agent, created_at, updated_at, signup_event_id)
        SELECT ${p.id}, ${p.name}, ${p.email}, ${p.emailNormalized}, ${p.phone}, ${p.phoneNormalized}, ${p.address},
               ${p.addressNormalized}, ${p.signupIp}, ${p.userAgent}, ${p.createdAt}::timestamptz, ${p.updatedAt}::timestamptz,
               ${event.id}
         WHERE EXISTS (SELECT 1 FROM event)
        ON CONFLICT (id) DO NOTHING
        RETURNING id
      )
      SELECT NOT EXISTS (SELECT 1 FROM event) AS duplicate, EXISTS (SELECT 1 FROM customer) AS customer_inserted`);
    return { duplicate: row.duplicate, customerInserted: row.customer_inserted };
  }

  /**
   * The payloads that name the customer (their id as any value, at any depth) are cleaned of the
   * personal data; the ids, types and dates stay (de-duplication). A full scan: erasure is rare,
   * and retention keeps payloads for RETENTION_INBOUND_PAYLOAD_DAYS only.
   */
  async erasePersonalData(customerId: string, personalData: readonly string[]): Promise<number> {
    return redactRows<{ key: string; payload: unknown }>(
      this.db,
      personalData,
      sql`
        SELECT id AS key, payload FROM billing_inbound_events
         WHERE payload IS NOT NULL
           AND jsonb_path_exists(payload, '$.** ? (@ == $id)', jsonb_build_object('id', ${customerId}::text))
         FOR UPDATE`,
      (row) => sql`UPDATE billing_inbound_events SET payload = ${jsonParam(row.payload)}::jsonb WHERE id = ${row.key}`,
    );
  }

  async personalDataOf(customerId: string): Promise<PersonalDataInput[]> {
    const rows = await this.db.query<{ data: Record<string, unknown> | null }>(sql`
      SELECT payload->'data' AS data FROM billing_inbound_events
       WHERE type IN ('customer.created', 'customer.updated') AND payload->'data'->>'customerId' = ${customerId}`);
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    return rows
      .filter((r) => r.data !== null && typeof r.data === 'object')
      .map(({ data }) => ({
        name: text(data!.name),
        email: text(data!.email),
        phone: text(data!.phone),
        address: text(data!.installationAddress),
        signupIp: text(data!.signupIp),
        userAgent: text(data!.userAgent),
      }));
  }

  async forgetPayload(eventId: string): Promise<void> {
    await this.db.execute(sql`UPDATE billing_inbound_events SET payload = NULL WHERE id = ${eventId}`);
  }

  async purgePayloads(receivedBefore: Date, batchSize: number): Promise<number> {
    return this.db.execute(sql`
      UPDATE billing_inbound_events SET payload = NULL
       WHERE id IN (SELECT id FROM billing_inbound_events
                     WHERE received_at < ${receivedBefore}::timestamptz AND payload IS NOT NULL
                     ORDER BY received_at LIMIT ${batchSize}::int
                     FOR UPDATE SKIP LOCKED)`);
  }
}

/** The de-duplicating insert of an event id (no row when the id is already recorded). */
function recordEvent(event: BillingEvent, payload: unknown) {
  return sql`
    INSERT INTO billing_inbound_events (id, type, occurred_at, payload)
    VALUES (${event.id}, ${event.type}, ${event.occurredAt}, ${JSON.stringify(payload)}::jsonb)
    ON CONFLICT (id) DO NOTHING`;
}
