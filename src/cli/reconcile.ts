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
import type { RunReconciliation } from '../modules/reconciliation/application/commands/run-reconciliation/run-reconciliation.command.js';
import type { ReconciliationRunView } from '../modules/reconciliation/application/reconciliation-run.view.js';
import { runOneShot } from './one-shot-app.js';

const EXIT = { succeeded: 0, failed: 1, inProgress: 2, usage: 64 } as const;

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

  return runOneShot('reconcile-cli', async (app) => {
    const [{ CommandBus }, { RunReconciliation }, { RunInProgress }] = await Promise.all([
      import('@nestjs/cqrs'),
      import('../modules/reconciliation/application/commands/run-reconciliation/run-reconciliation.command.js'),
      import('../modules/reconciliation/domain/reconciliation.errors.js'),
    ]);
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
    }
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`reconcile failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
