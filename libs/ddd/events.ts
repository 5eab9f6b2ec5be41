import type { Static, TSchema } from 'typebox';

/**
 * The catalogue of outbound events: every fact other systems are told about (SPEC §9). Each
 * bounded context adds its own entries in `domain/<context>.events.ts`, by declaration merging:
 *
 *   declare module '#libs/ddd/events.js' { interface EventCatalogue { 'reward.earned': RewardEarned } }
 *
 * so the name → payload map is one type the compiler follows everywhere (aggregates, the outbox,
 * the notifications that e-mail customers, the AsyncAPI document), with no context importing
 * another's files.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface EventCatalogue {}

export type EventName = keyof EventCatalogue & string;

/** Only `EventDefinition.create` makes events: the outbox takes nothing else. */
declare const catalogued: unique symbol;

/** One event, as recorded by an aggregate and stored in the outbox. */
export interface OutboundEvent<N extends EventName = EventName> {
  /** Stable id (UUID); the outbox assigns one when absent. Consumers de-duplicate by it. */
  readonly id?: string;
  readonly type: N;
  readonly version: number;
  /** When it happened (business time, e.g. a billing event's occurredAt). */
  readonly occurredAt: Date;
  /** JSON: money as rand strings, timestamps as ISO strings, business dates as YYYY-MM-DD. */
  readonly data: EventCatalogue[N];
  readonly [catalogued]: true;
}

/** Any catalogue event, as a union discriminated by `type` (narrowing on `type` narrows `data`). */
export type CatalogueEvent = { [N in EventName]: OutboundEvent<N> }[EventName];

export interface EventDefinition<N extends EventName = EventName, S extends TSchema = TSchema> {
  readonly name: N;
  readonly version: number;
  /** One line for the AsyncAPI document. */
  readonly summary: string;
  /** JSON Schema of `data` (TypeBox). */
  readonly schema: S;
  create(data: EventCatalogue[N], occurredAt: Date, id?: string): OutboundEvent<N>;
}

const definitions = new Map<string, EventDefinition>();

/**
 * Declares a catalogue entry. The payload type is the schema's static type, so the schema (and
 * the AsyncAPI document made from it) can never disagree with what the code sends.
 */
export function defineEvent<N extends EventName, S extends TSchema>(
  name: N,
  options: { version: number; summary: string; schema: S } & (Static<S> extends EventCatalogue[N] ? unknown : never),
): EventDefinition<N, S> {
  const definition: EventDefinition<N, S> = {
    name,
    version: options.version,
    summary: options.summary,
    schema: options.schema,
    create: (data, occurredAt, id) =>
      ({ ...(id ? { id } : {}), type: name, version: options.version, occurredAt, data }) as OutboundEvent<N>,
  };
  definitions.set(name, definition as unknown as EventDefinition);
  return definition;
}

/** Every entry declared so far (each context's events file declares its own on import). */
export function eventCatalogue(): readonly EventDefinition[] {
  return [...definitions.values()].sort((a, b) => a.name.localeCompare(b.name));
}
