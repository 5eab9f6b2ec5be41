/**
 * The benchmark (issue 5): seeds fresh databases with COPY, measures the nightly reconciliation
 * (separate process: wall time, rates, peak RSS), a raw-insert baseline from a plain pg client,
 * and the HTTP API under load (autocannon in this process, the service in another), then writes
 * bench/results/latest.{json,md} (and <scale>.{json,md}) and prints the table.
 *
 *   npm run bench                      # --scale full: 100 000 and 1 000 000 referrals, ~20 s HTTP runs
 *   npm run bench -- --scale small     # 100 000 referrals, ~10 s HTTP runs (under two minutes)
 *
 * Options: --fast-db (embedded PostgreSQL with fsync/synchronous_commit off; default: durable,
 * as production), --skip-http, --skip-nightly, --duration <s> (HTTP runs), --keep-db, --only <text>
 * (only the HTTP scenarios whose name contains it). BENCH_SERVICE_NODE_FLAGS adds node flags to the
 * service (e.g. --cpu-prof).
 * DATABASE_URL set: databases circletel_bench_<ts>_* are created on that server and dropped at the
 * end. Unset: an embedded PostgreSQL in a temporary directory, removed at the end.
 *
 * Builds first (npm run build) and measures the compiled service and CLI, as production runs them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, chmod, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres.js';
import { applyMigrations } from '../src/platform/database/migrations/migration-runner.js';
import { signPayload } from '../src/platform/http/webhook-signature.js';
import { REFERRALS_PER_REFERRER, referralCodeOf, referrerId, sastToday, seed, type SeedResult } from './seed.js';
import { runAttributionLimit, type LimitResult, type SignupInput } from './attribution-limit.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
/**
 * What is measured is the production build (`npm run build` → dist/), run as production runs it:
 * the service as `npm run start:prod` (node --max-semi-space-size=32 dist/src/main.js), the nightly CLI with the heap bounds of `npm run
 * reconcile:prod` (a batch job whose live set is one batch: a small old space keeps its RSS flat).
 */
/**
 * The service as `npm run start:prod` runs it: `--max-semi-space-size=32` (a larger young
 * generation: fewer scavenges under load, +5–15 % req/s measured). BENCH_SERVICE_NODE_FLAGS adds
 * flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` profiles the service under load).
 */
