import 'reflect-metadata';
import net from 'node:net';
import type { Server } from 'node:http';
import { createApp } from './bootstrap.js';
import { ConfigError, loadConfig, type AppConfig } from './platform/config/config.js';
import { loadDotEnv } from './platform/config/env-file.js';
import { resolveDatabase } from './platform/database/resolve-database.js';
import { createRootLogger } from './platform/observability/logger.js';
import { ShutdownState } from './platform/observability/shutdown-state.js';

/** Exit codes: 0 stopped cleanly, 1 failed to start or stop, 69 the port is taken, 78 bad configuration. */
const EXIT = { ok: 0, failed: 1, portInUse: 69, config: 78 } as const;

/** Bootstrap only: config, database (embedded when DATABASE_URL is unset), migrations, HTTP, shutdown. */
async function main(): Promise<void> {
  loadDotEnv();
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
      process.exit(EXIT.config);
    }
    throw e;
  }
  // Before the database starts: a taken port is the commonest first-run mistake, report it at once.
  if (config.port !== 0 && !(await portIsFree(config.port))) portInUse(config.port);

  const log = createRootLogger(config).child({ component: 'main' });
  const database = await resolveDatabase(config, (msg) => log.info(msg));
  const app = await createApp({ ...config, databaseUrl: database.url });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => {
      log.error('shutdown took longer than 25 s; exiting');
      process.exit(EXIT.failed);
    }, config.shutdownDelayMs + 25_000);
    force.unref();
    let code: number = EXIT.ok;
    try {
      // 1. Readiness turns 503 while everything still serves, so load balancers stop sending work.
      app.get(ShutdownState).begin();
      log.info(`${signal}: shutting down — /health/ready answers 503; HTTP drains in ${config.shutdownDelayMs} ms`);
      if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
      // 2. Stop accepting connections and let requests under way finish (idle keep-alives close).
      await closeServer(app.getHttpServer());
      // 3. Then the workers, pools and the embedded database.
      await app.close();
      await database.stop();
      log.info('stopped');
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      code = EXIT.failed;
    }
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    await app.listen(config.port, '0.0.0.0');
  } catch (err) {
    await app.close().catch(() => undefined);
    await database.stop().catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') portInUse(config.port);
    throw err;
  }
  const port = (app.getHttpServer().address() as net.AddressInfo).port;
  const base = `http://localhost:${port}`;
  log.info(`ready on ${base} — API docs ${base}/docs · widget demo ${base}/widget/demo · admin console ${base}/admin`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '0.0.0.0', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function portInUse(port: number): never {
  process.stderr.write(
    `Port ${port} is already in use — is the service already running (another \`npm start\`)? ` +
      `Stop it, or start this one on another port: PORT=${port + 1} npm start\n`,
  );
  process.exit(EXIT.portInUse);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

main().catch((err: unknown) => {
  const verbose = /^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '');
  const text = err instanceof Error ? ((verbose ? err.stack : undefined) ?? err.message) : String(err);
  process.stderr.write(`Failed to start: ${text}\n${verbose ? '' : '(LOG_LEVEL=debug shows the stack trace)\n'}`);
  process.exit(EXIT.failed);
});
