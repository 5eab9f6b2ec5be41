import { InvalidCursor } from '../domain/referral.errors.js';

/** Keyset position in a newest-first list: (referredAt, id) of the last item of the page. */
export interface ReferralCursor {
  referredAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of `<referredAt ISO>|<id>`. */
export function encodeCursor(c: ReferralCursor): string {
  return Buffer.from(`${c.referredAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

/** Throws INVALID_CURSOR (400) for anything encodeCursor did not produce. */
export function decodeCursor(raw: string): ReferralCursor {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) throw new InvalidCursor();
  const [iso, id, ...rest] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (rest.length || !iso || !id || !UUID.test(id)) throw new InvalidCursor();
  const referredAt = new Date(iso);
  if (Number.isNaN(referredAt.getTime()) || referredAt.toISOString() !== iso) throw new InvalidCursor();
  return { referredAt, id: id.toLowerCase() };
}
