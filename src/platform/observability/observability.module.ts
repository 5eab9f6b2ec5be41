import { randomUUID } from 'node:crypto';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/config.js';
import { BenchNoopController } from './bench-noop.controller.js';
import { DatabaseGauges } from './database-gauges.js';
import { OperationsController } from './health.controller.js';
import { AppLogger, createRootLogger, httpLogging } from './logger.js';
import { Metrics } from './metrics.js';
import { ShutdownState } from './shutdown-state.js';

/** Logs (nestjs-pino: pino + pino-http, request ids), metrics, health and shutdown state. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRoot({ pinoHttp: httpLogging(createRootLogger(config), randomUUID) })],
      // The bench's no-op route only when asked for (BENCH_NOOP_ROUTE=1).
      controllers: config.benchNoopRoute ? [OperationsController, BenchNoopController] : [OperationsController],
      providers: [Metrics, ShutdownState, AppLogger, DatabaseGauges],
      exports: [Metrics, ShutdownState, AppLogger],
    };
  }
}