const SERVICE_NODE_FLAGS = [
  '--max-semi-space-size=32',
  ...(process.env.BENCH_SERVICE_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
];
const SERVICE_CMD = [process.execPath, ...SERVICE_NODE_FLAGS, 'dist/src/main.js'];
/**
 * As `npm run reconcile:prod`: a small old space (the live set is one batch) and young generation,
 * and `--liftoff-only` — V8 keeps only its baseline compilation of Prisma's wasm query compiler
 * instead of adding optimised code beside it: −40 to −50 MiB of peak RSS, ~+10 % run time
 * (bench/README.md, round 2).
 */
const NIGHTLY_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=2', '--liftoff-only'];
const NIGHTLY_CMD = [process.execPath, ...NIGHTLY_NODE_FLAGS, 'dist/src/cli/reconcile.js'];

const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef';
const BILLING_SECRET = 'bench-billing-webhook-secret';
const OUTBOUND_SECRET = 'bench-outbound-webhook-secret';
const POOL_SIZE = 10;
const CONNECTIONS = 50;
/** The public code check is rate-limited per IP (30/min); the bench lifts it (noted in the results). */
const CODE_LOOKUP_RATE_LIMIT = 100_000;

// ───────────── arguments ─────────────

interface Args {
  /** small: 100 000 referrals, short HTTP runs (< 3 min); full: 100 000 and 1 000 000; nightly: the 1 000 000 nightly run only. */
  scale: 'small' | 'full' | 'nightly';
  fastDb: boolean;
  skipHttp: boolean;
  skipNightly: boolean;
  duration?: number;
  keepDb: boolean;
  /** --skip-scale-out: no 2- and 3-process runs. */
  skipScaleOut: boolean;
  /** --only <text>: only the HTTP scenarios whose name contains it (a partial run). */
  only?: string;
  /** --nightly-only <n>: only the nightly run, over n referrals (a partial run; checks the seed model quickly). */
  nightlyOnly?: number;
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: 'full' },
      'fast-db': { type: 'boolean', default: false },
      'skip-http': { type: 'boolean', default: false },
      'skip-nightly': { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
      'skip-scale-out': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      duration: { type: 'string' },
      'nightly-only': { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const scale = values.scale;
  if (scale !== 'small' && scale !== 'full' && scale !== 'nightly')
    throw new Error('--scale is small, full or nightly');
  return {
    scale,
    fastDb: values['fast-db'],
    skipHttp: values['skip-http'],
    skipNightly: values['skip-nightly'],
    keepDb: values['keep-db'],
    skipScaleOut: values['skip-scale-out'],
    ...(values.duration === undefined ? {} : { duration: Number(values.duration) }),
    ...(values['nightly-only'] === undefined ? {} : { nightlyOnly: Number(values['nightly-only']) }),
    ...(values.only === undefined ? {} : { only: values.only }),
  };
}

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

// ───────────── database server ─────────────

interface Server {
  adminUrl: string;
  urlOf(db: string): string;
  kind: string;
  stop(): Promise<void>;
}

async function startServer(args: Args): Promise<Server> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const admin = new URL(given);
    admin.pathname = '/postgres';
    return {
      adminUrl: admin.toString(),
      urlOf: (db) => {
        const u = new URL(given);
        u.pathname = `/${db}`;
        return u.toString();
      },
      kind: 'DATABASE_URL server',
      stop: async () => {},
    };
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'circletel-bench-'));
  await chmod(tmp, 0o755);
  // persistent: true keeps PostgreSQL's durable defaults (fsync, synchronous_commit on); we delete the directory ourselves.
  // pg_stat_statements preloaded: the bench reads each endpoint's statements per request from it.
  const server = await startEmbeddedPostgres({
    dataDir: path.join(tmp, 'data'),
    port: 0,
    persistent: !args.fastDb,
    extraFlags: ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track_utility=on'],
  });
  return {
    adminUrl: server.adminUrl,
    urlOf: (db) => server.adminUrl.replace(/\/postgres$/, `/${db}`),
    kind: `embedded PostgreSQL (${args.fastDb ? 'fsync/synchronous_commit off' : 'durable defaults: fsync on, synchronous_commit on'})`,
    stop: async () => {
      await server.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

async function admin<T>(server: Server, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: server.adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

// ───────────── child processes ─────────────

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function serviceEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    JWT_SECRET,
    BILLING_WEBHOOK_SECRET: BILLING_SECRET,
    OUTBOUND_WEBHOOK_SECRET: OUTBOUND_SECRET,
    LOG_LEVEL: 'warn',
    OUTBOX_RELAY_ENABLED: 'false',
    SCHEDULER_ENABLED: 'false',
    CODE_LOOKUP_RATE_LIMIT: String(CODE_LOOKUP_RATE_LIMIT),
    // autocannon connects from loopback and names a client IP per connection in X-Forwarded-For.
    TRUST_PROXY: 'loopback',
    ...extra,
  };
}

interface NightlyResult {
  referrals: number;
  referrers: number;
  asOf: string;
  seedMs: number;
  seededRows: Record<string, number>;
  seededByStatus: Record<string, number>;
  expected: SeedResult['expected'];
  expectedCreditsTotal: string;
  counts: Record<string, number>;
  countsMatchModel: boolean;
  creditsTotal: string;
  status: string;
  /** Process start to exit (Node start, Nest boot, the run, shutdown). */
  wallMs: number;
  /** The run record's startedAt → finishedAt. */
  runMs: number;
  referralsPerSecond: number;
  creditsPerSecond: number;
  peakRssMiB: number;
  exitCode: number | null;
  command: string;
}

/** Runs the reconciliation CLI under /usr/bin/time -v (peak RSS = "Maximum resident set size"). */
async function runNightly(databaseUrl: string, asOf: string, seeded: SeedResult): Promise<NightlyResult> {
  const cliArgs = [...NIGHTLY_CMD, '--as-of', asOf];
  const useTime = await import('node:fs').then((fs) => fs.existsSync('/usr/bin/time'));
  const [cmd, ...cmdArgs] = useTime ? ['/usr/bin/time', '-v', ...cliArgs] : cliArgs;
  const t0 = performance.now();
  const child = spawn(cmd!, cmdArgs, { cwd: ROOT, env: serviceEnv(databaseUrl), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Fallback when /usr/bin/time is missing: sample VmHWM of the process.
  let hwmKb = 0;
  const sampler = useTime
    ? undefined
    : setInterval(() => {
        import('node:fs').then((fs) => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
          } catch {
            /* exited */
          }
        });
      }, 50);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const wallMs = performance.now() - t0;
  if (sampler) clearInterval(sampler);
  const rssMatch = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const peakKb = rssMatch ? Number(rssMatch[1]) : hwmKb;
  let run: {
    status: string;
    startedAt: string;
    finishedAt: string;
    creditsTotal: string;
    counts: Record<string, number>;
  };
  try {
    run = JSON.parse(stdout);
  } catch {
    throw new Error(`reconcile printed no run record (exit ${exitCode}):\n${stderr.slice(-4000)}`);
  }
  if (run.status !== 'succeeded') log(`nightly run ${run.status}: ${stderr.slice(-2000)}`);
  const runMs = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  const credits = run.counts.rewardsApplied ?? 0;
  const counts = run.counts;
  const countsMatchModel =
    Object.entries(seeded.expected).every(([k, v]) => counts[k] === v) &&
    run.creditsTotal === seeded.expectedCreditsTotal;
  return {
    referrals: seeded.referrals,
    referrers: seeded.referrers,
    asOf,
    seedMs: seeded.ms,
    seededRows: seeded.rows,
    seededByStatus: seeded.byStatus,
    expected: seeded.expected,
    expectedCreditsTotal: seeded.expectedCreditsTotal,
    counts,
    countsMatchModel,
    creditsTotal: run.creditsTotal,
    status: run.status,
    wallMs: Math.round(wallMs),
    runMs,
    referralsPerSecond: Math.round(seeded.referrals / (wallMs / 1000)),
    creditsPerSecond: Math.round((credits / (wallMs / 1000)) * 10) / 10,
    peakRssMiB: Math.round((peakKb / 1024) * 10) / 10,
    exitCode,
    command: `DATABASE_URL=… ${useTime ? '/usr/bin/time -v ' : ''}node ${NIGHTLY_NODE_FLAGS.join(' ')} dist/src/cli/reconcile.js --as-of ${asOf}`,
  };
}

async function startService(databaseUrl: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(SERVICE_CMD[0]!, SERVICE_CMD.slice(1), {
    cwd: ROOT,
    // BENCH_NOOP_ROUTE=1 mounts GET /api/dev/noop, the HTTP stack's ceiling the reads are compared with.
    env: serviceEnv(databaseUrl, { PORT: String(port), BENCH_NOOP_ROUTE: '1' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}):\n${stderr.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the service was not ready within 90 s:\n${stderr.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

// ───────────── raw insert baseline ─────────────

interface Baseline {
  description: string;
  poolSize: number;
  concurrency: number;
  durationS: number;
  inserts: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function rawInsertBaseline(databaseUrl: string, durationS: number): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_scratch (id bigserial PRIMARY KEY, event_id uuid NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  const latencies: number[] = [];
  const loop = async (until: number, record: boolean) => {
    while (performance.now() < until) {
      const t = performance.now();
      await pool.query('INSERT INTO bench_scratch (event_id, payload) VALUES ($1, $2)', [
        randomUUID(),
        'customer.created',
      ]);
      if (record) latencies.push(performance.now() - t);
    }
  };
  const warm = performance.now() + 1_000;
  await Promise.all(Array.from({ length: CONNECTIONS }, () => loop(warm, false)));
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, () => loop(t0 + durationS * 1000, true)));
  const elapsed = (performance.now() - t0) / 1000;
  await pool.query('DROP TABLE bench_scratch');
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    description: `pg.Pool(max ${POOL_SIZE}), ${CONNECTIONS} concurrent loops, one autocommit INSERT of one row per transaction into a scratch table`,
    poolSize: POOL_SIZE,
    concurrency: CONNECTIONS,
    durationS,
    inserts: latencies.length,
    perSecond: Math.round(latencies.length / elapsed),
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
  };
}

// ───────────── CPU and statements per request ─────────────

const CLK_TCK = 100;

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

/** PostgreSQL backends connected to database `db` (their command line names it). */
function backendsOf(db: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres: ') && cmd.includes(` ${db} `)) pids.push(Number(name));
    } catch {
      /* exited */
    }
  }
  return pids;
}

function machineBusyTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3]! + (cpu[4] ?? 0);
  return { busy: total - idle, total };
}

interface CpuSample {
  service: number;
  backends: Map<number, number>;
  bench: NodeJS.CpuUsage;
  machine: { busy: number; total: number };
  at: number;
}

function cpuSample(servicePids: number[], db: string): CpuSample {
  return {
    service: servicePids.reduce((a, pid) => a + ticksOf(pid), 0),
    backends: new Map(backendsOf(db).map((pid) => [pid, ticksOf(pid)])),
    bench: process.cpuUsage(),
    machine: machineBusyTicks(),
    at: performance.now(),
  };
}

