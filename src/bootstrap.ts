import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import type { AppConfig } from './platform/config/config.js';
import { buildOpenApiDocument } from './platform/http/openapi.js';
import { ProblemDetailsFilter } from './platform/http/problem-details.filter.js';
import { createValidationPipe } from './platform/http/validation.js';
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
  configureApp(app);
  return app;
}

/**
 * HTTP set-up shared by the service and the tests' apps. Logging (pino-http, request ids) is
 * nestjs-pino's LoggerModule middleware, part of the application module.
 */
export function configureApp(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.useBodyParser('json', { limit: '256kb', type: ['application/json', 'application/*+json'] });
  app.use(httpMetricsMiddleware(app.get(Metrics)));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const document = buildOpenApiDocument(app as unknown as INestApplication);
  SwaggerModule.setup('docs', app as unknown as INestApplication, document, { jsonDocumentUrl: 'docs-json' });
}
