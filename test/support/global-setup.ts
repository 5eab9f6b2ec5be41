import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';
import type * as EmbeddedModule from '../../src/platform/database/embedded-postgres.js';
import type * as RunnerModule from '../../src/platform/database/migrations/migration-runner.js';
import type * as NamesModule from './database-names.js';

// Jest loads globalSetup outside its module system (no moduleNameMapper), so project modules,
// which import each other with `.js` specifiers, are loaded through tsx instead.
const load = <T>(specifier: string): Promise<T> => tsImport(specifier, import.meta.url) as Promise<T>;

/**
 * Once per `jest` run, before any worker starts:
 *  - DATABASE_URL set → use that server (DATABASE_URL is the admin connection: CREATE DATABASE rights).
 *    Unset → start an embedded PostgreSQL in a fresh temporary directory (deleted in teardown).
 *  - Create the template database with every migration applied. Each test file then clones it
 *    (test/support/database.ts) — a few milliseconds instead of re-running the migrations.
 * Workers inherit process.env, so they find the server and the template there.
 */
export default async function globalSetup(): Promise<void> {
  const [
    { startEmbeddedPostgres },
    { applyMigrations },
    { databaseUrl, TEST_DB_PREFIX_ENV, TEMPLATE_DB_ENV, ADMIN_URL_ENV },
  ] = await Promise.all([
    load<typeof EmbeddedModule>('../../src/platform/database/embedded-postgres.ts'),
    load<typeof RunnerModule>('../../src/platform/database/migrations/migration-runner.ts'),
    load<typeof NamesModule>('./database-names.ts'),
  ]);
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    await removeAbandonedClusters();
    const tmp = await mkdtemp(path.join(os.tmpdir(), TMP_PREFIX));
    await chmod(tmp, 0o755); // reachable by the `postgres` user when we run as root
    await writeFile(path.join(tmp, OWNER_FILE), String(process.pid));
    const server = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'data'), port: 0, persistent: false });
    adminUrl = server.adminUrl;
    state.stop = async () => {
      await server.stop();
      await rm(tmp, { recursive: true, force: true });
    };
  }

  const template = `circletel_test_template_${runId}`;
  state.adminUrl = adminUrl;
  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(template)}`);
      state.template = template;
    } finally {
      await admin.end();
    }
    await applyMigrations(databaseUrl(adminUrl, template));
    // Nobody may stay connected to a template while it is cloned: close it to connections for good.
    const admin2 = new pg.Client({ connectionString: adminUrl });
    await admin2.connect();
    try {
      await admin2.query(
        `ALTER DATABASE ${admin2.escapeIdentifier(template)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
      );
      await admin2.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [template],
      );
    } finally {
      await admin2.end();
    }
  } catch (err) {
    // Jest skips globalTeardown when globalSetup fails: clean up here.
    await dropTemplateAndStop(state).catch(() => undefined);
    throw err;
  }

  process.env[ADMIN_URL_ENV] = adminUrl;
  process.env[TEMPLATE_DB_ENV] = template;
  process.env[TEST_DB_PREFIX_ENV] = `test_${runId}_`;
  state.prefix = `test_${runId}_`;
  (globalThis as { __circletelTestDb?: typeof state }).__circletelTestDb = state;
}

const TMP_PREFIX = 'circletel-test-pg-';
const OWNER_FILE = 'jest.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temporary clusters of earlier runs that were killed before their teardown (their jest process
 * is gone and no server runs in them) are deleted. Running servers are never touched.
 */
async function removeAbandonedClusters(): Promise<void> {
  const parent = os.tmpdir();
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const dir = path.join(parent, name);
    try {
      const owner = Number(await readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => 'NaN'));
      const ownerGone = Number.isInteger(owner) ? !alive(owner) : Date.now() - (await stat(dir)).mtimeMs > 3_600_000;
      if (!ownerGone) continue;
      const postmaster = Number(
        (await readFile(path.join(dir, 'data', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
      );
      if (postmaster > 0 && alive(postmaster)) continue;
      await rm(dir, { recursive: true, force: true });
    } catch {
      // another run is cleaning up the same directory, or it is not ours: leave it
    }
  }
}

const state: { adminUrl?: string; template?: string; prefix?: string; stop?: () => Promise<void> } = {};

async function dropTemplateAndStop(s: typeof state) {
  try {
    if (s.adminUrl && s.template) {
      const admin = new pg.Client({ connectionString: s.adminUrl });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(s.template)} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    }
  } finally {
    await s.stop?.();
  }
}
