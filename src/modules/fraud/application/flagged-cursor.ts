import { decodeKeysetCursor, encodeKeysetCursor } from '../../../platform/http/keyset-cursor.js';

/** Keyset position in the review queue (oldest first): the last referral of the page served. */
export interface FlaggedPosition {
  referredAt: Date;
  referralId: string;
}

export function encodeFlaggedCursor(p: FlaggedPosition): string {
  return encodeKeysetCursor({ at: p.referredAt, id: p.referralId });
}

export function decodeFlaggedCursor(cursor: string): FlaggedPosition {
  const { at, id } = decodeKeysetCursor(cursor);
  return { referredAt: at, referralId: id };
}
