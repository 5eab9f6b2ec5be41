import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long an unsubscribe link works after the e-mail that carries it was sent. */
export const UNSUBSCRIBE_TOKEN_DAYS = 90;

/** The path of the one-click unsubscribe endpoint (RFC 8058), under PUBLIC_BASE_URL. */
export const UNSUBSCRIBE_PATH = '/api/notifications/unsubscribe';

/**
 * `<payload>.<signature>`: payload = base64url of `{"c":customerId,"e":expiry unix seconds}`,
 * signature = base64url HMAC-SHA256(NOTIFICATION_LINK_SECRET, payload). Whoever holds the link
 * may opt that customer out of referral e-mails, and nothing else, until it expires.
 */
export function signUnsubscribeToken(secret: string, customerId: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + UNSUBSCRIBE_TOKEN_DAYS * 86_400;
  const payload = Buffer.from(JSON.stringify({ c: customerId, e: expires })).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export type TokenCheck = { ok: true; customerId: string } | { ok: false; reason: 'invalid' | 'expired' };

export function verifyUnsubscribeToken(secret: string, token: string, now: Date): TokenCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || !secret) return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const { c, e } = (claims ?? {}) as { c?: unknown; e?: unknown };
  if (typeof c !== 'string' || typeof e !== 'number') return { ok: false, reason: 'invalid' };
  if (e * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, customerId: c };
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
