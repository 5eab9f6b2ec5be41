import type { AppConfig } from '../config/config.js';
import { runningEmbeddedPostgresUrl, startEmbeddedPostgres } from './embedded-postgres.js';
import { applyMigrations } from './migrations/migration-runner.js';

/**
 * DATABASE_URL set → that PostgreSQL. Unset → an embedded PostgreSQL under .data/, kept
 * between runs, stopped with the service. Either way, migrations are applied (under an
 * advisory lock, so many instances may start at once).
 */
export async function resolveDatabase(
  config: AppConfig,
  log: (msg: string) => void,
): Promise<{ url: string; stop(): Promise<void> }> {
  let url: string | undefined = config.databaseUrl;
  let stop = async () => {};
  if (url === undefined) {
    const dataDir = config.embeddedPgDir;
    const shared = await runningEmbeddedPostgresUrl(dataDir);
    if (shared) {
      // Another process of the service (npm start, the CLI) already runs it: share it, leave it running.
      log(`DATABASE_URL is not set: using the embedded PostgreSQL already running on ${dataDir}`);
      url = shared;
    } else {
      log(`DATABASE_URL is not set: starting embedded PostgreSQL in ${dataDir}`);
      const embedded = await startEmbeddedPostgres({ dataDir, persistent: true });
      url = embedded.url;
      stop = embedded.stop;
      log(`embedded PostgreSQL ready at ${embedded.url.replace(/\/\/[^@]*@/, '//')}`);
    }
  }
  const resolved: string = url;
  const { applied } = await applyMigrations(resolved, { log });
  log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  return { url: resolved, stop };
}
