import { DomainError } from '#libs/ddd/index.js';
import type { RunPosition } from '../../../infrastructure/prisma-reconciliation-run.repository.js';

export class InvalidRunCursor extends DomainError {
  readonly code = 'INVALID_CURSOR';
  readonly kind = 'validation' as const;
  constructor() {
    super('The cursor is not valid; pass the nextCursor of a previous page unchanged.', [
      { field: 'cursor', message: 'is not a cursor this endpoint issued' },
    ]);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque base64url of `{"s":"<startedAt ISO>","i":"<run id>"}`: the last run of the page served. */
export function encodeRunCursor(position: RunPosition): string {
  return Buffer.from(JSON.stringify({ s: position.startedAt.toISOString(), i: position.id }), 'utf8').toString('base64url');
}

export function decodeRunCursor(cursor: string): RunPosition {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new InvalidRunCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidRunCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidRunCursor();
  const { s, i } = parsed as { s?: unknown; i?: unknown };
  if (typeof s !== 'string' || typeof i !== 'string' || !UUID.test(i)) throw new InvalidRunCursor();
  const startedAt = new Date(s);
  if (Number.isNaN(startedAt.getTime()) || startedAt.toISOString() !== s) throw new InvalidRunCursor();
  return { startedAt, id: i };
}
