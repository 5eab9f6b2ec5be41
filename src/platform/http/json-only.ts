import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** The media types the JSON body parser reads, and the only ones a request body may have (SPEC §1). */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/**
 * SPEC §1: a body that is not JSON is `415 UNSUPPORTED_MEDIA_TYPE`, on every route — the signed
 * billing webhook included, before its signature is checked (a text/plain event was "401
 * missing body"), and before Express's form parser could turn a form into an object the
 * validation would judge as if JSON had been sent. A request without a body (no
 * Content-Length, or 0, and not chunked) is not affected: `POST /api/customer/referrals` takes
 * none. Mounted before the body parsers; the problem+json comes from the global filter.
 */
export function jsonOnly() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!hasBody(req) || req.is(JSON_MEDIA_TYPES)) return next();
    const given = req.headers['content-type'];
    next(
      new UnsupportedMediaTypeException(
        given
          ? `The request body must be JSON (Content-Type: application/json), not ${given.split(';')[0]!.trim()}.`
          : 'The request body must be JSON: send it with Content-Type: application/json.',
      ),
    );
  };
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return !Number.isFinite(length) || length > 0;
}
