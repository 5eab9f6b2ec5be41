/**
 * An integration event crosses bounded contexts in-process (src/platform/messaging). It is a
 * plain, immutable record of something that happened; `occurredAt` is business time.
 */
export interface IntegrationEvent {
  readonly type: string;
  readonly occurredAt: Date;
  /** The inbound billing event id that caused it, when one did. */
  readonly sourceEventId?: string | null;
}
