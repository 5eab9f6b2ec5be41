import { DomainError } from '#libs/ddd/index.js';

/** Keyset position in the audit log (newest first): the last entry of the page served. */
export interface AuditLogPosition {
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque base64url of `{"at":"<ISO>","id":"<uuid>"}`. */
export function encodeCursor(position: AuditLogPosition): string {
  return Buffer.from(JSON.stringify({ at: position.at.toISOString(), id: position.id }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): AuditLogPosition {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new InvalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursor();
  const { at, id } = parsed as { at?: unknown; id?: unknown };
  if (typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursor();
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== at) throw new InvalidCursor();
  return { at: date, id };
}
