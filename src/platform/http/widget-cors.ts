import cors from 'cors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * The only paths a page of another origin may call (SPEC §13): the widget's script, the customer
 * routes and the public code check. Admin, billing, development and operations routes never
 * answer CORS, whatever the origin.
 */
export const WIDGET_CORS_PATHS = ['/widget/referrals.js', '/api/customer', '/api/referral-codes'];

/**
 * CORS for the origins in WIDGET_ALLOWED_ORIGINS, on WIDGET_CORS_PATHS (mounted there by
 * configureApp). An allowed origin gets its preflight answered (204: GET/POST with Authorization
 * and Content-Type, cached 10 minutes) and `Access-Control-Allow-Origin` on the response. Any
 * other origin gets no CORS header at all — its preflight falls through to the router (404
 * problem+json), so the browser refuses the call. Bearer tokens, never cookies: no credentials.
 * Responses on these paths vary by Origin, so a cache never hands one origin's answer to another.
 */
export function widgetCors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  const handler = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    credentials: false,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    res.vary('Origin');
    handler(req, res, next);
  };
}
