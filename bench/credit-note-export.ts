/**
 * The credit-note register's CSV export at scale (SPEC §14: "the whole period as CSV, streamed"):
 * COPY-seeds a fresh database with N credit notes (default 1 000 000), starts the compiled service
 * as production runs it (`npm run build`, then `node --max-semi-space-size=32 dist/src/main.js`),
 * downloads GET /api/admin/credit-notes?from=&to= with `Accept: text/csv` for the whole period, and
 * reports the service's memory (VmRSS sampled every 20 ms from /proc/<pid>/status — its peak and its
 * value at each tenth of the download — and VmHWM, the process's peak since it started) and the
 * time. Twice: as `npm run start:prod` runs the service, and with V8's old space capped at 128 MiB
 * (completing flat there shows the export's live memory does not grow with the period). It checks
 * the file too: one header and N lines, and the CSV's incl.-VAT total (summed here as bigint) equal
 * to the JSON register's `totals`.
 *
 *   npm run bench:credit-notes                         # 1 000 000 notes
 *   npm run bench:credit-notes -- --notes 100000 --no-build --keep-db
 *
 * DATABASE_URL set: a database circletel_bench_cn_<ts> is created on that server (dropped at the end
 * unless --keep-db). Unset: an embedded PostgreSQL in a temporary directory, removed at the end.
 * Writes bench/results/credit-note-export.json and prints a line for the README.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyMigrations } from '../src/platform/database/migrations/migration-runner.js';
import { copy, uuid } from './seed.js';
import {
  freshDatabase,
  memoryOf,
  mib,
  ROOT,
  SERVICE_NODE_FLAGS,
  startService,
  withClient,
  type RunningService,
} from './support.js';

const RESULT_FILE = path.join(ROOT, 'bench', 'results', 'credit-note-export.json');
/** Credit-note numbers are CN-YYYY-NNNNN (at most 99 999 a year): the seed fills 90 000 a SAST year. */
const NOTES_PER_YEAR = 90_000;
const FIRST_YEAR = 2026;
const PRICES = [39_900, 59_900, 79_900, 99_900, 149_900];
const SAMPLE_MS = 20;

interface Args {
  notes: number;
  build: boolean;
  keepDb: boolean;
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      notes: { type: 'string', default: '1000000' },
      'no-build': { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const notes = Number(values.notes);
  if (!Number.isInteger(notes) || notes < 1) throw new Error('--notes must be a positive integer');
  return { notes, build: !values['no-build'], keepDb: values['keep-db'] };
}

// ───────────── the seed ─────────────

/**
 * N credit notes as the service issues them: 90 000 per SAST year from 2026, issued through the
 * year (every ~350 s), numbered gaplessly per year, one per reward, one service cycle each, VAT
 * split half-up at 15 %, tab-separated for COPY.
 */
function* creditNoteRows(n: number): Generator<string> {
  const yearMs = 365 * 86_400_000;
  for (let i = 0; i < n; i++) {
    const year = FIRST_YEAR + Math.floor(i / NOTES_PER_YEAR);
    const sequence = (i % NOTES_PER_YEAR) + 1;
    // 1 January 00:00 SAST + an even spread over 365 days: every note inside its SAST year.
    const issuedAt = new Date(
      Date.UTC(year, 0, 1) - 2 * 3_600_000 + Math.floor((sequence * yearMs) / (NOTES_PER_YEAR + 1)),
    );
    const month = issuedAt.getUTCMonth() + 1; // the cycle: the 1st of the month it was issued in
    const start = `${year}-${String(month).padStart(2, '0')}-01`;
    const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    const incl = PRICES[i % PRICES.length]!;
    const vat = Math.floor((incl * 30 + 115) / 230);
    yield [
      uuid(6, i),
      `CN-${year}-${String(sequence).padStart(5, '0')}`,
      year,
      sequence,
      `bcr_${i % 100_000}`,
      `svc_cn_${i}`,
      uuid(7, i),
      start,
      end,
      incl,
      vat,
      incl - vat,
      1500,
      issuedAt.toISOString(),
      uuid(5, year),
    ].join('\t');
  }
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if (args.build) {
    console.error('building (npm run build)…');
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const db = await freshDatabase('cn', args.keepDb);
  let service: RunningService | undefined;
  try {
    await applyMigrations(db.url);
    console.error(`seeding ${args.notes} credit notes with COPY…`);
    const seedStarted = Date.now();
    await withClient(db.url, async (c) => {
      await copy(
        c,
        'credit_notes',
        [
          'id',
          'number',
          'year',
          'sequence',
          'customer_id',
          'service_id',
          'reward_id',
          'period_start',
          'period_end',
          'amount_incl_vat_cents',
          'vat_amount_cents',
          'amount_excl_vat_cents',
          'vat_rate_basis_points',
          'issued_at',
          'run_id',
        ],
        creditNoteRows(args.notes),
      );
      await c.query('VACUUM ANALYZE credit_notes');
    });
    const seedMs = Date.now() - seedStarted;
    const lastYear = FIRST_YEAR + Math.floor((args.notes - 1) / NOTES_PER_YEAR);
    const from = `${FIRST_YEAR}-01-01`;
    const to = `${lastYear}-12-31`;

    const query = `from=${from}&to=${to}`;
    const runs = [];
    for (const config of SERVICE_CONFIGS) {
      console.error(`exporting with the service run as ${config.label}…`);
      service = await startService(db.url, config.extraNodeFlags);
      runs.push({ service: config.label, ...(await download(service, query, args.notes)) });
      await service.stop();
      service = undefined;
    }
    const result = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0], node: process.version },
      database: db.kind,
      request: `GET /api/admin/credit-notes?${query} (Accept: text/csv)`,
      seededNotes: args.notes,
      seedMs,
      runs,
    };
    await writeFile(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    const [prod, bounded] = runs;
    const m = prod!.serviceMemory;
    console.log(
      `\nREADME: | credit-note CSV export, ${args.notes.toLocaleString('en-ZA')} notes (${(prod!.csv.bytes / 1024 / 1024).toFixed(0)} MiB) | ` +
        `${(prod!.time.downloadMs / 1000).toFixed(1)} s, ${prod!.time.notesPerSecond.toLocaleString('en-ZA')} notes/s, first byte ${prod!.time.firstByteMs} ms | ` +
        `service RSS ${m.rssBeforeMiB} → peak ${m.rssPeakDuringDownloadMiB} MiB as start:prod runs it; ` +
        `${bounded!.serviceMemory.rssBeforeMiB} → ${bounded!.serviceMemory.rssPeakDuringDownloadMiB} MiB with --max-old-space-size=128 ` +
        `(${(bounded!.time.downloadMs / 1000).toFixed(1)} s) | totals match the register: ${runs.every((r) => r.csv.matchesJsonTotals) ? 'yes' : 'NO'} |`,
    );
    if (!runs.every((r) => r.csv.completeAndEndsWithNewline && r.csv.matchesJsonTotals)) process.exitCode = 1;
  } finally {
    await service?.stop();
    await db.drop();
  }
}

