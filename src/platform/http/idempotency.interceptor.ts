import { applyDecorators, CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { ApiHeader, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { from, mergeMap, throwError, catchError, of, type Observable } from 'rxjs';
import type { Principal } from '../auth/principal.js';
import { Db } from '../database/db.js';
import { sql } from '../database/sql.js';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  IdempotencyKeyInProgress,
  IdempotencyKeyReused,
  InvalidIdempotencyKey,
  isValidIdempotencyKey,
  requestFingerprint,
} from './idempotency.js';
import { ProblemDetailsDto } from './problem-details.dto.js';
import { assertNotTooDeep } from './validation.js';

export type ClaimOutcome =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'reused' }
  | { kind: 'in_progress' };

export interface StoredIdempotencyKey {
  actor: string;
  key: string;
  requestHash: string;
  method: string;
  path: string;
  responseStatus: number | null;
  responseBody: unknown;
  createdAt: Date;
}

/**
 * The `idempotency_keys` table, keyed by (actor = JWT sub, key). Every statement here runs on
 * its own, outside the handler's transaction: the claim must be visible to a concurrent
 * request before the handler commits.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly db: Db) {}

  async claim(input: {
    actor: string;
    key: string;
    fingerprint: string;
    method: string;
    path: string;
  }): Promise<ClaimOutcome> {
    const { actor, key, fingerprint, method, path } = input;
    // A competing claim may be released between our INSERT and SELECT: try again a few times.
    for (let i = 0; i < 3; i++) {
      // A claim whose request died (the process stopped mid-request) is taken over after an hour.
      const inserted = await this.db.query<{ actor: string }>(sql`
        INSERT INTO idempotency_keys (actor, key, request_hash, method, path)
        VALUES (${actor}, ${key}, ${fingerprint}, ${method}, ${path})
        ON CONFLICT (actor, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, method = EXCLUDED.method, path = EXCLUDED.path, created_at = now()
         WHERE idempotency_keys.response_status IS NULL
           AND idempotency_keys.created_at < now() - make_interval(secs => ${ABANDONED_CLAIM_SECONDS}::int)
        RETURNING actor`);
      if (inserted.length === 1) return { kind: 'claimed' };
      const existing = await this.find(actor, key);
      if (!existing) continue;
      if (existing.requestHash !== fingerprint) return { kind: 'reused' };
      if (existing.responseStatus === null) return { kind: 'in_progress' };
      return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
    }
    return { kind: 'in_progress' };
  }

  /** Remembers the response of a request that succeeded. */
  async complete(actor: string, key: string, status: number, body: unknown): Promise<void> {
    const json =
      body === undefined ? null : JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    await this.db.execute(sql`
      UPDATE idempotency_keys
         SET response_status = ${status}::int, response_body = ${json}::jsonb, completed_at = now()
       WHERE actor = ${actor} AND key = ${key}`);
  }

  /** Forgets a claim whose request was refused or failed: it changed nothing. */
  async release(actor: string, key: string): Promise<void> {
    await this.db.execute(sql`
      DELETE FROM idempotency_keys WHERE actor = ${actor} AND key = ${key} AND response_status IS NULL`);
  }

  /** The stored row, if any (also handy in tests). */
  async find(actor: string, key: string): Promise<StoredIdempotencyKey | undefined> {
    return (
      (await this.db.maybeOne<StoredIdempotencyKey>(sql`
      SELECT actor, key, request_hash AS "requestHash", method, path,
             response_status AS "responseStatus", response_body AS "responseBody", created_at AS "createdAt"
        FROM idempotency_keys WHERE actor = ${actor} AND key = ${key}`)) ?? undefined
    );
  }
}

/** A claim still in progress after this long belongs to a request that died: it is released. */
export const ABANDONED_CLAIM_SECONDS = 3600;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one Idempotency-Key mechanism for every admin write (global, APP_INTERCEPTOR): applies
 * to non-GET requests by an admin principal that carry the header. The key is claimed before
 * the handler runs; a second request with the same key gets the stored response (header
 * `Idempotent-Replayed: true`) without running the handler, `422 IDEMPOTENCY_KEY_REUSED` when
 * its method, path or body differ, or `409 IDEMPOTENCY_KEY_IN_PROGRESS` while the first is still
 * running. A handler that throws leaves no key behind (a refused request changed nothing).
 *
 * The handler's transaction commits before the response is stored, in a separate statement;
 * should that store fail, the error is logged and the key stays claimed (409), so the
 * handler is never run a second time for it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user?: Principal }>();
    const res = http.getResponse<Response>();
    const principal = req.user;
    if (SAFE_METHODS.has(req.method) || principal?.role !== 'admin') return next.handle();
    const key = req.header(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined) return next.handle();
    if (!isValidIdempotencyKey(key)) throw new InvalidIdempotencyKey();

    const actor = principal.sub;
    const path = (req.originalUrl ?? req.url).split('?')[0] ?? '/';
    assertNotTooDeep(req.body, 'body'); // the fingerprint walks the body recursively
    const fingerprint = requestFingerprint(req.method, path, req.body);
    const claim = await this.store.claim({ actor, key, fingerprint, method: req.method, path });
    switch (claim.kind) {
      case 'reused':
        throw new IdempotencyKeyReused();
      case 'in_progress':
        throw new IdempotencyKeyInProgress();
      case 'replay':
        res.status(claim.status);
        res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return of(claim.body ?? undefined);
      case 'claimed':
        break;
    }

    return next.handle().pipe(
      mergeMap((body) => from(this.remember(actor, key, res.statusCode, body).then(() => body))),
      catchError((err: unknown) =>
        from(
          this.store.release(actor, key).catch((releaseErr: unknown) => {
            this.logger.error(
              { err: releaseErr, actor, key },
              'could not release an idempotency key after a failed request',
            );
          }),
        ).pipe(mergeMap(() => throwError(() => err))),
      ),
    );
  }

  private async remember(actor: string, key: string, status: number, body: unknown): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.store.complete(actor, key, status, body);
        return;
      } catch (err) {
        if (attempt === 3) {
          // The change is committed; the key stays claimed so a retry gets 409, never a second run.
          this.logger.error(
            { err, actor, key, status },
            'request succeeded but its idempotent response could not be stored',
          );
          return;
        }
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }
}

/** OpenAPI: documents the optional Idempotency-Key header on an admin write. */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        'Optional, 1–255 printable characters. Repeating a request with the same key and body returns the first ' +
        'response (header `Idempotent-Replayed: true`) without doing it again; the same key with another body is ' +
        '422 IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 IDEMPOTENCY_KEY_IN_PROGRESS.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
    ApiUnprocessableEntityResponse({
      description: 'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used for a different request',
      type: ProblemDetailsDto,
    }),
  );
