import { Inject, Injectable } from '@nestjs/common';
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { principalFrom, type ClaimNames } from './claims.js';
import { OIDC_ALGORITHMS, OidcKeys, type OidcAlgorithm } from './oidc-keys.js';
import type { Principal } from './principal.js';

const SPEC_CLAIMS: ClaimNames = { role: 'role', permissions: 'permissions' };

/**
 * Three kinds of bearer token, told apart by the (still unverified) `iss`, each verified only with
 * its own keys:
 * - `iss` = OIDC_ISSUER: the OpenID provider's access tokens (RS256 or ES256), keys from its JWKS
 *   (see OidcKeys); `aud` must hold OIDC_AUDIENCE when set; role and permissions from the claims
 *   OIDC_ROLE_CLAIM / OIDC_PERMISSIONS_CLAIM name.
 * - otherwise HS256 with JWT_SECRET and/or RS256 with JWT_PUBLIC_KEY; `iss`/`aud` checked when
 *   JWT_ISSUER/JWT_AUDIENCE are set; claims `role` and `permissions` (SPEC §2).
 * passport-jwt (jsonwebtoken) checks the signature with the key chosen here, `exp` and `nbf`;
 * `alg: none` is never accepted (only the algorithms listed are), `exp` is required.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { secret, publicKey } = config.jwt;
    const oidc = config.oidc;
    // Key objects built once: given a string, jsonwebtoken first tries to parse it as a public
    // key on every request (and throws), which cost ~0.3 ms of CPU per request (bench/README.md).
    const hmacKey = secret ? createSecretKey(Buffer.from(secret, 'utf8')) : undefined;
    const rsaKey = publicKey ? createPublicKey(publicKey) : undefined;
    const oidcKeys = oidc ? new OidcKeys(oidc.issuer, oidc.jwksCooldownMs, config.nodeEnv === 'production') : undefined;

    const keyFor = async (rawJwt: string): Promise<KeyObject> => {
      const { header, payload } = decodeStrictly(rawJwt);
      if (oidc && oidcKeys && payload.iss === oidc.issuer) {
        if (!(OIDC_ALGORITHMS as readonly unknown[]).includes(header.alg)) throw new Error('unsupported alg');
        return oidcKeys.keyFor({ alg: header.alg as OidcAlgorithm, kid: header.kid as string | undefined });
      }
      if (header.alg === 'HS256' && hmacKey) return hmacKey;
      if (header.alg === 'RS256' && rsaKey) return rsaKey;
      throw new Error('unsupported alg');
    };
    const options: StrategyOptionsWithoutRequest = {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      algorithms: [
        ...new Set([
          ...(secret ? (['HS256'] as const) : []),
          ...(publicKey ? (['RS256'] as const) : []),
          ...(oidc ? OIDC_ALGORITHMS : []),
        ]),
      ],
      secretOrKeyProvider: (_req, rawJwt: string, done) => {
        keyFor(rawJwt).then(
          (key) => done(null, key as unknown as string),
          (err: unknown) => done(err instanceof Error ? err : new Error('no key')),
        );
      },
    };
    super(options);
  }

  validate(payload: Record<string, unknown>): Principal | false {
    const { jwt, oidc } = this.config;
    if (oidc && payload.iss === oidc.issuer) {
      if (oidc.audience !== undefined && !audiences(payload.aud).includes(oidc.audience)) return false;
      // The console's ID token is not an access token (its only audience is the console itself).
      const aud = audiences(payload.aud);
      if (oidc.audience === undefined && aud.length === 1 && aud[0] === oidc.clientId) return false;
      return principalFrom(payload, { role: oidc.roleClaim, permissions: oidc.permissionsClaim });
    }
    if (jwt.issuer !== undefined && payload.iss !== jwt.issuer) return false;
    if (jwt.audience !== undefined && !audiences(payload.aud).includes(jwt.audience)) return false;
    return principalFrom(payload, SPEC_CLAIMS);
  }
}

const audiences = (aud: unknown): unknown[] => (Array.isArray(aud) ? aud : aud === undefined ? [] : [aud]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Header and payload of a compact JWS, read before verification to choose the key. The payload's
 * bytes must be UTF-8: jsonwebtoken would decode invalid bytes to U+FFFD and a `sub` could then
 * reach the audit log other than it was signed.
 */
function decodeStrictly(rawJwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const parts = rawJwt.split('.');
  if (parts.length !== 3) throw new Error('malformed token');
  const segment = (s: string): Record<string, unknown> => {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(s, 'base64url')));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('malformed token');
    return value as Record<string, unknown>;
  };
  return { header: segment(parts[0]!), payload: segment(parts[1]!) };
}
