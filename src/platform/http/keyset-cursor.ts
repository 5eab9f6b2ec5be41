import { DomainError, parseTimestamp } from '#libs/ddd/index.js';

/**
 * The one keyset cursor of every paginated list: the (timestamp, uuid) of the last item served,
 * as opaque base64url of `{"at":"<ISO>","id":"<uuid>"}`. Lists ordered by (at, id) continue
 * strictly after (or before) it, so pages never skip or repeat rows, whatever is inserted meanwhile.
 */
export interface KeysetPosition {
  at: Date;
  id: string;
}

export class InvalidCursor extends DomainError {
  readonly code = 'INVALID_CURSOR';
  readonly kind = 'validation' as const;
  constructor() {
    super('The cursor is not valid; pass the nextCursor of a previous page unchanged.', [
      { field: 'cursor', message: 'is not a cursor this endpoint issued' },
    ]);
  }
}

/** What the cursor's `id` may be: a UUID by default (lower-cased), or another list's key. */
export interface CursorIds {
  pattern: RegExp;
  normalise?: (id: string) => string;
}

const UUID_IDS: CursorIds = {
  pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  normalise: (id) => id.toLowerCase(),
};

export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ at: position.at.toISOString(), id: position.id }), 'utf8').toString('base64url');
}

/** Throws INVALID_CURSOR (400) for anything encodeKeysetCursor did not produce. */
export function decodeKeysetCursor(cursor: string, ids: CursorIds = UUID_IDS): KeysetPosition {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new InvalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursor();
  const { at, id } = parsed as { at?: unknown; id?: unknown };
  if (typeof at !== 'string' || typeof id !== 'string' || !ids.pattern.test(id)) throw new InvalidCursor();
  // The one timestamp rule (years 2000–2100): a forged cursor dated year 0 never reaches PostgreSQL.
  const date = parseTimestamp(at);
  if (!date || date.toISOString() !== at) throw new InvalidCursor();
  return { at: date, id: ids.normalise ? ids.normalise(id) : id };
}
