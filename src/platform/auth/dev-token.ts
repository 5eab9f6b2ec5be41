import jwt from 'jsonwebtoken';
import type { AppConfig } from '../config/config.js';
import type { Permission } from './principal.js';

/** Who a development token speaks for: a customer, or an admin with the permissions listed. */
export type DevIdentity =
  { role: 'customer'; customerId: string } | { role: 'admin'; sub: string; permissions: readonly Permission[] };

export interface DevToken {
  token: string;
  /** When the token stops being accepted (its `exp`). */
  expiresAt: Date;
}

/**
 * The one way this codebase mints development JWTs (`npm run dev:token`, `POST /api/dev/sign-in`,
 * the demo): HS256 with JWT_SECRET, `iss`/`aud` when configured — exactly what the API verifies.
 * Undefined when there is no JWT_SECRET (RS256-only setups mint tokens with their identity provider).
 */
export function signDevToken(
  jwtConfig: AppConfig['jwt'],
  identity: DevIdentity,
  ttlSeconds: number,
  now: Date = new Date(),
): DevToken | undefined {
  if (!jwtConfig.secret) return undefined;
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const claims =
    identity.role === 'customer'
      ? { sub: identity.customerId, role: 'customer' }
      : { sub: identity.sub, role: 'admin', permissions: [...identity.permissions] };
  const token = jwt.sign({ ...claims, iat, exp }, jwtConfig.secret, {
    algorithm: 'HS256',
    ...(jwtConfig.issuer ? { issuer: jwtConfig.issuer } : {}),
    ...(jwtConfig.audience ? { audience: jwtConfig.audience } : {}),
  });
  return { token, expiresAt: new Date(exp * 1000) };
}
