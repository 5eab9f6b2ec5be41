/** Port: what the application needs of InboundEventRepository (implemented in infrastructure/inbound-event.repository.ts, bound in the module). */
import type { PersonalDataInput } from '#libs/ddd/index.js';
import type { BillingCustomer } from '../../domain/billing-customer.entity.js';
import type { BillingEvent } from '../../domain/billing-event.js';

/** billing_inbound_events: the ids of the events already processed (de-duplication). */
export abstract class InboundEventRepository {
  /**
   * Records the event id in the current transaction; false when it is already recorded.
   * INSERT … ON CONFLICT DO NOTHING: a concurrent delivery of the same id waits for the first
   * transaction and then finds the conflict (or, if the first rolled back, records it itself).
   */
  abstract recordIfNew(event: BillingEvent, payload: unknown): Promise<boolean>;
  /**
   * customer.created, the commonest event, in one round trip: records the event id as
   * `recordIfNew` does and, only if it is new, inserts the customer unless the id is known.
   */
  abstract recordCustomerCreated(
    event: BillingEvent,
    payload: unknown,
    customer: BillingCustomer,
  ): Promise<{
    duplicate: boolean;
    customerInserted: boolean;
  }>;
  /**
   * Erasure (SPEC §16): the payloads of the events that name the customer (their id anywhere in
   * the payload) or hold one of the values, with every string holding one of `personalData`
   * redacted. The ids, types and dates stay (de-duplication). Returns how many payloads changed.
   */
  abstract erasePersonalData(customerId: string, personalData: readonly string[]): Promise<number>;
  /**
   * Retention (SPEC §16): removes the payloads of at most `batchSize` events received before
   * `receivedBefore` (oldest first); their ids stay, so a replayed event is still recognised.
   * Returns how many payloads were removed (0: none left).
   */
  abstract purgePayloads(receivedBefore: Date, batchSize: number): Promise<number>;
  /**
   * The personal data earlier customer.created / customer.updated events about the customer
   * carried (values since replaced included), as far as their payloads are still kept.
   */
  abstract personalDataOf(customerId: string): Promise<PersonalDataInput[]>;
  /**
   * Drops the payload of an event already recorded in this transaction (its id stays): an event
   * about an erased customer that changed nothing must not keep the data it carried (SPEC §16).
   */
  abstract forgetPayload(eventId: string): Promise<void>;
}
