import { createHash } from 'node:crypto';
import { DomainError } from '#libs/ddd/index.js';

/**
 * Idempotency-Key for admin writes (SPEC §1): the same key with the same request returns the
 * first response; the same key with another request is refused. Pure parts live here; the
 * interceptor and its table are in idempotency.interceptor.ts.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** 1–255 printable ASCII characters, not starting or ending with a space. */
const KEY_PATTERN = /^[\x21-\x7E](?:[\x20-\x7E]{0,253}[\x21-\x7E])?$/;

export function isValidIdempotencyKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return typeof value === 'bigint' ? value.toString() : value;
}

/** sha256 over method, path and canonical body: what "the same request" means. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  const isEmpty = body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n${isEmpty ? '{}' : canonicalJson(body)}`)
    .digest('hex');
}

export class InvalidIdempotencyKey extends DomainError {
  readonly code = 'INVALID_IDEMPOTENCY_KEY';
  readonly kind = 'validation' as const;
  constructor() {
    super('The Idempotency-Key header must be 1–255 printable ASCII characters.', [
      { field: IDEMPOTENCY_KEY_HEADER, message: 'must be 1–255 printable ASCII characters' },
    ]);
  }
}

export class IdempotencyKeyReused extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly kind = 'unprocessable' as const;
  constructor() {
    super('This Idempotency-Key was already used for a different request; use a new key for a new request.');
  }
}

export class IdempotencyKeyInProgress extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_IN_PROGRESS';
  readonly kind = 'conflict' as const;
  constructor() {
    super('A request with this Idempotency-Key is still being processed; retry shortly to get its response.');
  }
}