/**
 * The service as `npm run start:prod` runs it, then the same with V8's old space capped at 128 MiB:
 * V8 grows its heap lazily while garbage is cheap to keep, so the first shows what production
 * uses and the second that the export's live memory does not grow with the period (it completes,
 * RSS flat, at any size).
 */
const SERVICE_CONFIGS = [
  { label: `node ${SERVICE_NODE_FLAGS.join(' ')} dist/src/main.js (npm run start:prod)`, extraNodeFlags: [] },
  {
    label: `node ${SERVICE_NODE_FLAGS.join(' ')} --max-old-space-size=128 dist/src/main.js`,
    extraNodeFlags: ['--max-old-space-size=128'],
  },
];

/** Downloads the CSV, checking it, while sampling the service's RSS. */
async function download(service: RunningService, query: string, expectedNotes: number) {
  const auth = service.admin(['referrals:view']);
  const page = await fetch(`${service.url}/api/admin/credit-notes?${query}&limit=1`, { headers: auth });
  const json = (await page.json()) as { totals: { count: number; inclVat: string } };
  const before = memoryOf(service.pid);
  const samples: { atMs: number; rssKiB: number }[] = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    try {
      samples.push({ atMs: performance.now() - started, rssKiB: memoryOf(service.pid).rssKiB });
    } catch {
      /* the process is gone */
    }
  }, SAMPLE_MS);
  const res = await fetch(`${service.url}/api/admin/credit-notes?${query}`, {
    headers: { ...auth, Accept: 'text/csv' },
  });
  if (!res.ok || !res.body) throw new Error(`the export answered ${res.status}: ${await res.text()}`);
  let firstByteMs = 0;
  let bytes = 0;
  let lines = 0;
  let rest = '';
  let inclCents = 0n;
  let header = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (bytes === 0) firstByteMs = performance.now() - started;
    bytes += chunk.length;
    const text = rest + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      if (lines++ === 0) {
        header = line;
        continue;
      }
      inclCents += BigInt(line.split(',')[8]!.replace('.', ''));
    }
  }
  const downloadMs = performance.now() - started;
  clearInterval(sampler);
  const after = memoryOf(service.pid);
  const notes = lines - 1;
  const rand = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
  const peakKiB = Math.max(before.rssKiB, ...samples.map((s) => s.rssKiB));
  // RSS at each tenth of the download: flat when the live memory does not grow with the rows sent.
  const byTenth = Array.from({ length: 10 }, (_, k) => {
    const until = ((k + 1) / 10) * downloadMs;
    const upTo = samples.filter((s) => s.atMs <= until);
    return mib(upTo.length ? upTo[upTo.length - 1]!.rssKiB : before.rssKiB);
  });
  return {
    csv: {
      notes,
      bytes,
      header,
      completeAndEndsWithNewline: rest === '' && notes === expectedNotes,
      inclVatTotal: rand(inclCents),
      matchesJsonTotals: json.totals.count === notes && json.totals.inclVat === rand(inclCents),
    },
    time: {
      firstByteMs: Math.round(firstByteMs),
      downloadMs: Math.round(downloadMs),
      notesPerSecond: Math.round(notes / (downloadMs / 1000)),
      mibPerSecond: Math.round((bytes / 1024 / 1024 / (downloadMs / 1000)) * 10) / 10,
    },
    serviceMemory: {
      rssBeforeMiB: mib(before.rssKiB),
      rssPeakDuringDownloadMiB: mib(peakKiB),
      rssGrowthMiB: mib(peakKiB - before.rssKiB),
      rssAtEachTenthMiB: byTenth,
      vmHwmSinceStartMiB: mib(after.hwmKiB),
      sampleEveryMs: SAMPLE_MS,
    },
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
