import { decodeKeysetCursor, encodeKeysetCursor } from '../../../../../platform/http/keyset-cursor.js';
import { BILLING_ID_PATTERN } from '../../../../../platform/http/pagination.dto.js';
import type { CustomerSearchPosition } from '../../ports/customer-search.js';

/** The search's keyset cursor: the shared keyset cursor over (createdAt, billing customer id). */
export function encodeCustomerSearchCursor(p: CustomerSearchPosition): string {
  return encodeKeysetCursor({ at: p.createdAt, id: p.id });
}

/** Throws INVALID_CURSOR (400) for anything encodeCustomerSearchCursor did not produce. */
export function decodeCustomerSearchCursor(cursor: string): CustomerSearchPosition {
  const { at, id } = decodeKeysetCursor(cursor, { pattern: BILLING_ID_PATTERN });
  return { createdAt: at, id };
}