/** CPU per request (ms) of the service process(es), PostgreSQL's backends of this database and the load generator (this process). */
interface CpuPerRequest {
  serviceMs: number;
  postgresMs: number;
  loadGeneratorMs: number;
  /** Busy share of the whole machine (every process, other users' too) during the run. */
  machineBusyPct: number;
}

function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): CpuPerRequest {
  const per = (ticks: number) => Math.round(((ticks * 1000) / CLK_TCK / Math.max(requests, 1)) * 1000) / 1000;
  let pgTicks = 0;
  for (const [pid, t] of after.backends) pgTicks += t - (before.backends.get(pid) ?? 0);
  const m = { busy: after.machine.busy - before.machine.busy, total: after.machine.total - before.machine.total };
  const benchMicros = after.bench.user + after.bench.system - before.bench.user - before.bench.system;
  return {
    serviceMs: per(after.service - before.service),
    postgresMs: per(pgTicks),
    loadGeneratorMs: Math.round((benchMicros / 1000 / Math.max(requests, 1)) * 1000) / 1000,
    machineBusyPct: Math.round((m.busy / Math.max(m.total, 1)) * 1000) / 10,
  };
}

interface StatementStat {
  query: string;
  calls: number;
  callsPerRequest: number;
  meanMs: number;
  totalMs: number;
}

interface StatementProfile {
  /** Statements PostgreSQL executed per request (BEGIN and COMMIT included). */
  statementsPerRequest: number;
  /** Execution time in PostgreSQL per request (ms; planning and network not included). */
  execMsPerRequest: number;
  /** Statements per COMMIT (writes: per transaction, which does not depend on requests in flight at the run's edges). */
  statementsPerCommit: number | null;
  top: StatementStat[];
}

/** pg_stat_statements of one database, when the server preloads it (the embedded server does; see startServer). */
class Statements {
  available = false;
  reason = '';
  constructor(private readonly url: string) {}

  async init(): Promise<void> {
    try {
      await this.run((c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
      await this.run((c) => c.query('SELECT pg_stat_statements_reset()'));
      this.available = true;
    } catch (err) {
      this.reason = `pg_stat_statements unavailable: ${(err as Error).message} (shared_preload_libraries must name it; the embedded server started without DATABASE_URL does)`;
    }
  }

  async reset(): Promise<void> {
    if (this.available) await this.run((c) => c.query('SELECT pg_stat_statements_reset()'));
  }

  async read(requests: number): Promise<StatementProfile | null> {
    if (!this.available) return null;
    const rows = await this.run(
      async (c) =>
        (
          await c.query<{ query: string; calls: string; total: number; mean: number }>(
            `SELECT query, calls::text, total_exec_time AS total, mean_exec_time AS mean FROM pg_stat_statements
              WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND query NOT LIKE '%pg_stat_statements%'
              ORDER BY total_exec_time DESC`,
          )
        ).rows,
    );
    const n = Math.max(requests, 1);
    const calls = rows.reduce((a, r) => a + Number(r.calls), 0);
    const total = rows.reduce((a, r) => a + r.total, 0);
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const commits = rows.filter((r) => /^commit$/i.test(r.query.trim())).reduce((a, r) => a + Number(r.calls), 0);
    return {
      statementsPerCommit: commits > 0 ? Math.round((calls / commits) * 100) / 100 : null,
      statementsPerRequest: Math.round((calls / n) * 100) / 100,
      execMsPerRequest: r3(total / n),
      top: rows.slice(0, 8).map((r) => ({
        query: r.query.replace(/\s+/g, ' ').trim().slice(0, 140),
        calls: Number(r.calls),
        callsPerRequest: Math.round((Number(r.calls) / n) * 100) / 100,
        meanMs: r3(r.mean),
        totalMs: Math.round(r.total),
      })),
    };
  }

  private async run<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: this.url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }
}

// ───────────── HTTP scenarios ─────────────

type ScenarioKey = 'noop' | 'attribution' | 'list' | 'mycode' | 'codecheck' | 'codecheck1ip';

interface HttpResult {
  key: ScenarioKey;
  name: string;
  method: string;
  path: string;
  kind: 'write' | 'read' | 'noop';
  /** closed: 50 connections, each sends its next request when the last one answers (the maximum). open: a fixed arrival rate. */
  mode: 'closed' | 'open';
  /** Open loop: the rate asked for (70 % of the closed-loop maximum). */
  targetRate?: number;
  /** Service processes the connections were spread over (1: the plain run). */
  instances: number;
  connections: number;
  durationS: number;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  ratioToBaseline?: number;
  cpu?: CpuPerRequest;
  statements?: StatementProfile | null;
  note: string;
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** One signup with a referral code: a new event id and customer each time (the same for the HTTP runs and the limit). */
function newSignup(codes: string[]): SignupInput {
  const id = randomUUID();
  const n = Math.floor(Math.random() * 0xffffff);
  return {
    eventId: `evt_${id}`,
    customerId: `bench_${id}`,
    name: 'Bench Customer',
    email: `bench.${id}@example.com`,
    phone: `084${String(n % 10_000_000).padStart(7, '0')}`,
    address: `${n} Bench Street, Cape Town`,
    code: pick(codes),
    source: 'url_param',
    signupIp: `100.${(n >>> 16) & 63}.${(n >>> 8) & 255}.${n & 255}`,
    occurredAt: new Date(),
  };
}

/** Referrers with an active service (r % 50 ≠ 1 in the seed), so attributions pass REFERRER_INACTIVE. */
function activeCodes(referrers: number): { active: number[]; codes: string[] } {
  const active: number[] = [];
  for (let r = 0; r < referrers && active.length < 20_000; r += 1) if (r % 50 !== 1) active.push(r);
  return { active, codes: active.map(referralCodeOf) };
}

interface Scenario {
  key: ScenarioKey;
  name: string;
  method: string;
  path: string;
  kind: 'write' | 'read' | 'noop';
  note: string;
  oneIp?: boolean;
  request: AutocannonRequest;
}

function scenarios(referrers: number): Scenario[] {
  const { active, codes } = activeCodes(referrers);
  const tokens = active
    .slice(0, 2_000)
    .map(
      (r) =>
        `Bearer ${jwt.sign({ sub: referrerId(r), role: 'customer' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: '2h' })}`,
    );
  let ipSeq = 0;
  return [
    {
      key: 'noop',
      name: 'no-op route (GET /api/dev/noop)',
      method: 'GET',
      path: '/api/dev/noop',
      kind: 'noop',
      note: 'the HTTP stack alone (Express, pino-http, Nest guards/interceptors/filters, metrics): no auth, no database; mounted with BENCH_NOOP_ROUTE=1',
      request: { method: 'GET', path: '/api/dev/noop' },
    },
    {
      key: 'attribution',
      name: 'attribution (signed customer.created with a referral code)',
      method: 'POST',
      path: '/api/integrations/billing/events',
      kind: 'write',
      note: `each request a new event id and a new customer, a code of one of ${codes.length} referrers, signed (HMAC) per request`,
      request: {
        method: 'POST',
        path: '/api/integrations/billing/events',
        setupRequest: (req) => {
          const s = newSignup(codes);
          const body = JSON.stringify({
            id: s.eventId,
            type: 'customer.created',
            occurredAt: s.occurredAt.toISOString(),
            data: {
              customerId: s.customerId,
              name: s.name,
              email: s.email,
              phone: s.phone,
              installationAddress: s.address,
              referralCode: s.code,
              referralSource: s.source,
              signupIp: s.signupIp,
            },
          });
          return {
            ...req,
            body,
            headers: { 'content-type': 'application/json', 'circletel-signature': signPayload(BILLING_SECRET, body) },
          };
        },
      },
    },
    {
      key: 'list',
      name: 'list my referrals (GET /api/customer/referrals)',
      method: 'GET',
      path: '/api/customer/referrals',
      kind: 'read',
      note: `JWT of one of ${tokens.length} referrers per request (10 referrals each, first page of 20 + stats)`,
      request: {
        method: 'GET',
        path: '/api/customer/referrals',
        setupRequest: (req) => ({ ...req, headers: { authorization: pick(tokens) } }),
      },
    },
    {
      key: 'mycode',
      name: 'my code (POST /api/customer/referrals)',
      method: 'POST',
      path: '/api/customer/referrals',
      kind: 'read',
      note: 'get-or-create for customers who already have a code (200): code + stats + reward balance',
      request: {
        method: 'POST',
        path: '/api/customer/referrals',
        setupRequest: (req) => ({ ...req, headers: { authorization: pick(tokens) } }),
      },
    },
    {
      key: 'codecheck',
      name: 'code check (GET /api/referral-codes/{code})',
      method: 'GET',
      path: '/api/referral-codes/{code}',
      kind: 'read',
      note: `public, rate limit counted in PostgreSQL per client IP; CODE_LOOKUP_RATE_LIMIT=${CODE_LOOKUP_RATE_LIMIT}/min for the bench; one client IP per connection (X-Forwarded-For from loopback, trusted with TRUST_PROXY=loopback)`,
      request: {
        method: 'GET',
        path: '/api/referral-codes/x',
        setupRequest: (req, context) => {
          context.ip ??= `198.51.100.${(ipSeq++ % 250) + 1}`;
          return {
            ...req,
            path: `/api/referral-codes/${pick(codes)}`,
            headers: { 'x-forwarded-for': context.ip as string },
          };
        },
      },
    },
    {
      key: 'codecheck1ip',
      name: 'code check, all from ONE client IP',
      oneIp: true,
      method: 'GET',
      path: '/api/referral-codes/{code}',
      kind: 'read',
      note: 'same as above but every request from one IP: all requests increment the same rate_limit_buckets row',
      request: {
        method: 'GET',
        path: '/api/referral-codes/x',
        setupRequest: (req) => ({
          ...req,
          path: `/api/referral-codes/${pick(codes)}`,
          headers: { 'x-forwarded-for': '198.51.100.254' },
        }),
      },
    },
  ];
}

/**
 * The same load spread over several service instances (as behind a load balancer): the
 * connections split evenly, one autocannon per instance, all at once. Throughput and counts are
 * summed; each latency percentile is the worst instance's (conservative: the combined p99 lies
 * between the instances' p99s). `rate`: an open-loop arrival rate, split the same way.
 */
async function loadSpread(
  urls: string[],
  request: AutocannonRequest,
  durationS: number,
  rate?: number,
): Promise<AutocannonResult> {
  const parts = await Promise.all(
    urls.map((url, i) => {
      const connections = Math.floor(CONNECTIONS / urls.length) + (i < CONNECTIONS % urls.length ? 1 : 0);
      return autocannon({
        url,
        connections,
        duration: durationS,
        timeout: 10,
        requests: [request],
        ...(rate ? { overallRate: Math.max(1, Math.round((rate * connections) / CONNECTIONS)) } : {}),
      });
    }),
  );
  if (parts.length === 1) return parts[0]!;
  const sum = (f: (r: AutocannonResult) => number) => parts.reduce((a, r) => a + f(r), 0);
  const worst = (f: (r: AutocannonResult) => number) => Math.max(...parts.map(f));
  const statusCodeStats: Record<string, { count: number }> = {};
  for (const r of parts) {
    for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) {
      statusCodeStats[code] = { count: (statusCodeStats[code]?.count ?? 0) + v.count };
    }
  }
  return {
    ...parts[0]!,
    '2xx': sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodeStats,
    requests: { ...parts[0]!.requests, average: sum((r) => r.requests.average) },
    latency: {
      ...parts[0]!.latency,
      p50: worst((r) => r.latency.p50),
      p90: worst((r) => r.latency.p90),
      p99: worst((r) => r.latency.p99),
      max: worst((r) => r.latency.max),
    },
  };
}

// ───────────── report ─────────────

interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}

