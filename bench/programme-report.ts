/**
 * The programme report's cost (SPEC §14): its liability at each month end asks BillingIntegration's
 * free-month planner — the nightly run's own — for every reward pending then, so a long period costs
 * one planning pass per month. Seeds the nightly bench's book of referrals (bench/seed.ts: rewards
 * pending, applied and expired, services with price changes) into a fresh database, starts the
 * compiled service and times GET /api/admin/reports/programme for periods of 1, 12 and 36 months
 * ending today, with the service's memory.
 *
 *   npm run bench:programme-report                      # 100 000 referrals (10 000 referrers)
 *   npm run bench:programme-report -- --referrals 1000000 --no-build
 *
 * Writes bench/results/programme-report.json.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applyMigrations } from '../src/platform/database/migrations/migration-runner.js';
import { addDays, sastToday, seed } from './seed.js';
import { freshDatabase, memoryOf, mib, ROOT, startService, type RunningService } from './support.js';

const RESULT_FILE = path.join(ROOT, 'bench', 'results', 'programme-report.json');

interface Args {
  referrals: number;
  build: boolean;
  keepDb: boolean;
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      referrals: { type: 'string', default: '100000' },
      'no-build': { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const referrals = Number(values.referrals);
  if (!Number.isInteger(referrals) || referrals < 10 || referrals % 10 !== 0)
    throw new Error('--referrals must be a positive multiple of 10');
  return { referrals, build: !values['no-build'], keepDb: values['keep-db'] };
}

/** The first day of the month `months - 1` months before today's. */
function monthsBack(today: string, months: number): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) - (months - 1);
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-01`;
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if (args.build) {
    console.error('building (npm run build)…');
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const db = await freshDatabase('report', args.keepDb);
  let service: RunningService | undefined;
  try {
    await applyMigrations(db.url);
    const today = sastToday();
    console.error(`seeding ${args.referrals} referrals (bench/seed.ts, asOf ${today})…`);
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    const seeded = await seed(pool, { referrals: args.referrals, asOf: today });
    const rewards = (
      await pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM rewards GROUP BY 1')
    ).rows;
    await pool.end();

    service = await startService(db.url);
    const auth = service.admin(['referrals:view']);
    const runs = [];
    for (const months of [1, 12, 36]) {
      const from = monthsBack(today, months);
      const before = memoryOf(service.pid);
      const started = performance.now();
      const res = await fetch(`${service.url}/api/admin/reports/programme?from=${from}&to=${today}`, { headers: auth });
      const body = (await res.json()) as {
        months: { month: string; liabilityAtMonthEnd: { pendingRewards: number; amount: string } }[];
      };
      const ms = performance.now() - started;
      if (!res.ok) throw new Error(`the report answered ${res.status}: ${JSON.stringify(body)}`);
      const after = memoryOf(service.pid);
      const pending = body.months.map((m) => m.liabilityAtMonthEnd.pendingRewards);
      runs.push({
        months,
        from,
        to: today,
        ms: Math.round(ms),
        msPerMonth: Math.round(ms / months),
        pendingRewardsPlanned: pending.reduce((a, b) => a + b, 0),
        largestMonth: Math.max(...pending),
        latestLiability: body.months[body.months.length - 1]!.liabilityAtMonthEnd,
        serviceRssMiB: { before: mib(before.rssKiB), after: mib(after.rssKiB), peakSinceStart: mib(after.hwmKiB) },
      });
      console.error(`${months} months: ${Math.round(ms)} ms`);
    }
    const result = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0], node: process.version },
      database: db.kind,
      seeded: { referrals: seeded.referrals, referrers: seeded.referrers, seedMs: Math.round(seeded.ms), rewards },
      note: `liability planned with PlanFreeMonths as of each month's last day (or ${addDays(today, 0)}, today)`,
      runs,
    };
    await writeFile(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await service?.stop();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
