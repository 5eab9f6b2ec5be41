import { createHash, randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/**
 * An offline `prisma migrate deploy`: applies prisma/migrations/<name>/migration.sql files that
 * are not yet recorded in `_prisma_migrations`, in directory-name order, and records them exactly
 * as Prisma does — so `prisma migrate status|deploy|resolve` keep working on the same database
 * wherever Prisma's schema engine is available.
 *
 * - One advisory lock (Prisma's own key, 72707369) for the whole run: many instances may start at
 *   once; the first applies, the others wait and then find nothing to do.
 * - Each migration runs in its own transaction together with its `_prisma_migrations` row.
 *   A migration that fails is rolled back and recorded as failed (finished_at NULL, logs = error),
 *   like Prisma; later runs refuse to start until it is resolved.
 * - A migration whose file changed after it was applied (sha256 differs) is refused.
 *
 * A migration that cannot run in a transaction (e.g. CREATE INDEX CONCURRENTLY) may opt out with
 * the line `-- migration-runner: no-transaction` in its migration.sql.
 */

/** The advisory lock key `prisma migrate` takes (schema-engine: `pg_advisory_lock(72707369)`). */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export interface ApplyMigrationsOptions {
  /** Directory holding `<name>/migration.sql` folders. Default: see {@link defaultMigrationsDir}. */
  migrationsDir?: string;
  log?: (msg: string) => void;
}

export interface LocalMigration {
  name: string;
  file: string;
  sql: Buffer;
  checksum: string;
}

interface AppliedRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

const NO_TRANSACTION_MARKER = /^--\s*migration-runner:\s*no-transaction\s*$/m;

/**
 * `MIGRATIONS_DIR` when set; otherwise the first `prisma/migrations` found walking up from the
 * working directory, then from the entry script (so `node /app/dist/src/main.js` started from
 * anywhere, tsx and jest all find the project's folder).
 */
export function defaultMigrationsDir(): string {
  const fromEnv = process.env.MIGRATIONS_DIR?.trim();
  if (fromEnv) return path.resolve(fromEnv);
  const starts = [process.cwd(), process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : undefined];
  for (const start of starts) {
    if (!start) continue;
    let dir = start;
    for (;;) {
      const candidate = path.join(dir, 'prisma', 'migrations');
      if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new MigrationError(
    `cannot find prisma/migrations above ${process.cwd()}; set MIGRATIONS_DIR to the migrations folder`,
  );
}

export function checksumOf(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The migrations on disk, in the order they apply (directory name, byte-wise like Prisma). */
export async function readLocalMigrations(migrationsDir = defaultMigrationsDir()): Promise<LocalMigration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && existsSync(path.join(migrationsDir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      const sql = await readFile(file);
      return { name, file, sql, checksum: checksumOf(sql) };
    }),
  );
}

/** `?schema=` in the URL selects the schema, as with Prisma; default `public`. */
function connect(databaseUrl: string): { client: pg.Client; schema: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') || 'public';
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString(), application_name: 'migration-runner' });
  return { client, schema };
}

async function useSchema(client: pg.Client, schema: string) {
  const ident = client.escapeIdentifier(schema);
  if (schema !== 'public') await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident}`);
  await client.query(`SET search_path TO ${ident}`);
}

async function readApplied(client: pg.Client, schema: string): Promise<AppliedRow[] | undefined> {
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [
    `${client.escapeIdentifier(schema)}."_prisma_migrations"`,
  ]);
  if (!exists.rows[0]?.t) return undefined;
  const res = await client.query<AppliedRow>(
    `SELECT id, migration_name, checksum, finished_at, rolled_back_at, started_at, logs
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return res.rows;
}

const succeeded = (r: AppliedRow) => r.finished_at !== null && r.rolled_back_at === null;
const failed = (r: AppliedRow) => r.finished_at === null && r.rolled_back_at === null;

/** Names of local migrations not (successfully) applied to the database. */
export async function pendingMigrations(databaseUrl: string, opts: { migrationsDir?: string } = {}): Promise<string[]> {
  const local = await readLocalMigrations(opts.migrationsDir ?? defaultMigrationsDir());
  const { client, schema } = connect(databaseUrl);
  await client.connect();
  try {
    const applied = (await readApplied(client, schema)) ?? [];
    const done = new Set(applied.filter(succeeded).map((r) => r.migration_name));
    return local.map((m) => m.name).filter((n) => !done.has(n));
  } finally {
    await client.end().catch(() => undefined);
  }
}

