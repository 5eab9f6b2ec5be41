import { isUtf8 } from 'node:buffer';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { decodeUtf8KeepingBadBytes } from './utf8.js';

/** The media types the JSON body parser reads, and the only ones a request body may have (SPEC §1). */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/**
 * SPEC §15, the one exception: the RFC 8058 one-click unsubscribe endpoint receives the POST a
 * mailbox provider sends, `List-Unsubscribe=One-Click` as `application/x-www-form-urlencoded` or
 * `multipart/form-data` (and may send JSON-less nothing at all). Only there, only these two.
 */
export const FORM_BODY_PATHS = ['/api/notifications/unsubscribe'];
export const FORM_MEDIA_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * SPEC §1: a body that is not JSON is `415 UNSUPPORTED_MEDIA_TYPE`, on every route — the signed
 * billing webhook included, before its signature is checked (a text/plain event was "401
 * missing body"), and before Express's form parser could turn a form into an object the
 * validation would judge as if JSON had been sent. A request without a body (no
 * Content-Length, or 0, and not chunked) is not affected: `POST /api/customer/referrals` takes
 * none. JSON in another charset than UTF-8 is 415 too (RFC 8259 §8.1: JSON between systems is
 * UTF-8). Mounted before the body parsers; the problem+json comes from the global filter.
 */
export function jsonOnly() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    const given = req.headers['content-type'];
    if (req.method === 'POST' && FORM_BODY_PATHS.includes(req.path) && req.is(FORM_MEDIA_TYPES)) return next();
    if (!req.is(JSON_MEDIA_TYPES)) {
      return next(
        new UnsupportedMediaTypeException(
          given
            ? `The request body must be JSON (Content-Type: application/json), not ${given.split(';')[0]!.trim()}.`
            : 'The request body must be JSON: send it with Content-Type: application/json.',
        ),
      );
    }
    const charset = /;\s*charset\s*=\s*"?([^";]*)"?/i
      .exec(given ?? '')?.[1]
      ?.trim()
      .toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return next(new UnsupportedMediaTypeException(`JSON must be UTF-8, not ${charset}.`));
    }
    next();
  };
}

/**
 * After the JSON parser: a body whose bytes are not valid UTF-8 was decoded with U+FFFD in place
 * of the bad bytes, silently changing what the client sent. It is read again keeping them as
 * lone surrogates (utf8.ts), so the validation refuses the field that holds them — after the
 * guards, like every other content check (a bad signature is 401 first). Valid UTF-8, the usual
 * case, costs one isUtf8 over the raw body.
 */
export function keepInvalidUtf8Visible() {
  return (req: Request & { rawBody?: unknown }, _res: Response, next: NextFunction) => {
    if (Buffer.isBuffer(req.rawBody) && req.body !== undefined && !isUtf8(req.rawBody)) {
      try {
        req.body = JSON.parse(decodeUtf8KeepingBadBytes(req.rawBody)) as unknown;
      } catch {
        // the parser accepted it with U+FFFD, so it parses with surrogates too; keep its reading otherwise
      }
    }
    next();
  };
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return !Number.isFinite(length) || length > 0;
}
