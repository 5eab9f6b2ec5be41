import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * One of the project's TypeScript entry points (`src/main.ts`, `src/cli/reconcile.ts`) as its
 * own process, the way `npm start` runs it (swc-node), on the given database. It sees only PATH,
 * HOME, NODE_ENV=test, DATABASE_URL and `env` — nothing else from this process's environment.
 * stdout and stderr are piped for the caller to read.
 *
 * `opts.cwd` runs it from another directory (default: the project folder), with swc-node
 * pointed at the project's tsconfig; that directory needs a `node_modules` link to the
 * project's (swc-node's loader resolves itself from the working directory).
 */
export function spawnEntryPoint(
  entry: string,
  args: string[],
  databaseUrl: string,
  env: Record<string, string>,
  opts: { cwd?: string } = {},
): ChildProcess {
  return spawn(process.execPath, ['--import', '@swc-node/register/esm-register', path.resolve(ROOT, entry), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      ...(opts.cwd ? { SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A TCP port nobody listens on right now (the OS picks it; closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  child: ChildProcess;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/**
 * The compiled service (`node dist/src/main.js`, as `npm run start:prod` runs it; build it first
 * with ensureServiceBuilt) as a child process in production mode on a free port, ready
 * (/health/ready answers 200) when the promise resolves. Like spawnEntryPoint it sees only PATH,
 * HOME, NODE_ENV=production, DATABASE_URL, PORT and `env`.
 */
export async function startBuiltService(databaseUrl: string, env: Record<string, string>): Promise<RunningService> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    baseUrl,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${out}`);
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return service;
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`the service was not ready within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A child's output as it arrives, and its exit. */
export interface Watched {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once `predicate` holds for the output so far (stdout + stderr), or rejects at the deadline or exit. */
  waitFor(predicate: (output: string) => boolean, timeoutMs: number, what: string): Promise<void>;
}

export function watch(child: ChildProcess): Watched {
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), notify()));
  child.stderr!.on('data', (d: Buffer) => ((err += d.toString()), notify()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      notify();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (predicate, timeoutMs, what) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(out + err)) finish(resolve);
          else if (done) finish(() => reject(new Error(`exited before ${what}:\n${out}${err}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`timed out waiting for ${what}:\n${out}${err}`))),
          timeoutMs,
        );
        const finish = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      }),
  };
}
