/**
 * What the admin-console benches share: a fresh database (on DATABASE_URL's server, or an embedded
 * PostgreSQL), the compiled service started as production runs it, and its memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** As `npm run start:prod`. */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=32'];
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef';

export interface BenchDatabase {
  url: string;
  kind: string;
  drop(): Promise<void>;
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new, empty database `circletel_bench_<prefix>_<ts>`; dropped (and an embedded server stopped) by drop(). */
export async function freshDatabase(prefix: string, keep: boolean): Promise<BenchDatabase> {
  const name = `circletel_bench_${prefix}_${Date.now().toString(36)}`;
  const given = process.env.DATABASE_URL;
  let adminUrl: string;
  let stopServer = async () => {};
  let kind: string;
  if (given) {
    const u = new URL(given);
    u.pathname = '/postgres';
    adminUrl = u.toString();
    kind = 'DATABASE_URL server';
  } else {
    const tmp = await mkdtemp(path.join(os.tmpdir(), `circletel-bench-${prefix}-`));
    await chmod(tmp, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'data'), port: 0, persistent: true });
    adminUrl = server.adminUrl;
    kind = 'embedded PostgreSQL (durable defaults)';
    stopServer = async () => {
      await server.stop();
      await rm(tmp, { recursive: true, force: true });
    };
  }
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind,
    drop: async () => {
      if (!keep) await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      else console.error(`kept database ${url.toString()}`);
      await stopServer();
    },
  };
}

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

export interface RunningService {
  url: string;
  pid: number;
  /** A bearer header for an admin with these permissions. */
  admin(permissions: string[]): { Authorization: string };
  stop(): Promise<void>;
}

/**
 * The compiled service (dist/, `npm run build` first) on `databaseUrl`, ready (GET /health/ready),
 * with `npm run start:prod`'s node flags plus `extraNodeFlags`.
 */
export async function startService(databaseUrl: string, extraNodeFlags: string[] = []): Promise<RunningService> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...extraNodeFlags, 'dist/src/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '10',
      JWT_SECRET,
      BILLING_WEBHOOK_SECRET: 'bench-billing-webhook-secret',
      OUTBOUND_WEBHOOK_SECRET: 'bench-outbound-webhook-secret',
      LOG_LEVEL: 'warn',
      OUTBOX_RELAY_ENABLED: 'false',
      SCHEDULER_ENABLED: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the service was not ready within 90 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    admin: (permissions) => ({
      Authorization: `Bearer ${jwt.sign({ sub: 'bench-admin', role: 'admin', permissions }, JWT_SECRET, {
        algorithm: 'HS256',
        expiresIn: '2h',
      })}`,
    }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** VmRSS (now) and VmHWM (peak since start) of a process, in KiB. */
export function memoryOf(pid: number): { rssKiB: number; hwmKiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM') };
}

export const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
