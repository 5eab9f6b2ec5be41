import { InvalidCursor } from '../domain/fraud.errors.js';

/** Keyset position in the review queue (oldest first): the last referral of the page served. */
export interface FlaggedPosition {
  referredAt: Date;
  referralId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque base64url of `{"at":"<ISO>","id":"<uuid>"}`. */
export function encodeFlaggedCursor(p: FlaggedPosition): string {
  return Buffer.from(JSON.stringify({ at: p.referredAt.toISOString(), id: p.referralId }), 'utf8').toString('base64url');
}

export function decodeFlaggedCursor(cursor: string): FlaggedPosition {
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
  return { referredAt: date, referralId: id };
}
