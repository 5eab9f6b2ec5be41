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
import { mkdir, mkdtemp, rm, chmod, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres.js';
import { applyMigrations } from '../src/platform/database/migrations/migration-runner.js';
import { signPayload } from '../src/platform/http/webhook-signature.js';
import { REFERRALS_PER_REFERRER, referralCodeOf, referrerId, sastToday, seed, type SeedResult } from './seed.js';

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
  scale: 'small' | 'full';
  fastDb: boolean;
  skipHttp: boolean;
  skipNightly: boolean;
  duration?: number;
  keepDb: boolean;
  /** --only <text>: only the HTTP scenarios whose name contains it (a partial run). */
  only?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { scale: 'full', fastDb: false, skipHttp: false, skipNightly: false, keepDb: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg.startsWith('--scale')) {
      const v = value();
      if (v !== 'small' && v !== 'full') throw new Error('--scale is small or full');
      a.scale = v;
    } else if (arg === '--fast-db') a.fastDb = true;
    else if (arg === '--skip-http') a.skipHttp = true;
    else if (arg === '--skip-nightly') a.skipNightly = true;
    else if (arg === '--keep-db') a.keepDb = true;
    else if (arg === '--no-build') continue;
    else if (arg.startsWith('--duration')) a.duration = Number(value());
    else if (arg.startsWith('--only')) a.only = value();
    else throw new Error(`unknown argument ${arg}`);
  }
  return a;
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
  const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'data'), port: 0, persistent: !args.fastDb });
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
  const countsMatchModel = Object.entries(seeded.expected).every(([k, v]) => counts[k] === v);
  return {
    referrals: seeded.referrals,
    referrers: seeded.referrers,
    asOf,
    seedMs: seeded.ms,
    seededRows: seeded.rows,
    seededByStatus: seeded.byStatus,
    expected: seeded.expected,
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
    env: serviceEnv(databaseUrl, { PORT: String(port) }),
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

// ───────────── HTTP scenarios ─────────────

interface HttpResult {
  name: string;
  method: string;
  path: string;
  kind: 'write' | 'read';
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
  note: string;
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

function scenarios(referrers: number): {
  name: string;
  method: string;
  path: string;
  kind: 'write' | 'read';
  note: string;
  oneIp?: boolean;
  request: AutocannonRequest;
}[] {
  // Referrers with an active service (r % 50 ≠ 1 in the seed), so attributions pass REFERRER_INACTIVE.
  const active: number[] = [];
  for (let r = 0; r < referrers && active.length < 20_000; r += 1) if (r % 50 !== 1) active.push(r);
  const codes = active.map(referralCodeOf);
  const tokens = active
    .slice(0, 2_000)
    .map(
      (r) =>
        `Bearer ${jwt.sign({ sub: referrerId(r), role: 'customer' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: '2h' })}`,
    );
  let ipSeq = 0;
  return [
    {
      name: 'attribution (signed customer.created with a referral code)',
      method: 'POST',
      path: '/api/integrations/billing/events',
      kind: 'write',
      note: `each request a new event id and a new customer, a code of one of ${codes.length} referrers, signed (HMAC) per request`,
      request: {
        method: 'POST',
        path: '/api/integrations/billing/events',
        setupRequest: (req) => {
          const id = randomUUID();
          const n = Math.floor(Math.random() * 0xffffff);
          const body = JSON.stringify({
            id: `evt_${id}`,
            type: 'customer.created',
            occurredAt: new Date().toISOString(),
            data: {
              customerId: `bench_${id}`,
              name: 'Bench Customer',
              email: `bench.${id}@example.com`,
              phone: `084${String(n % 10_000_000).padStart(7, '0')}`,
              installationAddress: `${n} Bench Street, Cape Town`,
              referralCode: pick(codes),
              referralSource: 'url_param',
              signupIp: `100.${(n >>> 16) & 63}.${(n >>> 8) & 255}.${n & 255}`,
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
 * between the instances' p99s).
 */
async function loadSpread(urls: string[], request: AutocannonRequest, durationS: number): Promise<AutocannonResult> {
  const parts = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        connections: CONNECTIONS / urls.length,
        duration: durationS,
        timeout: 10,
        requests: [request],
      }),
    ),
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

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function markdown(r: {
  machine: Record<string, unknown>;
  date: string;
  scale: string;
  database: string;
  nightly: NightlyResult[];
  nightlyRatio: number | null;
  nightlyRunRatio: number | null;
  baseline: Baseline | null;
  http: HttpResult[];
  targets: Target[];
  commands: string[];
}): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# Benchmark — ${r.date} (scale ${r.scale})`, '');
  out.push(`Machine: ${m.cpus} × ${m.model}, ${m.memGiB} GiB, Node ${m.node}, ${m.postgres}; ${r.database}.`, '');
  if (r.nightly.length) {
    out.push('## Nightly reconciliation (separate process: `src/cli/reconcile.ts`)', '');
    out.push(
      '| referrals | wall time | run (record) | referrals/s | credits/s | peak RSS | expired | qualified | cancelled | earned | applied | rewards expired | credits total | seed (COPY) |',
    );
    out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const n of r.nightly) {
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
      `Counts equal the seed model's expectation: ${r.nightly.map((n) => `${fmt(n.referrals)}: ${n.countsMatchModel ? 'yes' : 'NO'}`).join(', ')}. Wall time = process start to exit (Node + Nest boot included); run = the run record's startedAt → finishedAt. Peak RSS from \`/usr/bin/time -v\`.`,
      '',
    );
  }
  if (r.baseline || r.http.length) {
    out.push(
      `## HTTP under load (${CONNECTIONS} connections, autocannon in the bench process, service in its own process, DATABASE_POOL_SIZE=${POOL_SIZE})`,
      '',
    );
    out.push('| endpoint | req/s | p50 | p90 | p99 | max | non-2xx | errors | × raw-insert baseline |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    if (r.baseline) {
      const b = r.baseline;
      out.push(
        `| **baseline**: raw single-row INSERT transactions (plain pg) | ${fmt(b.perSecond)} | ${fmt(b.p50Ms, 2)} ms | | ${fmt(b.p99Ms, 2)} ms | | | | 1.00 |`,
      );
    }
    for (const h of r.http) {
      out.push(
        `| ${h.name} | ${fmt(h.perSecond)} | ${fmt(h.p50Ms, 1)} ms | ${fmt(h.p90Ms, 1)} ms | ${fmt(h.p99Ms, 1)} ms | ${fmt(h.maxMs, 0)} ms | ${fmt(h.non2xx)} | ${fmt(h.errors + h.timeouts)} | ${h.ratioToBaseline === undefined ? '' : fmt(h.ratioToBaseline, 2)} |`,
      );
    }
    out.push('', ...r.http.map((h) => `- ${h.name}: ${h.note}; status codes ${JSON.stringify(h.statusCodes)}.`), '');
    if (r.baseline) out.push(`Baseline: ${r.baseline.description}, ${r.baseline.durationS} s.`, '');
  }
  out.push('## Targets (2-core machine)', '', '| target | goal | measured | met |', '|---|---|---|---|');
  for (const t of r.targets)
    out.push(
      `| ${t.name} | ${t.target} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`,
    );
  out.push('', '## Commands', '', ...r.commands.map((c) => `- \`${c}\``), '');
  return out.join('\n');
}

// ───────────── main ─────────────

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sizes = args.scale === 'small' ? [100_000] : [100_000, 1_000_000];
  const durationS = args.duration ?? (args.scale === 'small' ? 10 : 20);
  const asOf = sastToday();
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const started = performance.now();
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
  const http: HttpResult[] = [];
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
      if (!args.skipNightly) {
        log(`nightly reconciliation over ${size.toLocaleString()} referrals (asOf ${asOf}) in a separate process`);
        const n = await runNightly(url, asOf, seeded);
        nightly.push(n);
        log(
          `nightly: ${(n.wallMs / 1000).toFixed(1)} s wall, ${(n.runMs / 1000).toFixed(1)} s run, peak RSS ${n.peakRssMiB} MiB, counts ${JSON.stringify(n.counts)} (model ${n.countsMatchModel ? 'matches' : `differs: ${JSON.stringify(n.expected)}`})`,
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
      log(`baseline: raw single-row inserts, ${CONNECTIONS} loops over pg.Pool(${POOL_SIZE}), ${durationS} s`);
      baseline = await rawInsertBaseline(url, durationS);
      log(`baseline: ${baseline.perSecond} inserts/s, p99 ${baseline.p99Ms} ms`);
      const list = scenarios(httpDbReferrals / REFERRALS_PER_REFERRER)
        // The one-IP variant of the code check only in the full run (the small run stays under two minutes).
        .filter((s) => args.scale === 'full' || !s.oneIp)
        .filter((s) => !args.only || s.name.includes(args.only));
      const measure = async (urls: string[], s: (typeof list)[number]) => {
        await loadSpread(urls, s.request, args.scale === 'full' ? 2 : 1); // warm-up (JIT, pools, caches), not counted
        const res = await loadSpread(urls, s.request, durationS);
        const codes: Record<string, number> = {};
        for (const [code, v] of Object.entries(res.statusCodeStats ?? {})) codes[code] = v.count;
        const h: HttpResult = {
          name: urls.length === 1 ? s.name : `${s.name}, ${urls.length} instances`,
          method: s.method,
          path: s.path,
          kind: s.kind,
          instances: urls.length,
          connections: CONNECTIONS,
          durationS,
          requests: res['2xx'] + res.non2xx,
          perSecond: Math.round(res.requests.average),
          p50Ms: res.latency.p50,
          p90Ms: res.latency.p90,
          p99Ms: res.latency.p99,
          maxMs: res.latency.max,
          non2xx: res.non2xx,
          errors: res.errors,
          timeouts: res.timeouts,
          statusCodes: codes,
          ratioToBaseline: baseline ? Math.round((res.requests.average / baseline.perSecond) * 100) / 100 : undefined,
          note:
            urls.length === 1
              ? s.note
              : `${s.note}; ${CONNECTIONS / urls.length} connections to each of ${urls.length} service processes on this machine (percentiles: the worse instance's)`,
        };
        http.push(h);
        log(
          `${h.name}: ${h.perSecond} req/s, p50 ${h.p50Ms} ms, p99 ${h.p99Ms} ms, non-2xx ${h.non2xx}, errors ${h.errors}, codes ${JSON.stringify(codes)}`,
        );
      };
      const one = await startService(url);
      try {
        for (const s of list) await measure([one.url], s);
      } finally {
        await one.stop();
      }
      // Scale-out on the same machine: two service processes, one database (README "Running
      // several instances"). Node runs each process's JavaScript on one core.
      const spread = list.filter((s) => s.kind === 'write' || args.scale === 'full').filter((s) => !s.oneIp);
      if (spread.length > 0) {
        const two = [await startService(url), await startService(url)];
        try {
          for (const s of spread)
            await measure(
              two.map((x) => x.url),
              s,
            );
        } finally {
          await Promise.all(two.map((x) => x.stop()));
        }
      }
    }
  } finally {
    if (!args.keepDb) {
      for (const db of created)
        await admin(server, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)).catch(() => undefined);
    } else log(`kept databases: ${created.join(', ')}`);
    await server.stop();
  }

  // ───── targets ─────
  const small = nightly.find((n) => n.referrals === 100_000);
  const big = nightly.find((n) => n.referrals === 1_000_000);
  const ratio = small && big ? big.wallMs / small.wallMs : null;
  const runRatio = small && big ? big.runMs / small.runMs : null;
  const targets: Target[] = [
    {
      name: 'nightly run, 1 000 000 referrals: wall time',
      target: '≤ 60 s',
      measured: big ? `${fmt(big.wallMs / 1000, 1)} s` : '—',
      met: big ? big.wallMs <= 60_000 : null,
    },
    {
      name: 'nightly run, 1 000 000 referrals: peak RSS',
      target: '≤ 300 MB',
      measured: big ? `${fmt(big.peakRssMiB * 1.048576, 0)} MB` : '—',
      met: big ? big.peakRssMiB * 1.048576 <= 300 : null,
    },
    {
      name: 'nightly run: time(1 000 000) / time(100 000)',
      target: '≤ 12×',
      measured: ratio ? `${fmt(ratio, 2)}×` : '—',
      met: ratio ? ratio <= 12 : null,
    },
  ];
  const writes = http.filter((h) => h.kind === 'write');
  for (const attribution of writes) {
    const label =
      attribution.instances === 1 ? 'attribution events' : `attribution events, ${attribution.instances} instances`;
    targets.push(
      {
        name: `${label}: throughput`,
        target: '≥ 1 000 req/s',
        measured: `${fmt(attribution.perSecond)} req/s`,
        met: attribution.perSecond >= 1000 && attribution.non2xx === 0,
      },
      {
        name: `${label}: p99`,
        target: '≤ 50 ms',
        measured: `${fmt(attribution.p99Ms, 1)} ms`,
        met: attribution.p99Ms <= 50,
      },
      {
        name: `${label} vs raw-insert baseline`,
        target: '≥ 25 %',
        measured: attribution.ratioToBaseline !== undefined ? `${fmt(attribution.ratioToBaseline * 100, 1)} %` : '—',
        met: attribution.ratioToBaseline !== undefined ? attribution.ratioToBaseline >= 0.25 : null,
      },
    );
  }
  if (writes.length === 0)
    targets.push({
      name: 'attribution events',
      target: '≥ 1 000 req/s, p99 ≤ 50 ms, ≥ 25 % of baseline',
      measured: '—',
      met: null,
    });
  for (const h of http.filter((x) => x.kind === 'read')) {
    targets.push(
      {
        name: `${h.name}: throughput`,
        target: '≥ 3 000 req/s',
        measured: `${fmt(h.perSecond)} req/s`,
        met: h.perSecond >= 3000 && h.non2xx === 0,
      },
      { name: `${h.name}: p99`, target: '≤ 20 ms', measured: `${fmt(h.p99Ms, 1)} ms`, met: h.p99Ms <= 20 },
    );
  }

  const cpus = os.cpus();
  const result = {
    machine: {
      cpus: cpus.length,
      model: cpus[0]?.model ?? 'unknown',
      memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      postgres: `PostgreSQL ${pgVersion}`,
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
      logLevel: 'warn',
    },
    commands: [
      `npm run bench -- --scale ${args.scale}${args.fastDb ? ' --fast-db' : ''}`,
      'node --import @swc-node/register/esm-register bench/run.ts --scale ' + args.scale,
      ...new Set(nightly.map((n) => n.command)),
      `service: DATABASE_URL=… PORT=… DATABASE_POOL_SIZE=${POOL_SIZE} LOG_LEVEL=warn OUTBOX_RELAY_ENABLED=false SCHEDULER_ENABLED=false CODE_LOOKUP_RATE_LIMIT=${CODE_LOOKUP_RATE_LIMIT} node ${SERVICE_NODE_FLAGS.join(' ')} dist/src/main.js`,
    ],
    nightly,
    nightlyRatio: ratio,
    nightlyRunRatio: runRatio,
    baseline,
    http,
    targets,
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  const md = markdown(result);
  await mkdir(RESULTS, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  // A partial run (--skip-*) never replaces the complete results.
  const names = args.skipHttp || args.skipNightly || args.only ? ['partial'] : ['latest', args.scale];
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
