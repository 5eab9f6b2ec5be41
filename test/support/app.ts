import type { Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { App } from 'supertest/types.js';
import pg from 'pg';
import { CLOCK, FixedClock } from '#libs/ddd/index.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/bootstrap.js';
import { loadConfig, type AppConfig } from '../../src/platform/config/config.js';
import { TEST_JWT_SECRET } from './auth.js';
import { TEST_BILLING_SECRET } from './billing.js';
import { createTestDatabase } from './database.js';

export const TEST_OUTBOUND_SECRET = 'test-outbound-webhook-secret';

export interface TestApp {
  app: NestExpressApplication;
  server: App;
  config: AppConfig;
  clock: FixedClock;
  /** A plain pg pool on the test database, for assertions and set-up the API cannot do. */
  sql: pg.Pool;
  get<T>(token: unknown): T;
  close(): Promise<void>;
}

/**
 * The whole service (every module, real PostgreSQL — its own fresh database per call) booted
 * through @nestjs/testing. Background workers are off; tests drive them by hand. The clock is
 * fixed (wall-clock uses: manual grants, rate limits) and can be moved.
 */
export async function startTestApp(
  /** `imports`: extra test-only modules (e.g. a throwaway controller) booted alongside the app. */
  opts: {
    env?: Record<string, string>;
    now?: string;
    imports?: Type[];
    /** Use this (already migrated) database instead of a fresh one; it is left in place on close. */
    databaseUrl?: string;
  } = {},
): Promise<TestApp> {
  const db = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '5',
      JWT_SECRET: TEST_JWT_SECRET,
      BILLING_WEBHOOK_SECRET: TEST_BILLING_SECRET,
      OUTBOUND_WEBHOOK_SECRET: TEST_OUTBOUND_SECRET,
      OUTBOX_RELAY_ENABLED: 'false',
      SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...opts.env,
    },
    () => undefined,
  );
  const clock = new FixedClock(new Date(opts.now ?? '2026-06-15T10:00:00.000Z'));
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config), ...(opts.imports ?? [])] })
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: false });
  configureApp(app, config);
  await app.init();
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  // The database is dropped WITH (FORCE) at close: an idle client's error must not crash the run.
  sql.on('error', () => undefined);
  return {
    app,
    server: app.getHttpServer() as App,
    config,
    clock,
    sql,
    get: <T>(token: unknown) => app.get(token as never) as T,
    async close() {
      await app.close();
      await sql.end();
      await db.drop();
    },
  };
}
