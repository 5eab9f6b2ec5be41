import { Inject, Injectable } from '@nestjs/common';
import { createPublicKey, createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PERMISSIONS, type Principal } from './principal.js';

/**
 * HS256 with JWT_SECRET and/or RS256 with JWT_PUBLIC_KEY; `alg: none` is never accepted
 * (only the configured algorithms are), `exp` is required, `iss`/`aud` checked when configured.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { secret, publicKey, issuer, audience } = config.jwt;
    // Key objects built once: given a string, jsonwebtoken first tries to parse it as a public
    // key on every request (and throws), which cost ~0.3 ms of CPU per request (bench/README.md).
    const hmacKey = secret ? createSecretKey(Buffer.from(secret, 'utf8')) : undefined;
    const rsaKey = publicKey ? createPublicKey(publicKey) : undefined;
    const options: StrategyOptionsWithoutRequest = {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      algorithms: [...(secret ? (['HS256'] as const) : []), ...(publicKey ? (['RS256'] as const) : [])],
      ...(issuer ? { issuer } : {}),
      ...(audience ? { audience } : {}),
      secretOrKeyProvider: (_req, rawJwt: string, done) => {
        try {
          const header = JSON.parse(Buffer.from(rawJwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
            alg?: string;
          };
          if (header.alg === 'HS256' && hmacKey) return done(null, hmacKey as unknown as string);
          if (header.alg === 'RS256' && rsaKey) return done(null, rsaKey as unknown as string);
          return done(new Error('unsupported alg'));
        } catch {
          return done(new Error('malformed token'));
        }
      },
    };
    super(options);
  }

  validate(payload: Record<string, unknown>): Principal | false {
    if (typeof payload.exp !== 'number') return false;
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128) return false;
    // The sub is stored (audit actor, idempotency keys): no control characters (PostgreSQL text cannot hold NUL).
    if (/[\u0000-\u001f\u007f]/.test(sub)) return false;
    const role = payload.role;
    if (role !== 'customer' && role !== 'admin') return false;
    if (role === 'customer' && !/^[A-Za-z0-9_-]{1,64}$/.test(sub)) return false;
    const permissions = Array.isArray(payload.permissions)
      ? payload.permissions.filter(
          (p): p is string => typeof p === 'string' && (PERMISSIONS as readonly string[]).includes(p),
        )
      : [];
    return { sub, role, permissions };
  }
}
