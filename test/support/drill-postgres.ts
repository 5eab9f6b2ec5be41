import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/platform/database/embedded-postgres.js';
import { applyMigrations } from '../../src/platform/database/migrations/migration-runner.js';

/**
 * A PostgreSQL server of its own for a failure drill, which the drill may stop and start again
 * on the same data directory and port (the app keeps the same DATABASE_URL throughout).
 * Persistent cluster (kept across stop/start), deleted by `destroy()`.
 */
export interface DrillPostgres {
  /** postgresql://… URL of the migrated `circletel` database. */
  url: string;
  port: number;
  /** Fast shutdown (SIGINT): open connections are terminated, as in a real restart. */
  stop(): Promise<void>;
  /** Starts the server again on the same data directory and port. */
  start(): Promise<void>;
  /** Stops the server (when running) and deletes its data directory. */
  destroy(): Promise<void>;
}

export async function startDrillPostgres(): Promise<DrillPostgres> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'circletel-drill-pg-'));
  await chmod(tmp, 0o755); // the server runs as the `postgres` user when we are root
  const dataDir = path.join(tmp, 'data');
  let server: EmbeddedPostgresHandle | undefined = await startEmbeddedPostgres({ dataDir, port: 0, persistent: true });
  const { url, port } = server;
  await applyMigrations(url);
  return {
    url,
    port,
    async stop() {
      const s = server;
      server = undefined;
      await s?.stop();
    },
    async start() {
      if (server) return;
      server = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    },
    async destroy() {
      const s = server;
      server = undefined;
      try {
        await s?.stop();
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
  };
}
