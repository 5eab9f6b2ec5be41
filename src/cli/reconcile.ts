/**
 * Runs the nightly reconciliation once, from the command line, and prints its run record (JSON)
 * on stdout; logs go to stderr.
 *
 *   npm run reconcile -- --as-of 2026-03-01 [--dry-run]
 *
 * --as-of defaults to today in Africa/Johannesburg. Exit status: 0 the run succeeded; 1 it
 * failed (or could not start); 2 another run is in progress (RUN_IN_PROGRESS); 64 bad arguments;
 * 78 bad configuration. Uses DATABASE_URL, or the embedded PostgreSQL under .data/ when unset.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DomainError } from '#libs/ddd/index.js';
import { ConfigError, loadConfig, type AppConfig } from '../platform/config/config.js';
import { loadDotEnv } from '../platform/config/env-file.js';
import type { RunReconciliation } from '../modules/reconciliation/application/commands/run-reconciliation/run-reconciliation.command.js';
import type { ReconciliationRunView } from '../modules/reconciliation/application/reconciliation-run.view.js';

const EXIT = { succeeded: 0, failed: 1, inProgress: 2, usage: 64, config: 78 } as const;

const USAGE = 'usage: npm run reconcile -- [--as-of YYYY-MM-DD] [--dry-run]';

function readArgs(argv: string[]): { asOf?: string; dryRun: boolean; help: boolean } | string {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'as-of': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    return { asOf: values['as-of'], dryRun: values['dry-run'], help: values.help };
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function main(): Promise<number> {
  const args = readArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (args.help) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT.succeeded;
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
  // The application is loaded only now, so a usage error or --help answers at once.
  const [
    { NestFactory },
    { CommandBus },
    { AppModule },
    { resolveDatabase },
    { AppLogger, createRootLogger },
    { RunReconciliation },
    { RunInProgress },
  ] = await Promise.all([
    import('@nestjs/core'),
    import('@nestjs/cqrs'),
    import('../app.module.js'),
    import('../platform/database/resolve-database.js'),
    import('../platform/observability/logger.js'),
    import('../modules/reconciliation/application/commands/run-reconciliation/run-reconciliation.command.js'),
    import('../modules/reconciliation/domain/reconciliation.errors.js'),
  ]);
  // stdout carries only the run record; every log line (progress included) goes to stderr.
  const root = createRootLogger(config).child({ component: 'reconcile-cli' });
  const database = await resolveDatabase(config, (msg) => root.info(msg));
  // A one-shot process: no nightly schedule and no outbox relay here (the service's instances deliver).
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ ...config, databaseUrl: database.url, schedulerEnabled: false, outboxRelayEnabled: false }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(AppLogger));
  try {
    const run = await app
      .get(CommandBus)
      .execute<RunReconciliation, ReconciliationRunView>(
        new RunReconciliation({ trigger: 'cli', asOf: args.asOf, dryRun: args.dryRun }),
      );
    process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    return run.status === 'succeeded' ? EXIT.succeeded : EXIT.failed;
  } catch (err) {
    if (err instanceof RunInProgress) {
      process.stderr.write(`RUN_IN_PROGRESS: ${err.message}\n`);
      return EXIT.inProgress;
    }
    if (err instanceof DomainError) {
      const fields = err.errors?.map((e) => ` (${e.field}: ${e.message})`).join('') ?? '';
      process.stderr.write(`${err.code}: ${err.message}${fields}\n`);
      return EXIT.usage;
    }
    throw err;
  } finally {
    await app.close();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`reconcile failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
