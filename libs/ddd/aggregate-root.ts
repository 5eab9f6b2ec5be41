/** A fact that happened inside a bounded context, recorded by an aggregate. */
export interface DomainEvent {
  /** Optional stable id (a UUID); the outbox assigns one when absent. Consumers de-duplicate by it. */
  readonly id?: string;
  /** Stable, dotted name, e.g. `referral.attributed`. Also the outbound webhook `type`. */
  readonly type: string;
  /** When it happened (business time, e.g. the billing event's occurredAt). */
  readonly occurredAt: Date;
  /** JSON-serialisable data (money as rand strings, dates as ISO strings). */
  readonly data: Record<string, unknown>;
}

/** Aggregates record events as they change; the handler saves them to the outbox. */
export abstract class AggregateRoot {
  private recorded: DomainEvent[] = [];

  protected record(event: DomainEvent): void {
    this.recorded.push(event);
  }

  /** Returns and forgets the events recorded since the last call. */
  pullEvents(): DomainEvent[] {
    const events = this.recorded;
    this.recorded = [];
    return events;
  }
}
