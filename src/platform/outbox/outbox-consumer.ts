import { SetMetadata } from '@nestjs/common';
import type { CatalogueEvent } from '#libs/ddd/index.js';

const CONSUMES_OUTBOX = 'outbox:consumer';

/** An outbox event with the id it is stored (and delivered) under. */
export interface StoredOutboxEvent {
  readonly id: string;
  readonly event: CatalogueEvent;
}

/**
 * A context that acts on outbox events inside the service (the notifications that e-mail
 * customers): called by the OutboxWriter with every batch appended, ids assigned, in the same
 * transaction (the events' own INSERT may follow, sent with COMMIT). What it writes commits if
 * and only if the events do: nothing is missed, nothing is made for an event that never
 * happened. It must be quick and set-based (a nightly batch stores thousands of events) and
 * never send anything itself.
 */
export interface OutboxConsumer {
  onEventsStored(events: readonly StoredOutboxEvent[]): Promise<void>;
}

/** Marks a provider as an OutboxConsumer (found by the writer through Nest's discovery). */
export const ConsumesOutbox = () => SetMetadata(CONSUMES_OUTBOX, true);

export function isOutboxConsumer(metatype: unknown): boolean {
  return typeof metatype === 'function' && Reflect.getMetadata(CONSUMES_OUTBOX, metatype) === true;
}
