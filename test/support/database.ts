import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ADMIN_URL_ENV, databaseUrl, TEMPLATE_DB_ENV, TEST_DB_PREFIX_ENV } from './database-names.js';

export interface TestDatabase {
  /** postgresql://… URL of the new database. */
  url: string;
  name: string;
  /** Drops the database (terminating any connection still open on it). */
  drop(): Promise<void>;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run integration tests through jest (test/support/global-setup.ts)`);
  return v;
}

/** URL of the test server's maintenance database (CREATE/DROP DATABASE rights). */
export function testAdminUrl(): string {
  return env(ADMIN_URL_ENV);
}

async function create(template: string): Promise<TestDatabase> {
  const adminUrl = env(ADMIN_URL_ENV);
  const name = `${env(TEST_DB_PREFIX_ENV)}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(
          `CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(template)}`,
        );
        break;
      } catch (err) {
        // 55006 "source database is being accessed by other users": only if someone connected to
        // the template (global-setup forbids connections); retry briefly rather than fail the suite.
        if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  let dropped: Promise<void> | undefined;
  return {
    url: databaseUrl(adminUrl, name),
    name,
    drop: () =>
      (dropped ??= (async () => {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
        } finally {
          await c.end();
        }
      })()),
  };
}

/** A fresh database with every migration applied (a clone of the run's template). */
export function createTestDatabase(): Promise<TestDatabase> {
  return create(env(TEMPLATE_DB_ENV));
}

/** A fresh, empty database (no migrations) — for testing the migrations themselves. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return create('template0');
}
