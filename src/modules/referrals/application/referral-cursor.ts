import { decodeKeysetCursor, encodeKeysetCursor } from '../../../platform/http/keyset-cursor.js';

/** Keyset position in a newest-first list: (referredAt, id) of the last item of the page. */
export interface ReferralCursor {
  referredAt: Date;
  id: string;
}

export function encodeCursor(c: ReferralCursor): string {
  return encodeKeysetCursor({ at: c.referredAt, id: c.id });
}

/** Throws INVALID_CURSOR (400) for anything encodeCursor did not produce. */
export function decodeCursor(raw: string): ReferralCursor {
  const { at, id } = decodeKeysetCursor(raw);
  return { referredAt: at, id };
}