/** One endpoint as a ratio of its limit, both measured in this run. */
interface Ratio {
  endpoint: string;
  perSecond: number;
  limit: string;
  limitPerSecond: number;
  ratio: number;
  target: number;
}

interface ScaleOutRow {
  key: ScenarioKey;
  name: string;
  instances: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Throughput relative to one process in this run. */
  vsOne: number;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const pct = (x: number) => `${fmt(x * 100, 1)} %`;

interface Report {
  machine: Record<string, unknown>;
  date: string;
  scale: string;
  database: string;
  nightly: NightlyResult[];
  nightlyRatio: number | null;
  nightlyRunRatio: number | null;
  /** The latest 1 000 000-referral nightly run (`--scale nightly` or full), when this run did not measure one. */
  nightlyFromFile?: { date: string; result: NightlyResult } | null;
  baseline: Baseline | null;
  limit: LimitResult | null;
  limitOpen: LimitResult | null;
  limitProfile: { cpu: CpuPerRequest; statements: StatementProfile | null } | null;
  statementsNote: string;
  http: HttpResult[];
  openLoop: HttpResult[];
  scaleOut: ScaleOutRow[];
  ratios: Ratio[];
  targets: Target[];
  commands: string[];
}

function markdown(r: Report): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# Benchmark — ${r.date} (scale ${r.scale})`, '');
  out.push(
    `Machine: ${m.cpus} × ${m.model}, ${m.memGiB} GiB, Node ${m.node}, ${m.postgres}; ${r.database}. Load average at the start: ${m.loadAverage}.`,
    '',
  );
  if (r.ratios.length) {
    out.push(
      '## Every endpoint as a ratio of its limit (same run)',
      '',
      'Attribution against the plain-pg limit (`bench/attribution-limit.ts`: the same reads and writes in 2 round trips, no HTTP/Nest); reads against the no-op route (`GET /api/dev/noop`: the HTTP stack alone). Both closed loop, 50 connections.',
      '',
      '| endpoint | req/s | limit | limit req/s | ratio | target | met |',
      '|---|---:|---|---:|---:|---:|---|',
    );
    for (const x of r.ratios)
      out.push(
        `| ${x.endpoint} | ${fmt(x.perSecond)} | ${x.limit} | ${fmt(x.limitPerSecond)} | **${pct(x.ratio)}** | ≥ ${pct(x.target)} | ${x.ratio >= x.target ? 'yes' : '**no**'} |`,
      );
    out.push('');
  }
  if (r.openLoop.length || r.limitOpen) {
    out.push(
      "## Latency, open loop (a fixed arrival rate at 70 % of each one's closed-loop maximum)",
      '',
      'autocannon `overallRate` over 50 connections (latencies corrected for coordinated omission); the limit script schedules its own arrivals and counts each latency from its scheduled start.',
      '',
      '| endpoint | rate asked | rate done | p50 | p90 | p99 | max | non-2xx | p99 ≤ 25 ms |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    );
    for (const h of r.openLoop)
      out.push(
        `| ${h.name} | ${fmt(h.targetRate ?? 0)} | ${fmt(h.perSecond)} | ${fmt(h.p50Ms, 1)} ms | ${fmt(h.p90Ms, 1)} ms | ${fmt(h.p99Ms, 1)} ms | ${fmt(h.maxMs, 0)} ms | ${fmt(h.non2xx + h.errors + h.timeouts)} | ${h.p99Ms <= 25 ? 'yes' : '**no**'} |`,
      );
    if (r.limitOpen) {
      const l = r.limitOpen;
      out.push(
        `| attribution limit (plain pg) | ${fmt(l.targetRate ?? 0)} | ${fmt(l.perSecond)} | ${fmt(l.p50Ms, 1)} ms | ${fmt(l.p90Ms, 1)} ms | ${fmt(l.p99Ms, 1)} ms | ${fmt(l.maxMs, 0)} ms | | ${l.p99Ms <= 25 ? 'yes' : '**no**'} |`,
      );
    }
    out.push('');
  }
  if (r.baseline || r.http.length || r.limit) {
    out.push(
      `## Closed loop (${CONNECTIONS} connections, autocannon in the bench process, service in its own process, DATABASE_POOL_SIZE=${POOL_SIZE})`,
      '',
    );
    out.push(
      '| endpoint | req/s | p50 | p90 | p99 | max | non-2xx | errors | CPU/request: service | PostgreSQL | load generator | machine busy | statements/request | PG exec/request |',
    );
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    if (r.baseline) {
      const b = r.baseline;
      out.push(
        `| raw single-row INSERT transactions (plain pg) | ${fmt(b.perSecond)} | ${fmt(b.p50Ms, 2)} ms | | ${fmt(b.p99Ms, 2)} ms | | | | | | | | 1 | |`,
      );
    }
    if (r.limit) {
      const l = r.limit;
      const p = r.limitProfile;
      out.push(
        `| **attribution limit** (plain pg, 2 round trips) | ${fmt(l.perSecond)} | ${fmt(l.p50Ms, 1)} ms | ${fmt(l.p90Ms, 1)} ms | ${fmt(l.p99Ms, 1)} ms | ${fmt(l.maxMs, 0)} ms | | | — | ${p ? `${fmt(p.cpu.postgresMs, 3)} ms` : ''} | ${p ? `${fmt(p.cpu.loadGeneratorMs, 3)} ms` : ''} | ${p ? `${fmt(p.cpu.machineBusyPct, 0)} %` : ''} | ${p?.statements ? fmt(p.statements.statementsPerRequest, 1) : ''} | ${p?.statements ? `${fmt(p.statements.execMsPerRequest, 3)} ms` : ''} |`,
      );
    }
    for (const h of r.http) {
      out.push(
        `| ${h.name} | ${fmt(h.perSecond)} | ${fmt(h.p50Ms, 1)} ms | ${fmt(h.p90Ms, 1)} ms | ${fmt(h.p99Ms, 1)} ms | ${fmt(h.maxMs, 0)} ms | ${fmt(h.non2xx)} | ${fmt(h.errors + h.timeouts)} | ${h.cpu ? `${fmt(h.cpu.serviceMs, 3)} ms` : ''} | ${h.cpu ? `${fmt(h.cpu.postgresMs, 3)} ms` : ''} | ${h.cpu ? `${fmt(h.cpu.loadGeneratorMs, 3)} ms` : ''} | ${h.cpu ? `${fmt(h.cpu.machineBusyPct, 0)} %` : ''} | ${h.statements ? fmt(h.statements.statementsPerRequest, 1) : ''} | ${h.statements ? `${fmt(h.statements.execMsPerRequest, 3)} ms` : ''} |`,
      );
    }
    out.push('', ...r.http.map((h) => `- ${h.name}: ${h.note}; status codes ${JSON.stringify(h.statusCodes)}.`));
    if (r.limit) out.push(`- attribution limit: ${r.limit.description}; outcomes ${JSON.stringify(r.limit.outcomes)}.`);
    if (r.baseline) out.push(`- raw-insert baseline: ${r.baseline.description}.`);
    out.push(
      "- CPU/request: CPU time of the service process, of this database's PostgreSQL backends and of the bench process (autocannon or the limit loops) during the run, divided by the requests; machine busy: all processes on the machine, other users' included.",
      `- ${r.statementsNote}`,
      '',
    );
  }
  const withStatements = [
    ...(r.limitProfile?.statements ? [{ name: 'attribution limit (plain pg)', s: r.limitProfile.statements }] : []),
    ...r.http.filter((h) => h.statements && h.kind !== 'noop').map((h) => ({ name: h.name, s: h.statements! })),
  ];
  if (withStatements.length) {
    out.push('## pg_stat_statements per endpoint (closed-loop run; top statements by total execution time)', '');
    for (const { name, s } of withStatements) {
      out.push(
        `**${name}**: ${fmt(s.statementsPerRequest, 1)} statements and ${fmt(s.execMsPerRequest, 3)} ms of execution per request${s.statementsPerCommit ? `; ${fmt(s.statementsPerCommit, 1)} statements per transaction (BEGIN and COMMIT included)` : ''}.`,
        '',
        '| calls/request | mean | statement |',
        '|---:|---:|---|',
        ...s.top.map(
          (t) => `| ${fmt(t.callsPerRequest, 2)} | ${fmt(t.meanMs, 3)} ms | \`${t.query.replace(/\|/g, '\\|')}\` |`,
        ),
        '',
      );
    }
  }
  if (r.scaleOut.length) {
    out.push(
      '## Scale-out: 1, 2 and 3 service processes on one PostgreSQL (closed loop, 50 connections split evenly)',
      '',
      '| endpoint | processes | req/s | × one process | p50 | p99 (worst process) | non-2xx |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...r.scaleOut.map(
        (s) =>
          `| ${s.name} | ${s.instances} | ${fmt(s.perSecond)} | ${fmt(s.vsOne, 2)} | ${fmt(s.p50Ms, 1)} ms | ${fmt(s.p99Ms, 1)} ms | ${fmt(s.non2xx)} |`,
      ),
      '',
    );
  }
  const nightlyRows = r.nightly.length ? r.nightly : r.nightlyFromFile ? [r.nightlyFromFile.result] : [];
  if (nightlyRows.length) {
    out.push(
      r.nightly.length
        ? '## Nightly reconciliation (separate process: `src/cli/reconcile.ts`)'
        : `## Nightly reconciliation at 1 000 000 (from \`bench/results/nightly.json\`, its own run of ${r.nightlyFromFile!.date}: \`npm run bench -- --scale nightly\`)`,
      '',
    );
    out.push(
      '| referrals | wall time | run (record) | referrals/s | credits/s | peak RSS | expired | qualified | cancelled | earned | applied | rewards expired | credits total | seed (COPY) |',
    );
    out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const n of nightlyRows) {
      const c = n.counts;
      out.push(
        `| ${fmt(n.referrals)} | ${fmt(n.wallMs / 1000, 1)} s | ${fmt(n.runMs / 1000, 1)} s | ${fmt(n.referralsPerSecond)} | ${fmt(n.creditsPerSecond, 1)} | ${fmt(n.peakRssMiB, 0)} MiB | ` +
          `${fmt(c.referralsExpired ?? 0)} | ${fmt(c.referralsQualified ?? 0)} | ${fmt(c.referralsCancelled ?? 0)} | ${fmt(c.rewardsEarned ?? 0)} | ${fmt(c.rewardsApplied ?? 0)} | ${fmt(c.rewardsExpired ?? 0)} | R ${n.creditsTotal} | ${fmt(n.seedMs / 1000, 1)} s |`,
      );
    }
    if (r.nightlyRatio !== null) {
      out.push(
        '',
        `Time ratio 1 000 000 / 100 000: **${fmt(r.nightlyRatio, 2)}×** wall time, ${fmt(r.nightlyRunRatio ?? 0, 2)}× run-record time (10× = linear).`,
      );
    }
    out.push(
      '',
      `Counts and creditsTotal equal the seed model's expectation: ${nightlyRows.map((n) => `${fmt(n.referrals)}: ${n.countsMatchModel ? 'yes' : 'NO'}`).join(', ')}. Wall time = process start to exit (Node + Nest boot included); run = the run record's startedAt → finishedAt. Peak RSS from \`/usr/bin/time -v\`.`,
      '',
    );
  }
  out.push('## Targets (issue 15; 2-core machine)', '', '| target | goal | measured | met |', '|---|---|---|---|');
  for (const t of r.targets)
    out.push(
      `| ${t.name} | ${t.target} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`,
    );
  out.push('', '## Commands', '', ...r.commands.map((c) => `- \`${c}\``), '');
  return out.join('\n');
}

