import type { CatalogueEvent } from './events.js';

/** A fact an aggregate recorded: an entry of the outbound event catalogue (events.ts). */
export type DomainEvent = CatalogueEvent;

/** Aggregates record events as they change; the handler saves them to the outbox. */
export abstract class AggregateRoot {
  private recorded: CatalogueEvent[] = [];

  protected record(event: CatalogueEvent): void {
    this.recorded.push(event);
  }

  /** Returns and forgets the events recorded since the last call. */
  pullEvents(): CatalogueEvent[] {
    const events = this.recorded;
    this.recorded = [];
    return events;
  }
}
