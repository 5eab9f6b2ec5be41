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
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { pino } from 'pino';
import { DomainError } from '#libs/ddd/index.js';
import { AppModule } from '../app.module.js';
import { ConfigError, loadConfig, type AppConfig } from '../platform/config/config.js';
import { resolveDatabase } from '../platform/database/resolve-database.js';
import { PinoNestLogger } from '../platform/observability/logger.js';
import { RunReconciliation } from '../modules/reconciliation/application/commands/run-reconciliation/run-reconciliation.command.js';
import type { ReconciliationRunView } from '../modules/reconciliation/application/reconciliation-run.view.js';
import { RunInProgress } from '../modules/reconciliation/domain/reconciliation.errors.js';

const EXIT = { succeeded: 0, failed: 1, inProgress: 2, usage: 64, config: 78 } as const;

const USAGE = 'usage: npm run reconcile -- [--as-of YYYY-MM-DD] [--dry-run]';

function parseArgs(argv: string[]): { asOf?: string; dryRun: boolean } | string {
  let asOf: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dry-run') dryRun = true;
    else if (arg === '--as-of') {
      asOf = argv[++i];
      if (asOf === undefined) return '--as-of needs a date YYYY-MM-DD';
    } else if (arg.startsWith('--as-of=')) asOf = arg.slice('--as-of='.length);
    else if (arg === '--help' || arg === '-h') return USAGE;
    else return `unknown argument ${JSON.stringify(arg)}`;
  }
  return { asOf, dryRun };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(args === USAGE ? `${USAGE}\n` : `${args}\n${USAGE}\n`);
    return args === USAGE ? EXIT.succeeded : EXIT.usage;
  }

  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
      return EXIT.config;
    }
    throw e;
  }
  // stdout carries only the run record; every log line goes to stderr.
  const root = pino(
    {
      level: config.logLevel,
      base: { service: 'circletel-referrals', component: 'reconcile-cli' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination(2),
  );
  const database = await resolveDatabase(config, (msg) => root.info(msg));
  // A one-shot process: no nightly schedule and no outbox relay here (the service's instances deliver).
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ ...config, databaseUrl: database.url, schedulerEnabled: false, outboxRelayEnabled: false }),
    { logger: new PinoNestLogger(root), abortOnError: false },
  );
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
