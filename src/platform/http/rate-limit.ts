import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CLOCK, DomainError, type Clock } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { sql } from '../database/sql.js';
import { Db } from '../database/db.js';
import { ProblemDetailsDto } from './problem-details.dto.js';

const RATE_LIMIT = 'http:rate-limit';

export interface RateLimitOptions {
  /** Name of the bucket family, e.g. `referral-code-lookup`; the client IP is appended. */
  bucket: string;
  /** Requests allowed per window: a number, or read from the config. */
  limit: number | ((config: AppConfig) => number);
  windowSeconds: number;
}

export class RateLimited extends DomainError {
  readonly code = 'RATE_LIMITED';
  readonly kind = 'rate_limited' as const;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} s.`);
  }
}

/**
 * Fixed-window counters shared by every instance, in the `rate_limit_buckets` table: one
 * atomic upsert per request (`hits = hits + 1 RETURNING hits`), so concurrent requests on
 * different instances are all counted. The same statement drops that key's past windows,
 * so a key keeps at most one row. Wall-clock time from CLOCK (rate limits are not business time).
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Counts one hit; returns whether it is allowed and, if not, the seconds until the window ends. */
  async hit(
    key: string,
    limit: number,
    windowSeconds: number,
  ): Promise<{ allowed: boolean; hits: number; retryAfterSeconds: number }> {
    const now = this.clock.now().getTime();
    const windowMs = windowSeconds * 1000;
    const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
    const rows = await this.db.query<{ hits: number }>(sql`
      WITH dropped AS (
        DELETE FROM rate_limit_buckets WHERE bucket = ${key} AND window_start < ${windowStart}
      )
      INSERT INTO rate_limit_buckets (bucket, window_start, hits) VALUES (${key}, ${windowStart}, 1)
      ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_buckets.hits + 1
      RETURNING hits`);
    const hits = Number(rows[0]?.hits ?? 1);
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000));
    return { allowed: hits <= limit, hits, retryAfterSeconds };
  }
}

/** Guard behind @RateLimit(): counts the request against `<bucket>:<client ip>`; over the limit → 429 + Retry-After. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const options = this.reflector.getAllAndOverride<RateLimitOptions | undefined>(RATE_LIMIT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!options) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const limit = typeof options.limit === 'function' ? options.limit(this.config) : options.limit;
    // req.ip honours the app's `trust proxy` setting (only private/loopback proxies are believed).
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const result = await this.limiter.hit(`${options.bucket}:${ip}`, limit, options.windowSeconds);
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - result.hits)));
    if (!result.allowed) {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      throw new RateLimited(result.retryAfterSeconds);
    }
    return true;
  }
}

/** At most `limit` requests per `windowSeconds` per client IP, across every instance. */
export const RateLimit = (options: RateLimitOptions) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT, options),
    UseGuards(RateLimitGuard),
    ApiTooManyRequestsResponse({ description: 'Too many requests (see Retry-After)', type: ProblemDetailsDto }),
  );

export const RATE_LIMIT_PROVIDERS = [RateLimiter, RateLimitGuard];
