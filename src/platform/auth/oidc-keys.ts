import { KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwksCache,
  type CryptoKey,
  type JSONWebKeySet,
  type JWKSCacheInput,
  type RemoteJWKSet,
} from 'jose';
import { checkIssuerUrl } from '../config/config.js';

/** The signature algorithms accepted from the OpenID provider (asymmetric only: never HS*, never none). */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

/** The provider's keys cannot be had right now (discovery or key-set fetch failed, or cooling down). */
export class OidcKeysUnavailable extends Error {
  override readonly name = 'OidcKeysUnavailable';
}

const FETCH_TIMEOUT_MS = 5000;

/**
 * The OpenID provider's signing keys, for passport-jwt's key provider.
 *
 * Discovery (`<issuer>/.well-known/openid-configuration` → `jwks_uri`) happens lazily, on the
 * first token of that issuer, so start-up never waits for the provider; until it succeeds such
 * tokens are refused (401) and the failure is logged. The key set itself is jose's
 * createRemoteJWKSet: cached (10 minutes), refetched when a token names a `kid` it does not hold
 * (a rotated key), at most once per cooldown however many unknown `kid`s arrive, with concurrent
 * fetches shared. Around it, failures cool down too (a flood of tokens while the provider is down
 * does not become a flood of fetches), and a key set fetched before keeps serving while a refresh
 * fails (the provider's outage does not log every admin out).
 *
 * Discovery is written here rather than taken from a relying-party library (openid-client,
 * oauth4webapi): it is one GET and two checks (the document's `issuer` equals ours, `jwks_uri` is
 * a URL we may fetch), and the rest of those libraries is for the browser side.
 */
export class OidcKeys {
  private readonly logger = new Logger('OidcKeys');
  private remote?: RemoteJWKSet;
  private discovering?: Promise<RemoteJWKSet>;
  /** jose writes every key set it fetches here (`jwks`, `uat`): the fallback while a refresh fails. */
  private readonly fetched: JWKSCacheInput = {};
  private fallback?: { uat: number; resolve: ReturnType<typeof createLocalJWKSet> };
  /** When the last discovery or key-set fetch failed (ms epoch), for the cooldown. */
  private failedAt = Number.NEGATIVE_INFINITY;
  private lastFailure = '';
  private readonly keyObjects = new WeakMap<CryptoKey, KeyObject>();

  constructor(
    private readonly issuer: string,
    private readonly cooldownMs: number,
    private readonly production: boolean,
  ) {}

  /** The public key for a token header of this issuer; rejects (→ 401) when none fits or keys are unavailable. */
  async keyFor(header: { alg: OidcAlgorithm; kid?: string }): Promise<KeyObject> {
    const protectedHeader = { alg: header.alg, ...(typeof header.kid === 'string' ? { kid: header.kid } : {}) };
    const remote = await this.discovered();
    if (this.coolingDown()) {
      // A fetch failed moments ago: answer from the keys we have (or refuse) rather than ask again.
      return this.toKeyObject(await this.lastKnown()(protectedHeader));
    }
    try {
      return this.toKeyObject(await remote(protectedHeader));
    } catch (err) {
      // An unknown kid (after the one refetch jose allows), or an alg the key set cannot serve: a bad token.
      if (
        err instanceof joseErrors.JWKSNoMatchingKey ||
        err instanceof joseErrors.JWKSMultipleMatchingKeys ||
        err instanceof joseErrors.JOSENotSupported
      ) {
        throw err;
      }
      this.failed(`fetching its key set failed: ${describe(err)}`);
      return this.toKeyObject(await this.lastKnown()(protectedHeader));
    }
  }

  private lastKnown(): ReturnType<typeof createLocalJWKSet> {
    const { jwks, uat } = this.fetched as { jwks?: JSONWebKeySet; uat?: number };
    if (!jwks || uat === undefined) throw new OidcKeysUnavailable(this.lastFailure);
    if (this.fallback?.uat !== uat) this.fallback = { uat, resolve: createLocalJWKSet(jwks) };
    return this.fallback.resolve;
  }

  private toKeyObject(key: CryptoKey): KeyObject {
    let object = this.keyObjects.get(key);
    if (!object) {
      object = KeyObject.from(key);
      this.keyObjects.set(key, object);
    }
    return object;
  }

  private async discovered(): Promise<RemoteJWKSet> {
    if (this.remote) return this.remote;
    if (this.coolingDown()) throw new OidcKeysUnavailable(this.lastFailure);
    this.discovering ??= this.discover().finally(() => (this.discovering = undefined));
    return this.discovering;
  }

  private coolingDown(): boolean {
    return Date.now() < this.failedAt + this.cooldownMs;
  }

  private failed(reason: string): void {
    this.failedAt = Date.now();
    this.lastFailure = `OpenID provider ${this.issuer}: ${reason}`;
    this.logger.warn(`${this.lastFailure}; its tokens are refused while no key set is at hand`);
  }

  private async discover(): Promise<RemoteJWKSet> {
    const url = `${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      // OpenID Connect Discovery 1.0 §4.3: the document's issuer is exactly the one configured.
      if (doc.issuer !== this.issuer) throw new Error(`${url} names issuer ${JSON.stringify(doc.issuer)}`);
      if (typeof doc.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
      const problem = checkIssuerUrl(doc.jwks_uri, this.production);
      if (problem) throw new Error(`its jwks_uri ${problem} (got "${doc.jwks_uri}")`);
      this.remote = createRemoteJWKSet(new URL(doc.jwks_uri), {
        cooldownDuration: this.cooldownMs,
        timeoutDuration: FETCH_TIMEOUT_MS,
        [jwksCache]: this.fetched,
      });
      this.logger.log(`OpenID provider ${this.issuer}: signing keys from ${doc.jwks_uri}`);
      return this.remote;
    } catch (err) {
      this.failed(`discovery failed: ${describe(err)}`);
      throw new OidcKeysUnavailable(this.lastFailure);
    }
  }
}

/** fetch's "fetch failed" says nothing: add the cause (ECONNREFUSED, a timeout, a TLS error). */
function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : String(e.message ?? err);
}
