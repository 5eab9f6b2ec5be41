import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { AppModule } from './app.module.js';
import { APP_CONFIG, type AppConfig } from './platform/config/config.js';
import { answerClientErrorsAsProblems } from './platform/http/client-error.js';
import { JSON_MEDIA_TYPES, jsonOnly, keepInvalidUtf8Visible } from './platform/http/json-only.js';
import { declareProblemResponses } from './platform/http/openapi-problems.js';
import { ProblemDetailsFilter } from './platform/http/problem-details.filter.js';
import { parseQueryString } from './platform/http/query-string.js';
import { createValidationPipe } from './platform/http/validation.js';
import { WIDGET_CORS_PATHS, widgetCors } from './platform/http/widget-cors.js';
import { createRootLogger, PinoNestLogger } from './platform/observability/logger.js';
import { Metrics } from './platform/observability/metrics.js';
import { requestContext } from './platform/observability/request-context.js';
import { httpMetricsMiddleware } from './platform/observability/http-metrics.middleware.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the Nest application for a resolved config (database URL known, migrations applied). */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const root = createRootLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    rawBody: true,
    logger: new PinoNestLogger(root.child({ component: 'nest' })),
    abortOnError: false,
  });
  configureApp(app, root, config);
  return app;
}

export function configureApp(
  app: NestExpressApplication,
  root: ReturnType<typeof createRootLogger>,
  config: Pick<AppConfig, 'trustProxy'>,
): void {
  app.disable('x-powered-by');
  // Client IPs (rate limits) come from the socket unless TRUST_PROXY names the proxies to believe.
  app.set('trust proxy', config.trustProxy);
  // Query values whose percent-encoding is not UTF-8 reach the validation as invalid Unicode (400).
  app.set('query parser', parseQueryString);
  answerClientErrorsAsProblems(app.getHttpServer());
  app.use(
    pinoHttp<IncomingMessage, ServerResponse>({
      logger: root.child({ component: 'http' }),
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req: { id?: unknown }, _res: unknown, next: () => void) =>
    requestContext.run(typeof req.id === 'string' ? req.id : randomUUID(), next),
  );
  app.use(httpMetricsMiddleware(app.get(Metrics)));
  app.use(jsonOnly());
  app.useBodyParser('json', { limit: '256kb', type: JSON_MEDIA_TYPES });
  app.use(keepInvalidUtf8Visible());
  app.use(WIDGET_CORS_PATHS, widgetCors(app.get<AppConfig>(APP_CONFIG).widgetAllowedOrigins));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const document = declareProblemResponses(
    SwaggerModule.createDocument(
      app as unknown as INestApplication,
      new DocumentBuilder()
        .setTitle('CircleTel Referral & Rewards')
        .setDescription(
          'Referral codes, attribution, fraud review, rewards and free-month credits. ' +
            'Errors are RFC 9457 application/problem+json with a stable `code`.',
        )
        .setVersion('1.0.0')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .addApiKey({ type: 'apiKey', in: 'header', name: 'CircleTel-Signature' }, 'webhook-signature')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app as unknown as INestApplication, document, { jsonDocumentUrl: 'docs-json' });
}
