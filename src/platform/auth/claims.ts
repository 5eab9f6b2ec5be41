import { PERMISSIONS, ROLES, type Principal, type Role } from './principal.js';

/** Names of the claims that carry the role and the permissions. */
export interface ClaimNames {
  role: string;
  permissions: string;
}

/** No lone UTF-16 surrogate (`\ud800` escaped in the token's JSON): such text cannot be stored. */
export const isWellFormedUnicode = (s: string): boolean => !/\p{Cs}/u.test(s);

/**
 * A claim by name, or by dotted path into nested objects (`realm_access.roles`). The name as a
 * whole is tried first, so namespaced claims such as `https://circletel.co.za/roles` work too.
 */
export function readClaim(payload: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  let node: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * The role this service knows, exactly as written (`"Admin"` is not `"admin"`); a list of roles
 * (Keycloak's `realm_access.roles`) gives `admin` if it holds it, else `customer` if it holds that.
 * Anything else is no role: the token is valid, but every route refuses it (403).
 */
export function roleFrom(value: unknown): Role | null {
  const known = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);
  if (known(value)) return value;
  if (Array.isArray(value)) return ROLES.find((r) => value.includes(r)) ?? null;
  return null;
}

/** Known permissions from an array of strings or a space-separated string (like OAuth `scope`). */
export function permissionsFrom(value: unknown): string[] {
  const listed = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
  return [
    ...new Set(
      listed.filter((p): p is string => typeof p === 'string' && (PERMISSIONS as readonly string[]).includes(p)),
    ),
  ];
}

/**
 * The principal of a verified token, or false (→ 401) when its subject cannot be trusted to be
 * stored: `sub` missing, too long, with control characters or a lone surrogate, or not a
 * customer id on a customer token. A valid token with another role is a principal with no role.
 */
export function principalFrom(payload: Record<string, unknown>, names: ClaimNames): Principal | false {
  if (typeof payload.exp !== 'number') return false;
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128) return false;
  // The sub is stored (audit actor, idempotency keys): PostgreSQL text holds neither NUL nor a lone surrogate.
  if (/[\u0000-\u001f\u007f]/.test(sub) || !isWellFormedUnicode(sub)) return false;
  const role = roleFrom(readClaim(payload, names.role));
  if (role === 'customer' && !/^[A-Za-z0-9_-]{1,64}$/.test(sub)) return false;
  return { sub, role, permissions: permissionsFrom(readClaim(payload, names.permissions)) };
}
