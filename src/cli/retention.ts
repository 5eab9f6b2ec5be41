/**
 * Runs the retention job (SPEC §16) once, from the command line, and prints what it removed per
 * table (JSON) on stdout; logs go to stderr.
 *
 *   npm run retention
 *
 * The windows are RETENTION_OUTBOX_DAYS, RETENTION_INBOUND_PAYLOAD_DAYS, RETENTION_RATE_LIMIT_DAYS
 * and RETENTION_IDEMPOTENCY_DAYS (.env.example). Exit status: 0 done; 1 failed; 64 bad arguments;
 * 78 bad configuration. Uses DATABASE_URL, or the embedded PostgreSQL under .data/ when unset.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type AppConfig } from '../platform/config/config.js';
import { loadDotEnv } from '../platform/config/env-file.js';
import type { RetentionReport } from '../platform/privacy/retention.job.js';

const EXIT = { succeeded: 0, failed: 1, usage: 64, config: 78 } as const;
const USAGE = 'usage: npm run retention';

async function main(): Promise<number> {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: { help: { type: 'boolean', short: 'h', default: false } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stderr.write(`${USAGE}\n`);
      return EXIT.succeeded;
    }
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return EXIT.usage;
  }

  loadDotEnv();
  let config: AppConfig;
  try {
    config = { ...loadConfig(), logDestination: 'stderr' };
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
      return EXIT.config;
    }
    throw e;
  }
  const [{ NestFactory }, { AppModule }, { resolveDatabase }, { AppLogger, createRootLogger }, { RetentionJob }] =
    await Promise.all([
      import('@nestjs/core'),
      import('../app.module.js'),
      import('../platform/database/resolve-database.js'),
      import('../platform/observability/logger.js'),
      import('../platform/privacy/retention.job.js'),
    ]);
  const root = createRootLogger(config).child({ component: 'retention-cli' });
  const database = await resolveDatabase(config, (msg) => root.info(msg));
  // A one-shot process: no schedules and no outbox relay here.
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ ...config, databaseUrl: database.url, schedulerEnabled: false, outboxRelayEnabled: false }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(AppLogger));
  try {
    const report: RetentionReport = await app.get(RetentionJob).run();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT.succeeded;
  } finally {
    await app.close();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`retention failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
