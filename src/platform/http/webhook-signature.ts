import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '#libs/ddd/index.js';

/** The CircleTel-Signature header is missing, malformed, stale (> 300 s) or does not verify. */
export class InvalidSignature extends DomainError {
  readonly code = 'INVALID_SIGNATURE';
  readonly kind = 'unauthenticated' as const;
  constructor(reason: string) {
    super(`The webhook signature is not valid: ${reason}.`);
  }
}

/**
 * `CircleTel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
 * the same for inbound billing events and our outbound webhooks.
 */
export const SIGNATURE_HEADER = 'CircleTel-Signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, rawBody: string | Buffer, at: Date = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  return `t=${t},v1=${v1}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifySignature(
  secret: string,
  header: string | undefined,
  rawBody: Buffer | string | undefined,
  now: Date = new Date(),
): SignatureCheck {
  if (!header) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  if (rawBody === undefined) return { ok: false, reason: 'missing body' };
  const parts = new Map<string, string[]>();
  for (const piece of header.split(',')) {
    const i = piece.indexOf('=');
    if (i <= 0) continue;
    const k = piece.slice(0, i).trim();
    parts.set(k, [...(parts.get(k) ?? []), piece.slice(i + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  const signatures = parts.get('v1') ?? [];
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) {
    return { ok: false, reason: 'malformed signature header' };
  }
  if (Math.abs(now.getTime() / 1000 - Number(t)) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'signature timestamp outside the 300 s tolerance' };
  }
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  const matches = signatures.some((sig) => {
    if (!/^[0-9a-f]{64}$/i.test(sig)) return false;
    return timingSafeEqual(Buffer.from(sig, 'hex'), expected);
  });
  return matches ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
