import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';
import { requestContext } from './request-context.js';

/**
 * Structured JSON logs (pino). Every line written while handling a request carries its
 * `requestId` (seeded from the X-Request-Id header or generated).
 */
export function createRootLogger(level: string): Pino {
  return pino({
    level,
    base: { service: 'circletel-referrals' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers["circletel-signature"]'], remove: true },
    mixin() {
      const requestId = requestContext.requestId();
      return requestId ? { requestId } : {};
    },
  });
}

/** Nest's LoggerService on top of pino, so framework and our logs share one format. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: Pino) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]) {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const log = context ? this.root.child({ context }) : this.root;
    if (message instanceof Error) return log[level]({ err: message }, message.message);
    if (typeof message === 'object' && message !== null) {
      const msg = typeof params[0] === 'string' ? (params.shift() as string) : undefined;
      return log[level](message as object, msg);
    }
    const stack = level === 'error' && typeof params[0] === 'string' ? params[0] : undefined;
    return stack ? log[level]({ stack }, String(message)) : log[level](String(message));
  }

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }
}
