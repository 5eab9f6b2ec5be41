import { parseTimestamp } from '#libs/ddd/index.js';
import { InvalidCursor } from '../../../../../platform/http/keyset-cursor.js';
import { BILLING_ID_PATTERN } from '../../../../../platform/http/pagination.dto.js';
import type { CustomerSearchPosition } from '../../ports/customer-search.js';

/**
 * The search's keyset cursor: base64url of `{"at":"<ISO>","id":"<billing id>"}` — the shared
 * keyset cursor (platform/http/keyset-cursor.ts) holds a UUID, and customer ids are billing's.
 */
export function encodeCustomerSearchCursor(p: CustomerSearchPosition): string {
  return Buffer.from(JSON.stringify({ at: p.createdAt.toISOString(), id: p.id }), 'utf8').toString('base64url');
}

/** Throws INVALID_CURSOR (400) for anything encodeCustomerSearchCursor did not produce. */
export function decodeCustomerSearchCursor(cursor: string): CustomerSearchPosition {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new InvalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursor();
  const { at, id } = parsed as { at?: unknown; id?: unknown };
  if (typeof at !== 'string' || typeof id !== 'string' || !BILLING_ID_PATTERN.test(id)) throw new InvalidCursor();
  const createdAt = parseTimestamp(at);
  if (!createdAt || createdAt.toISOString() !== at) throw new InvalidCursor();
  return { createdAt, id };
}
