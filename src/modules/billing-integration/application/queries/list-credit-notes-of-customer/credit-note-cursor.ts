import { ValidationFailed } from '#libs/ddd/index.js';

/** Keyset position in a customer's credit notes (newest first): the last note of the page served. */
export interface CreditNotePosition {
  issuedAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque base64url of `{"at":"<ISO>","id":"<uuid>"}`. */
export function encodeCreditNoteCursor(p: CreditNotePosition): string {
  return Buffer.from(JSON.stringify({ at: p.issuedAt.toISOString(), id: p.id }), 'utf8').toString('base64url');
}

export function decodeCreditNoteCursor(cursor: string): CreditNotePosition {
  const invalid = () => new ValidationFailed([{ field: 'cursor', message: 'cursor is not valid' }]);
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { at, id } = parsed as { at?: unknown; id?: unknown };
  if (typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw invalid();
  const issuedAt = new Date(at);
  if (Number.isNaN(issuedAt.getTime()) || issuedAt.toISOString() !== at) throw invalid();
  return { issuedAt, id: id.toLowerCase() };
}
