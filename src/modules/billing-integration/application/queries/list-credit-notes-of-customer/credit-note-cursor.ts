import { decodeKeysetCursor, encodeKeysetCursor } from '../../../../../platform/http/keyset-cursor.js';

/** Keyset position in a customer's credit notes (newest first): the last note of the page served. */
export interface CreditNotePosition {
  issuedAt: Date;
  id: string;
}

export function encodeCreditNoteCursor(p: CreditNotePosition): string {
  return encodeKeysetCursor({ at: p.issuedAt, id: p.id });
}

export function decodeCreditNoteCursor(cursor: string): CreditNotePosition {
  const { at, id } = decodeKeysetCursor(cursor);
  return { issuedAt: at, id };
}
