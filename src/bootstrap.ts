import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import type { AppConfig } from './platform/config/config.js';
import { answerClientErrorsAsProblems } from './platform/http/client-error.js';
import { JSON_MEDIA_TYPES, jsonOnly, keepInvalidUtf8Visible } from './platform/http/json-only.js';
import { buildOpenApiDocument } from './platform/http/openapi.js';
import { declareProblemResponses } from './platform/http/openapi-problems.js';
import { ProblemDetailsFilter } from './platform/http/problem-details.filter.js';
import { parseQueryString } from './platform/http/query-string.js';
import { createValidationPipe } from './platform/http/validation.js';
import { WIDGET_CORS_PATHS, widgetCors } from './platform/http/widget-cors.js';
import { AppLogger } from './platform/observability/logger.js';
import { Metrics } from './platform/observability/metrics.js';
import { httpMetricsMiddleware } from './platform/observability/http-metrics.middleware.js';

/** Builds the Nest application for a resolved config (database URL known, migrations applied). */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    rawBody: true,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(AppLogger));
  configureApp(app, config);
  return app;
}

/**
 * HTTP set-up shared by the service and the tests' apps. Logging (pino-http, request ids) is
 * nestjs-pino's LoggerModule middleware, part of the application module.
 */
export function configureApp(
  app: NestExpressApplication,
  config: Pick<AppConfig, 'trustProxy' | 'widgetAllowedOrigins'>,
): void {
  app.disable('x-powered-by');
  // Client IPs (rate limits) come from the socket unless TRUST_PROXY names the proxies to believe.
  app.set('trust proxy', config.trustProxy);
  // Query values whose percent-encoding is not UTF-8 reach the validation as invalid Unicode (400).
  app.set('query parser', parseQueryString);
  answerClientErrorsAsProblems(app.getHttpServer());
  app.use(httpMetricsMiddleware(app.get(Metrics)));
  app.use(jsonOnly());
  app.useBodyParser('json', { limit: '256kb', type: JSON_MEDIA_TYPES });
  app.use(keepInvalidUtf8Visible());
  app.use(WIDGET_CORS_PATHS, widgetCors(config.widgetAllowedOrigins));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const document = declareProblemResponses(buildOpenApiDocument(app as unknown as INestApplication));
  SwaggerModule.setup('docs', app as unknown as INestApplication, document, { jsonDocumentUrl: 'docs-json' });
}
