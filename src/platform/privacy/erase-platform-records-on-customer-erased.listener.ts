import { Inject, Injectable } from '@nestjs/common';
import { CustomerErased } from '#libs/contracts/index.js';
import { Db } from '../database/db.js';
import { allowErasure, jsonParam, redactRows } from '../database/redact-rows.js';
import { raw, sql } from '../database/sql.js';
import { OnIntegrationEvent, type IntegrationEventHandler } from '../messaging/integration-event-bus.js';

/** `$.** ? (@ == $id)`: the customer's id as any value, at any depth, of a JSON column. */
const names = (column: string, customerId: string) =>
  sql`jsonb_path_exists(coalesce(${raw(column)}, 'null'::jsonb), '$.** ? (@ == $id)', jsonb_build_object('id', ${customerId}::text))`;

/**
 * The platform's own records of a customer, cleaned when their personal data is erased (SPEC §16),
 * in the erasure's transaction: outbox payloads (pending and delivered) and delivery errors, the
 * audit log's reasons and before/after values, and the responses stored for Idempotency-Keys —
 * each where the record names the customer (their id anywhere in it, or the audit entry's
 * customer or subject). Ids, types, actors, actions and dates stay.
 */
@Injectable()
@OnIntegrationEvent(CustomerErased.TYPE)
export class ErasePlatformRecordsOnCustomerErasedListener implements IntegrationEventHandler<CustomerErased> {
  constructor(@Inject(Db) private readonly db: Db) {}

  async handle({ customerId, personalData }: CustomerErased): Promise<void> {
    await allowErasure(this.db);
    await redactRows<{ key: string; payload: unknown; lastError: string | null }>(
      this.db,
      personalData,
      sql`
        SELECT id::text AS key, payload, last_error AS "lastError" FROM outbox_events
         WHERE ${names('payload', customerId)}
         FOR UPDATE`,
      (row) => sql`
        UPDATE outbox_events SET payload = ${jsonParam(row.payload)}::jsonb, last_error = ${row.lastError}
         WHERE id = ${row.key}::uuid`,
    );
    await redactRows<{ key: string; reason: string | null; before: unknown; after: unknown }>(
      this.db,
      personalData,
      sql`
        SELECT id::text AS key, reason, before, after FROM audit_log
         WHERE customer_id = ${customerId} OR subject_id = ${customerId}
            OR ${names('before', customerId)} OR ${names('after', customerId)}
         FOR UPDATE`,
      (row) => sql`
        UPDATE audit_log
           SET reason = ${row.reason}, before = ${jsonParam(row.before)}::jsonb, after = ${jsonParam(row.after)}::jsonb
         WHERE id = ${row.key}::uuid`,
    );
    await redactRows<{ key: string; responseBody: unknown }>(
      this.db,
      personalData,
      sql`
        SELECT actor || E'\\n' || key AS key, response_body AS "responseBody" FROM idempotency_keys
         WHERE path LIKE ${`%/${customerId}/%`} OR ${names('response_body', customerId)}
         FOR UPDATE`,
      (row) => sql`
        UPDATE idempotency_keys SET response_body = ${jsonParam(row.responseBody)}::jsonb
         WHERE actor || E'\\n' || key = ${row.key}`,
    );
  }
}
