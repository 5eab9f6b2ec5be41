import { Command } from '@nestjs/cqrs';
import type { BillingEvent } from '../../../domain/billing-event.js';

export interface BillingEventReceipt {
  /** True when this event id was already processed: nothing was done this time. */
  duplicate: boolean;
}

/**
 * Process one validated inbound billing event: record its id and apply its effect on the
 * mirror in one transaction. `payload` is the event as received, kept for audit.
 */
export class ReceiveBillingEvent extends Command<BillingEventReceipt> {
  constructor(
    readonly event: BillingEvent,
    readonly payload: unknown,
  ) {
    super();
  }
}