// ───────────── main ─────────────

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if (args.scale === 'nightly' || args.nightlyOnly) args.skipHttp = true;
  // The nightly target is judged at 1 000 000 referrals (--scale nightly or full); the small run
  // skips it to stay under three minutes and shows the latest bench/results/nightly.json instead.
  const skipNightly = args.skipNightly || (args.scale === 'small' && !args.nightlyOnly);
  const sizes = args.nightlyOnly
    ? [args.nightlyOnly]
    : args.scale === 'small'
      ? [100_000]
      : args.scale === 'nightly'
        ? [1_000_000]
        : [100_000, 1_000_000];
  const durationS = args.duration ?? (args.scale === 'small' ? 5 : 20);
  /** Open-loop and scale-out runs: shorter in the small run (it stays under three minutes). */
  const shortS = args.duration ?? (args.scale === 'small' ? 4 : 15);
  const warmupS = args.scale === 'small' ? 1 : 2;
  const asOf = sastToday();
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const started = performance.now();
  const loadAverage = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  if (!process.argv.includes('--no-build')) {
    log('building (npm run build) — the bench measures the compiled service');
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  log(`scale ${args.scale}: sizes ${sizes.join(', ')}, HTTP ${durationS} s per endpoint, asOf ${asOf}`);

  const server = await startServer(args);
  const created: string[] = [];
  const nightly: NightlyResult[] = [];
  let baseline: Baseline | null = null;
  let limit: LimitResult | null = null;
  let limitOpen: LimitResult | null = null;
  let limitProfile: Report['limitProfile'] = null;
  const http: HttpResult[] = [];
  const openLoop: HttpResult[] = [];
  const scaleOut: ScaleOutRow[] = [];
  let statementsNote = 'pg_stat_statements: not read (no HTTP run).';
  let pgVersion: string;
  let httpDbReferrals = 0;
  try {
    pgVersion = await admin(
      server,
      async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version,
    );
    let httpDb: string | undefined;
    for (const size of sizes) {
      const db = `circletel_bench_${stamp}_${size}`;
      await admin(server, (c) => c.query(`CREATE DATABASE ${db}`));
      created.push(db);
      const url = server.urlOf(db);
      await applyMigrations(url);
      log(`${db}: seeding ${size.toLocaleString()} referrals with COPY`);
      const pool = new pg.Pool({ connectionString: url, max: 3 });
      let seeded: SeedResult;
      try {
        seeded = await seed(pool, { referrals: size, asOf });
      } finally {
        await pool.end();
      }
      log(`seeded in ${(seeded.ms / 1000).toFixed(1)} s: ${JSON.stringify(seeded.rows)}`);
      if (!skipNightly) {
        log(`nightly reconciliation over ${size.toLocaleString()} referrals (asOf ${asOf}) in a separate process`);
        const n = await runNightly(url, asOf, seeded);
        nightly.push(n);
        log(
          `nightly: ${(n.wallMs / 1000).toFixed(1)} s wall, ${(n.runMs / 1000).toFixed(1)} s run, peak RSS ${n.peakRssMiB} MiB, counts ${JSON.stringify(n.counts)} credits ${n.creditsTotal} (model ${n.countsMatchModel ? 'matches' : `differs: ${JSON.stringify(n.expected)}, credits ${n.expectedCreditsTotal}`})`,
        );
      }
      // HTTP runs against the largest database, after its nightly run.
      if (size === sizes[sizes.length - 1]) {
        httpDb = db;
        httpDbReferrals = size;
      } else if (!args.keepDb) {
        await admin(server, (c) => c.query(`DROP DATABASE ${db} WITH (FORCE)`));
        created.splice(created.indexOf(db), 1);
      }
    }

    if (!args.skipHttp && httpDb) {
      const url = server.urlOf(httpDb);
      const statements = new Statements(url);
      await statements.init();
      statementsNote = statements.available
        ? 'pg_stat_statements (reset before each closed-loop run, read after it; BEGIN/COMMIT included)'
        : statements.reason;
      const referrers = httpDbReferrals / REFERRALS_PER_REFERRER;
      const { codes } = activeCodes(referrers);
      const wanted = (name: string) => !args.only || name.includes(args.only);

      // The raw-insert baseline of rounds 1–2 only in the full run (the limits below replace it).
      if (args.scale === 'full') {
        log(`baseline: raw single-row inserts, ${CONNECTIONS} loops over pg.Pool(${POOL_SIZE}), ${durationS} s`);
        baseline = await rawInsertBaseline(url, durationS);
        log(`baseline: ${baseline.perSecond} inserts/s, p99 ${baseline.p99Ms} ms`);
      }

      const runLimit = async (
        rate?: number,
        onMeasure?: { start(): Promise<void> | void; end(): Promise<void> | void },
      ) =>
        runAttributionLimit({
          databaseUrl: url,
          next: () => newSignup(codes),
          poolSize: POOL_SIZE,
          concurrency: CONNECTIONS,
          durationS: rate ? shortS : durationS,
          warmupS: rate ? 0 : warmupS,
          ...(rate ? { rate } : {}),
          ...(onMeasure ? { onMeasure } : {}),
        });
      if (wanted('attribution')) {
        let before: CpuSample | undefined;
        let after: CpuSample | undefined;
        limit = await runLimit(undefined, {
          start: async () => {
            await statements.reset();
            before = cpuSample([], httpDb!);
          },
          end: () => {
            after = cpuSample([], httpDb!);
          },
        });
        limitProfile = {
          cpu: cpuPerRequest(before!, after!, limit.events),
          statements: await statements.read(limit.events),
        };
        log(
          `attribution limit (plain pg): ${limit.perSecond} events/s, p99 ${limit.p99Ms} ms, ${JSON.stringify(limit.outcomes)}, client CPU ${limitProfile.cpu.loadGeneratorMs} ms/event, PostgreSQL CPU ${limitProfile.cpu.postgresMs} ms/event`,
        );
      }

      const list = scenarios(referrers)
        // The one-IP variant of the code check only in the full run (the small run stays under three minutes).
        .filter((s) => args.scale === 'full' || !s.oneIp)
        .filter((s) => wanted(s.name) || s.key === 'noop');
      const toResult = (s: Scenario, urls: string[], res: AutocannonResult, d: number, rate?: number): HttpResult => {
        const codesSeen: Record<string, number> = {};
        for (const [code, v] of Object.entries(res.statusCodeStats ?? {})) codesSeen[code] = v.count;
        return {
          key: s.key,
          name: urls.length === 1 ? s.name : `${s.name}, ${urls.length} processes`,
          method: s.method,
          path: s.path,
          kind: s.kind,
          mode: rate ? 'open' : 'closed',
          ...(rate ? { targetRate: rate } : {}),
          instances: urls.length,
          connections: CONNECTIONS,
          durationS: d,
          requests: res['2xx'] + res.non2xx,
          perSecond: Math.round(res.requests.average),
          p50Ms: res.latency.p50,
          p90Ms: res.latency.p90,
          p99Ms: res.latency.p99,
          maxMs: res.latency.max,
          non2xx: res.non2xx,
          errors: res.errors,
          timeouts: res.timeouts,
          statusCodes: codesSeen,
          ratioToBaseline: baseline ? Math.round((res.requests.average / baseline.perSecond) * 1000) / 1000 : undefined,
          note:
            urls.length === 1
              ? s.note
              : `${s.note}; ${CONNECTIONS} connections split over ${urls.length} service processes on this machine (percentiles: the worst process's)`,
        };
      };
      const closed = async (services: { url: string; child: ChildProcess }[], s: Scenario, d: number) => {
        const urls = services.map((x) => x.url);
        // Warm-up (JIT, pools, caches), not counted.
        await loadSpread(urls, s.request, warmupS);
        await statements.reset();
        const pids = services.map((x) => x.child.pid!);
        const before = cpuSample(pids, httpDb!);
        const res = await loadSpread(urls, s.request, d);
        const after = cpuSample(pids, httpDb!);
        const h = toResult(s, urls, res, d);
        h.cpu = cpuPerRequest(before, after, h.requests);
        if (services.length === 1) h.statements = await statements.read(h.requests);
        log(
          `${h.name}: ${h.perSecond} req/s, p50 ${h.p50Ms} ms, p99 ${h.p99Ms} ms, non-2xx ${h.non2xx}, errors ${h.errors}, codes ${JSON.stringify(h.statusCodes)}, service CPU ${h.cpu.serviceMs} ms/req`,
        );
        return h;
      };

      // Process 1 serves the closed- and open-loop runs, then stays up as the first of the 2 and 3
      // processes of the scale-out runs (each further process started alone, so boots do not overlap).
      const services = [await startService(url)];
      try {
        const one = services[0]!;
        for (const s of list) http.push(await closed([one], s, durationS));
        // Open loop at 70 % of each endpoint's maximum just measured.
        for (const s of list.filter((x) => !x.oneIp)) {
          const max = http.find((h) => h.key === s.key)!.perSecond;
          const rate = Math.max(1, Math.round(max * 0.7));
          const res = await loadSpread([one.url], s.request, shortS, rate);
          const h = toResult(s, [one.url], res, shortS, rate);
          openLoop.push(h);
          log(
            `open loop ${h.name} at ${rate}/s: ${h.perSecond} req/s, p50 ${h.p50Ms} ms, p99 ${h.p99Ms} ms, non-2xx ${h.non2xx}`,
          );
        }
        if (limit) {
          limitOpen = await runLimit(Math.max(1, Math.round(limit.perSecond * 0.7)));
          log(
            `open loop attribution limit at ${limitOpen.targetRate}/s: ${limitOpen.perSecond}/s, p50 ${limitOpen.p50Ms} ms, p99 ${limitOpen.p99Ms} ms`,
          );
        }

        // Scale-out on one machine and one database: 2 and 3 service processes, the connections
        // split evenly (as behind a load balancer). Attribution and the reads (the small run: the list only).
        const spread = list
          .filter((s) => !s.oneIp && s.kind !== 'noop')
          .filter((s) => args.scale === 'full' || s.key === 'attribution' || s.key === 'list');
        const addScale = (h: HttpResult) => {
          const base = http.find((x) => x.key === h.key)!;
          scaleOut.push({
            key: h.key,
            name: base.name,
            instances: h.instances,
            perSecond: h.perSecond,
            p50Ms: h.p50Ms,
            p99Ms: h.p99Ms,
            non2xx: h.non2xx,
            vsOne: Math.round((h.perSecond / Math.max(base.perSecond, 1)) * 100) / 100,
          });
        };
        for (const s of spread) addScale(http.find((x) => x.key === s.key)!);
        if (!args.skipScaleOut && spread.length > 0) {
          for (const n of [2, 3]) {
            while (services.length < n) {
              const fresh = await startService(url);
              // A fresh process compiles its hot paths on its first requests: warm it alone first, so
              // the spread run measures n warm processes rather than one process's JIT.
              for (const s of spread) await loadSpread([fresh.url], s.request, warmupS + 1);
              services.push(fresh);
            }
            for (const s of spread) addScale(await closed(services, s, shortS));
          }
          scaleOut.sort((a, b) => spread.findIndex((s) => s.key === a.key) - spread.findIndex((s) => s.key === b.key));
        }
      } finally {
        await Promise.all(services.map((x) => x.stop()));
      }
    }
  } finally {
    if (!args.keepDb) {
      for (const db of created)
        await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)).catch(() => undefined);
    } else log(`kept databases: ${created.join(', ')}`);
    await server.stop();
  }

  // ───── ratios and targets ─────
  const ratios: Ratio[] = [];
  const attribution = http.find((h) => h.key === 'attribution');
  const noop = http.find((h) => h.key === 'noop');
  if (attribution && limit)
    ratios.push({
      endpoint: attribution.name,
      perSecond: attribution.perSecond,
      limit: 'plain-pg attribution limit',
      limitPerSecond: limit.perSecond,
      ratio: Math.round((attribution.perSecond / limit.perSecond) * 1000) / 1000,
      target: 0.5,
    });
  if (noop)
    for (const h of http.filter((x) => x.kind === 'read'))
      ratios.push({
        endpoint: h.name,
        perSecond: h.perSecond,
        limit: 'no-op route',
        limitPerSecond: noop.perSecond,
        ratio: Math.round((h.perSecond / noop.perSecond) * 1000) / 1000,
        target: 0.5,
      });

  const small = nightly.find((n) => n.referrals === 100_000);
  const big = nightly.find((n) => n.referrals === 1_000_000);
  const ratio = small && big ? big.wallMs / small.wallMs : null;
  const runRatio = small && big ? big.runMs / small.runMs : null;
  const nightlyFile = path.join(RESULTS, 'nightly.json');
  const nightlyFromFile =
    !big && existsSync(nightlyFile)
      ? (() => {
          const j = JSON.parse(readFileSync(nightlyFile, 'utf8')) as { date: string; nightly: NightlyResult[] };
          const n = j.nightly.find((x) => x.referrals === 1_000_000);
          return n ? { date: j.date, result: n } : null;
        })()
      : null;
  const bigNightly = big ?? nightlyFromFile?.result;
  const fromFile = !big && nightlyFromFile ? ` (bench/results/nightly.json, ${nightlyFromFile.date})` : '';
  const targets: Target[] = [
    {
      name: 'nightly run, 1 000 000 referrals: wall time',
      target: '≤ 30 s',
      measured: bigNightly ? `${fmt(bigNightly.wallMs / 1000, 1)} s${fromFile}` : '—',
      met: bigNightly ? bigNightly.wallMs <= 30_000 : null,
    },
    {
      name: 'nightly run, 1 000 000 referrals: peak RSS',
      target: '≤ 200 MB',
      measured: bigNightly ? `${fmt(bigNightly.peakRssMiB * 1.048576, 0)} MB${fromFile}` : '—',
      met: bigNightly ? bigNightly.peakRssMiB * 1.048576 <= 200 : null,
    },
  ];
  for (const x of ratios)
    targets.push({
      name: `${x.endpoint} / ${x.limit}`,
      target: `≥ ${pct(x.target)}`,
      measured: pct(x.ratio),
      met: x.ratio >= x.target,
    });
  for (const h of openLoop.filter((x) => x.kind !== 'noop'))
    targets.push({
      name: `${h.name}: p99, open loop at ${fmt(h.targetRate ?? 0)} req/s (70 % of its max)`,
      target: '≤ 25 ms',
      measured: `${fmt(h.p99Ms, 1)} ms`,
      met: h.p99Ms <= 25 && h.non2xx === 0,
    });
  if (http.length === 0 && !args.skipHttp)
    targets.push({ name: 'HTTP', target: 'ratios and open-loop p99', measured: '—', met: null });

  const cpus = os.cpus();
  const result: Report & Record<string, unknown> = {
    machine: {
      cpus: cpus.length,
      model: cpus[0]?.model ?? 'unknown',
      memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      postgres: `PostgreSQL ${pgVersion}`,
      loadAverage,
    },
    date: new Date().toISOString(),
    scale: args.scale,
    asOf,
    database: server.kind,
    httpDatabaseReferrals: httpDbReferrals,
    settings: {
      connections: CONNECTIONS,
      databasePoolSize: POOL_SIZE,
      codeLookupRateLimitPerMinute: CODE_LOOKUP_RATE_LIMIT,
      httpDurationS: durationS,
      openLoopAndScaleOutDurationS: shortS,
      warmupS,
      openLoopRateOfMax: 0.7,
      logLevel: 'warn',
    },
    commands: [
      `npm run bench -- --scale ${args.scale}${args.fastDb ? ' --fast-db' : ''}`,
      'node --import @swc-node/register/esm-register bench/run.ts --scale ' + args.scale,
      ...new Set(nightly.map((n) => n.command)),
      `service: DATABASE_URL=… PORT=… DATABASE_POOL_SIZE=${POOL_SIZE} LOG_LEVEL=warn OUTBOX_RELAY_ENABLED=false SCHEDULER_ENABLED=false CODE_LOOKUP_RATE_LIMIT=${CODE_LOOKUP_RATE_LIMIT} BENCH_NOOP_ROUTE=1 node ${SERVICE_NODE_FLAGS.join(' ')} dist/src/main.js`,
    ],
    nightly,
    nightlyRatio: ratio,
    nightlyRunRatio: runRatio,
    nightlyFromFile,
    baseline,
    limit,
    limitOpen,
    limitProfile,
    statementsNote,
    http,
    openLoop,
    scaleOut,
    ratios,
    targets,
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  const md = markdown(result);
  await mkdir(RESULTS, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  // A partial run (--skip-*, --only) never replaces the complete results; --scale nightly writes nightly.*.
  const names =
    args.scale === 'nightly' && !args.nightlyOnly
      ? ['nightly']
      : args.nightlyOnly || args.skipHttp || args.skipNightly || args.only || args.skipScaleOut
        ? ['partial']
        : ['latest', args.scale];
  for (const name of names) {
    await writeFile(path.join(RESULTS, `${name}.json`), json);
    await writeFile(path.join(RESULTS, `${name}.md`), md);
  }
  process.stdout.write(`${md}\n`);
  log(`done in ${result.totalSeconds} s; results in ${names.map((n) => `bench/results/${n}.{json,md}`).join(' and ')}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