function describePgError(err: unknown, sql: string): string {
  const e = err as { message?: string; position?: string; code?: string; detail?: string; hint?: string };
  let msg = e.message ?? String(err);
  if (e.code) msg += ` (SQLSTATE ${e.code})`;
  if (e.position) {
    const pos = Number(e.position);
    if (Number.isFinite(pos)) msg += ` at line ${sql.slice(0, pos - 1).split('\n').length}`;
  }
  if (e.detail) msg += `\nDETAIL: ${e.detail}`;
  if (e.hint) msg += `\nHINT: ${e.hint}`;
  return msg;
}

/**
 * Applies every pending migration. Throws a {@link MigrationError} naming the migration when an
 * applied migration's file changed, when a previous migration failed and is unresolved, or when a
 * migration fails now (it is then rolled back and recorded as failed).
 */
export async function applyMigrations(
  databaseUrl: string,
  opts: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => undefined);
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  const local = await readLocalMigrations(migrationsDir);
  const { client, schema } = connect(databaseUrl);
  client.on('error', () => undefined); // surfaced through the failing query instead
  await client.connect();
  const appliedNow: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      await useSchema(client, schema);
      await client.query(CREATE_MIGRATIONS_TABLE);
      const rows = (await readApplied(client, schema)) ?? [];

      const failedRow = rows.find(failed);
      if (failedRow) {
        throw new MigrationError(
          `migration ${failedRow.migration_name} (started ${failedRow.started_at.toISOString()}) failed and is not resolved; ` +
            `no further migrations will be applied. Fix the database, then mark it rolled back ` +
            `(\`prisma migrate resolve --rolled-back ${failedRow.migration_name}\`, or ` +
            `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id = '${failedRow.id}').` +
            (failedRow.logs ? `\nIts error was: ${failedRow.logs}` : ''),
          failedRow.migration_name,
        );
      }

      const localByName = new Map(local.map((m) => [m.name, m]));
      const done = new Map<string, AppliedRow>();
      for (const row of rows.filter(succeeded)) done.set(row.migration_name, row);
      for (const [name, row] of done) {
        const file = localByName.get(name);
        if (!file) {
          log(`warning: migration ${name} is applied to the database but missing from ${migrationsDir}`);
        } else if (file.checksum !== row.checksum) {
          throw new MigrationError(
            `migration ${name} was modified after it was applied (checksum in database ${row.checksum}, ` +
              `file ${file.checksum}). Applied migrations must never change: revert ${file.file} ` +
              `and put the change in a new migration.`,
            name,
          );
        }
      }

      for (const m of local) {
        if (done.has(m.name)) continue;
        const sql = m.sql.toString('utf8');
        const inTransaction = !NO_TRANSACTION_MARKER.test(sql);
        const id = randomUUID();
        log(`applying migration ${m.name}`);
        try {
          if (inTransaction) {
            await client.query('BEGIN');
            await client.query(sql);
            await client.query(
              `INSERT INTO "_prisma_migrations"
                 (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
               VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
              [id, m.checksum, m.name],
            );
            await client.query('COMMIT');
          } else {
            await client.query(
              `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
               VALUES ($1, $2, $3, now(), 0)`,
              [id, m.checksum, m.name],
            );
            await client.query(sql);
            await client.query(
              `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
              [id],
            );
          }
        } catch (err) {
          const detail = describePgError(err, sql);
          if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
          // Record the failure as Prisma does, so every later start refuses until it is resolved.
          await client
            .query(
              `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
               VALUES ($1, $2, $3, $4, now(), 0)
               ON CONFLICT (id) DO UPDATE SET logs = EXCLUDED.logs`,
              [id, m.checksum, m.name, detail],
            )
            .catch(() => undefined);
          throw new MigrationError(
            `migration ${m.name} failed: ${detail}` +
              (inTransaction
                ? '\n(its changes were rolled back)'
                : '\n(it ran outside a transaction: check the database)'),
            m.name,
          );
        }
        appliedNow.push(m.name);
        log(`applied migration ${m.name}`);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return { applied: appliedNow };
}
