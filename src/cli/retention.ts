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
import type { RetentionReport } from '../platform/privacy/retention.job.js';
import { runOneShot } from './one-shot-app.js';

const EXIT = { succeeded: 0, failed: 1, usage: 64 } as const;
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

  return runOneShot('retention-cli', async (app) => {
    const { RetentionJob } = await import('../platform/privacy/retention.job.js');
    const report: RetentionReport = await app.get(RetentionJob).run();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT.succeeded;
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`retention failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
