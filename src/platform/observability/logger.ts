import { createRequire } from 'node:module';
import { isatty } from 'node:tty';
import { Inject, Injectable } from '@nestjs/common';
import { Logger as NestPinoLogger, PARAMS_PROVIDER_TOKEN, PinoLogger, type Params } from 'nestjs-pino';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { AppConfig } from '../config/config.js';
import { ShutdownState } from './shutdown-state.js';

export type LogSettings = Pick<AppConfig, 'logLevel' | 'logFormat' | 'logDestination'>;

/** What pino-pretty leaves out of a line: fixed fields, and the request details of access logs. */
const PRETTY_IGNORE = 'pid,hostname,service,component,context,req,res,responseTime,requestId';

/**
 * The process's pino logger. JSON (one object a line) unless `logFormat` is `pretty` — the
 * development default — which renders lines through pino-pretty, synchronously, so nothing is
 * lost when the process exits. pino-pretty is a devDependency: where it is not installed
 * (`npm ci --omit=dev`), logs stay JSON. `logDestination: 'stderr'` is for the CLIs, whose
 * stdout carries their result.
 */
export function createRootLogger(settings: LogSettings): Pino {
  const fd = settings.logDestination === 'stderr' ? 2 : 1;
  const options = {
    level: settings.logLevel,
    base: { service: 'circletel-referrals' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers["circletel-signature"]'], remove: true },
  };
  const pretty = settings.logFormat === 'pretty' ? prettyStream(fd) : undefined;
  return pino(options, pretty ?? pino.destination({ dest: fd, sync: true }));
}

function prettyStream(fd: 1 | 2): DestinationStream | undefined {
  let build: (opts: Record<string, unknown>) => DestinationStream;
  try {
    build = createRequire(import.meta.url)('pino-pretty') as typeof build;
  } catch {
    return undefined; // production install without devDependencies: JSON it is
  }
  return build({
    destination: fd,
    sync: true,
    colorize: isatty(fd),
    translateTime: 'SYS:HH:MM:ss',
    ignore: PRETTY_IGNORE,
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
  });
}

/**
 * nestjs-pino's pino-http options: every request gets an id (the caller's `X-Request-Id` when it
 * is a sane token, else a new UUID), echoed in the `X-Request-Id` response header and carried by
 * every log line written while handling it (`requestId`), plus one access-log line when it ends.
 */
export function httpLogging(logger: Pino, newId: () => string): Params['pinoHttp'] {
  return {
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    quietReqLogger: true,
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (req, res, ms) => `${req.method} ${req.url} ${res.statusCode} ${Math.round(ms)} ms`,
    customErrorMessage: (req, res) => `${req.method} ${req.url} ${res.statusCode} failed`,
    autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url ?? '') },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Polled by probes and scrapers: no access-log line for them. */
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/** Nest's start-up chatter (module wiring, one line per route, "successfully started"). */
const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/**
 * nestjs-pino's Nest logger, with Nest's own start-up lines moved down to `debug`: at `info`
 * the service says what it does, not how Nest wired 17 modules and 20 routes. A failed
 * `listen` (port in use) is also `debug` here: main.ts reports it as one line saying what to do.
 */
@Injectable()
export class AppLogger extends NestPinoLogger {
  constructor(
    logger: PinoLogger,
    @Inject(PARAMS_PROVIDER_TOKEN) params: Params,
    private readonly shutdown: ShutdownState,
  ) {
    super(logger, params);
  }

  override warn(message: unknown, ...params: unknown[]): void {
    // Ctrl-C reaches the embedded PostgreSQL too: its pool's lost connections are expected then.
    if (this.shutdown.shuttingDown && params[params.length - 1] === 'PrismaService') {
      return super.debug(message, ...params);
    }
    super.warn(message, ...params);
  }

  override log(message: unknown, ...params: unknown[]): void {
    if (FRAMEWORK_CONTEXTS.has(params[params.length - 1] as string)) return super.debug(message, ...params);
    super.log(message, ...params);
  }

  override error(message: unknown, ...params: unknown[]): void {
    if (params[params.length - 1] === 'NestApplication' && /EADDRINUSE/.test(String(message))) {
      return super.debug(message, ...params);
    }
    super.error(message, ...params);
  }
}
