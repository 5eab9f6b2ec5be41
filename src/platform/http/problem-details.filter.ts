import { METHODS } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '#libs/ddd/index.js';
import { problem, STATUS_BY_KIND, type ProblemDetails } from './problem-details.js';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The one place errors become HTTP responses: RFC 9457 application/problem+json with a stable
 * `code`. Domain errors map by kind; framework errors by status; anything else is a 500 whose
 * details stay in the log (never a stack trace, SQL or internals in the response).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = this.toProblem(exception, req);
    if (res.headersSent) return;
    if (body.status === 401 && body.code === 'UNAUTHENTICATED') res.setHeader('WWW-Authenticate', 'Bearer');
    if (body.status === 405) res.setHeader('Allow', allowedMethods(req).join(', '));
    if (body.code === 'DATABASE_UNAVAILABLE') res.setHeader('Retry-After', '5');
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  toProblem(exception: unknown, req: Request): ProblemDetails {
    if (exception instanceof DomainError) {
      return problem(STATUS_BY_KIND[exception.kind], exception.code, exception.message, exception.errors);
    }
    // Nest wraps body-parser errors (malformed JSON, too large) in an HttpException; report
    // them by what went wrong, never with the parser's internal message.
    const parserError = (exception as { cause?: { type?: unknown; status?: unknown } })?.cause;
    if (
      exception instanceof HttpException &&
      typeof parserError?.type === 'string' &&
      typeof parserError.status === 'number'
    ) {
      return this.toProblem(parserError, req);
    }
    // Express could not percent-decode a path parameter as UTF-8 (`/api/referral-codes/%FF`).
    if (exception instanceof HttpException && exception.cause instanceof URIError) {
      return problem(400, 'VALIDATION_FAILED', 'The request is not valid.', [
        { field: 'path', message: 'a path parameter is not valid UTF-8 percent-encoding' },
      ]);
    }
    // No route matched: 405 when the path exists with other methods, else 404. (`req.route` cannot
    // tell: middleware mounted with `app.all()` sets it too.)
    if (exception instanceof NotFoundException) {
      const allowed = allowedMethods(req);
      if (allowed.length > 0 && !allowed.includes(req.method)) {
        return problem(
          405,
          'METHOD_NOT_ALLOWED',
          `${req.method} is not allowed on ${req.path}; use ${allowed.join(', ')}.`,
        );
      }
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const code =
        (typeof response === 'object' && response && 'code' in response && typeof response.code === 'string'
          ? response.code
          : undefined) ??
        CODE_BY_STATUS[status] ??
        (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
      if (code === 'NOT_READY') return problem(status, code, notReadyDetail(response)); // an expected state, not a failure
      if (status >= 500) {
        this.logger.error({ err: exception, path: req.url }, 'request failed');
        return problem(status, code, 'The service could not complete the request.');
      }
      const detail =
        status === 404 && code === 'NOT_FOUND' ? `No route for ${req.method} ${req.path}.` : exception.message;
      return problem(status, code, detail);
    }
    // Errors raised by body-parser (malformed JSON, too large, bad charset) carry a status.
    const e = exception as { status?: unknown; type?: unknown; expose?: unknown };
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      const detail =
        e.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON.'
          : e.type === 'entity.too.large'
            ? 'The request body is too large.'
            : 'The request could not be read.';
      const code = e.type === 'entity.parse.failed' ? 'MALFORMED_JSON' : (CODE_BY_STATUS[e.status] ?? 'BAD_REQUEST');
      return problem(e.status, code, detail);
    }
    if (isDatabaseUnavailable(exception)) {
      // PostgreSQL restarting or unreachable: nothing was done, the caller should retry (503).
      this.logger.warn({ err: exception, method: req.method, path: req.url }, 'database unavailable');
      return problem(503, 'DATABASE_UNAVAILABLE', 'The service is temporarily unavailable; try again shortly.');
    }
    this.logger.error({ err: exception, method: req.method, path: req.url }, 'unhandled error');
    return problem(500, 'INTERNAL_ERROR', 'The service could not complete the request.');
  }
}

interface RouteLayer {
  route?: { methods?: Record<string, boolean> };
  match?: (path: string) => boolean;
}

/** The methods the app's routes answer on this request's path (HEAD with GET), none when no route has it. */
function allowedMethods(req: Request): string[] {
  const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route?.methods || typeof layer.match !== 'function') continue;
    // `app.all()` routes (Nest's middleware on exact paths, its not-found handler) list every
    // method: they are plumbing, not an operation of ours.
    const routeMethods = layer.route.methods;
    if (routeMethods._all || METHODS.every((m) => routeMethods[m.toLowerCase()])) continue;
    let matches = false;
    try {
      matches = layer.match(req.path);
    } catch {
      // a parameter that does not decode: not a path of ours
    }
    if (!matches) continue;
    for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') methods.add(m.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/** Prisma: can't reach the server, connection closed, pool timeout. */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** node-postgres / driver adapter failures of the connection itself, not of the statement. */
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'TooManyConnections', 'SocketTimeout']);
/** SQLSTATE 08xxx connection exception; 57P01–57P03 admin/crash shutdown, cannot connect now. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123])$/;
/** node-postgres errors that reach us unwrapped (a connection lost inside a transaction). */
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const UNAVAILABLE_PG_MESSAGE =
  /^(Client has encountered a connection error and is not queryable|Connection terminated|timeout exceeded when trying to connect)/;

/** The database went away (restart, failover, network) — as opposed to a failing statement. */
export function isDatabaseUnavailable(exception: unknown): boolean {
  const e = exception as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: { kind?: unknown; code?: unknown };
    meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } };
  } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (UNAVAILABLE_PRISMA_CODES.has(e.code) || UNAVAILABLE_NODE_CODES.has(e.code)))
    return true;
  // node-postgres's own DatabaseError (plain SQL through Db): SQLSTATE in `code`.
  if (e.name === 'error' && typeof e.code === 'string' && UNAVAILABLE_SQLSTATE.test(e.code)) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_PG_MESSAGE.test(e.message)) return true;
  const cause = e.meta?.driverAdapterError?.cause ?? (e.name === 'DriverAdapterError' ? e.cause : undefined);
  if (!cause) return false;
  return (
    (typeof cause.kind === 'string' && UNAVAILABLE_KINDS.has(cause.kind)) ||
    (typeof cause.code === 'string' && UNAVAILABLE_SQLSTATE.test(cause.code))
  );
}

/** /health/ready's 503: which checks are down and why (no internals: the checks' own words). */
function notReadyDetail(response: unknown): string {
  const checks = (response as { checks?: Record<string, { status: string; detail?: string }> }).checks ?? {};
  const down = Object.entries(checks)
    .filter(([, c]) => c.status !== 'up')
    .map(([name, c]) => `${name}: ${c.detail ?? 'down'}`);
  return `Not ready${down.length ? ` — ${down.join('; ')}` : ''}.`;
}
