import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createApp } from './bootstrap.js';
import { ConfigError, loadConfig } from './platform/config/config.js';
import { resolveDatabase } from './platform/database/resolve-database.js';
import { createRootLogger } from './platform/observability/logger.js';

/** Bootstrap only: config, database (embedded when DATABASE_URL is unset), migrations, HTTP. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
      process.exit(78);
    }
    throw e;
  }
  const log = createRootLogger(config.logLevel).child({ component: 'main' });
  const database = await resolveDatabase(config, (msg) => log.info(msg));
  const app = await createApp({ ...config, databaseUrl: database.url });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: draining HTTP, stopping workers');
    const force = setTimeout(() => {
      log.error('shutdown took longer than 25 s; exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    try {
      await app.close();
      await database.stop();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.port, '0.0.0.0');
  log.info(
    { port: config.port, docs: `http://localhost:${config.port}/docs` },
    'CircleTel referrals service listening',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
