import type { INestApplicationContext } from '@nestjs/common';
import { ConfigError, loadConfig, type AppConfig } from '../platform/config/config.js';
import { loadDotEnv } from '../platform/config/env-file.js';

/** Exit status of a bad configuration (sysexits EX_CONFIG), the same for every CLI. */
export const EXIT_CONFIG = 78;

/**
 * The one-shot CLIs (`reconcile`, `retention`): `.env` read, the configuration validated (a bad
 * one is reported and answers {@link EXIT_CONFIG}), every log line on stderr so stdout carries only
 * the result, the database resolved (DATABASE_URL, or the embedded PostgreSQL), and the
 * application started without schedules or the outbox relay — the service's instances do those.
 * `work` gets the application; everything is closed after it, whatever it returns or throws.
 * The application is loaded only here, so a usage error or `--help` answers at once.
 */
export async function runOneShot(
  component: string,
  work: (app: INestApplicationContext) => Promise<number>,
): Promise<number> {
  loadDotEnv();
  let config: AppConfig;
  try {
    config = { ...loadConfig(), logDestination: 'stderr' };
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
      return EXIT_CONFIG;
    }
    throw e;
  }
  const [{ NestFactory }, { AppModule }, { resolveDatabase }, { AppLogger, createRootLogger }] = await Promise.all([
    import('@nestjs/core'),
    import('../app.module.js'),
    import('../platform/database/resolve-database.js'),
    import('../platform/observability/logger.js'),
  ]);
  const root = createRootLogger(config).child({ component });
  const database = await resolveDatabase(config, (msg) => root.info(msg));
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ ...config, databaseUrl: database.url, schedulerEnabled: false, outboxRelayEnabled: false }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(AppLogger));
  try {
    return await work(app);
  } finally {
    await app.close();
    await database.stop();
  }
}
