import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * One of the project's TypeScript entry points (`src/main.ts`, `src/cli/reconcile.ts`) as its
 * own process, the way `npm start` runs it (swc-node), on the given database. It sees only PATH,
 * HOME, NODE_ENV=test, DATABASE_URL and `env` — nothing else from this process's environment.
 * stdout and stderr are piped for the caller to read.
 */
export function spawnEntryPoint(
  entry: string,
  args: string[],
  databaseUrl: string,
  env: Record<string, string>,
): ChildProcess {
  return spawn(process.execPath, ['--import', '@swc-node/register/esm-register', entry, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
