import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile, mkdir, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import * as schemaWasm from '@prisma/prisma-schema-wasm';
import {
  applyMigrations,
  defaultMigrationsDir,
  pendingMigrations,
  readLocalMigrations,
} from '../src/platform/database/migrations/migration-runner.js';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from './support/database.js';

/*
 * prisma/schema.prisma and prisma/migrations must describe the same database. The Prisma side is
 * read from the schema's DMMF (Prisma's own parser, @prisma/prisma-schema-wasm); the database side
 * from pg_catalog after applying every migration to an empty database. Both are reduced to lines
 * such as `column referrals.review text NOT NULL DEFAULT 'none'::text` and compared.
 */

// ───────────── Prisma scalar (+ native type) → PostgreSQL type, as pg's format_type() prints it ─────────────

const DEFAULT_TYPE_OF_SCALAR: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

function nativeTypeToPg(scalar: string, native: string, args: string[]): string {
  switch (native) {
    case 'Uuid':
      return 'uuid';
    case 'Text':
      return 'text';
    case 'Timestamptz':
      return `timestamp(${args[0] ?? '6'}) with time zone`;
    case 'Timestamp':
      return `timestamp(${args[0] ?? '6'}) without time zone`;
    case 'Date':
      return 'date';
    case 'Integer':
      return 'integer';
    case 'BigInt':
      return 'bigint';
    case 'SmallInt':
      return 'smallint';
    case 'VarChar':
      return args.length ? `character varying(${args[0]})` : 'character varying';
    case 'Char':
      return `character(${args[0] ?? '1'})`;
    case 'JsonB':
      return 'jsonb';
    case 'Json':
      return 'json';
    case 'Boolean':
      return 'boolean';
    default:
      throw new Error(
        `no PostgreSQL type mapping for ${scalar} @db.${native}(${args.join(', ')}): add it to this test`,
      );
  }
}

function pgTypeOf(scalar: string, nativeType: [string, string[]] | null): string {
  if (nativeType) return nativeTypeToPg(scalar, nativeType[0], nativeType[1]);
  const t = DEFAULT_TYPE_OF_SCALAR[scalar];
  if (!t) throw new Error(`no PostgreSQL type mapping for Prisma scalar ${scalar}: add it to this test`);
  return t;
}

/** A Prisma @default as PostgreSQL stores it (pg_get_expr of the column default). */
function pgDefaultOf(table: string, column: string, scalar: string, pgType: string, def: unknown): string | undefined {
  if (def === undefined) return undefined;
  if (typeof def === 'object' && def !== null && 'name' in def) {
    const fn = (def as { name: string }).name;
    if (fn === 'now') return 'CURRENT_TIMESTAMP';
    if (fn === 'autoincrement') return `nextval('${table}_${column}_seq'::regclass)`;
    throw new Error(`no PostgreSQL mapping for @default(${fn}()) on ${table}.${column}: add it to this test`);
  }
  // Numbers (BigInt defaults arrive as strings) and booleans are stored bare; text is quoted and cast.
  if (['Int', 'BigInt', 'Float', 'Decimal', 'Boolean'].includes(scalar)) return String(def);
  if (typeof def === 'string') return `'${def.replace(/'/g, "''")}'::${pgType}`;
  throw new Error(
    `no PostgreSQL mapping for @default(${JSON.stringify(def)}) on ${table}.${column}: add it to this test`,
  );
}

// ───────────────────────────── the Prisma side ─────────────────────────────

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType: [string, string[]] | null;
  default?: unknown;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: { name: string; sortOrder?: 'asc' | 'desc' }[];
}

async function prismaSide(): Promise<string[]> {
  const schema = await readFile(path.resolve('prisma/schema.prisma'), 'utf8');
  const dmmf = JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] }))) as {
    datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] };
  };
  const lines: string[] = [];
  const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    for (const f of model.fields) {
      if (f.kind !== 'scalar' && f.kind !== 'enum') continue;
      if (f.kind === 'enum' || f.isList)
        throw new Error(`${model.name}.${f.name}: enums and lists are not mapped by this test yet`);
      const column = f.dbName ?? f.name;
      const type = pgTypeOf(f.type, f.nativeType);
      const def = pgDefaultOf(table, column, f.type, type, f.default);
      lines.push(`column ${table}.${column} ${type}${f.isRequired ? ' NOT NULL' : ''}${def ? ` DEFAULT ${def}` : ''}`);
    }
  }
  for (const idx of dmmf.datamodel.indexes) {
    const model = models.get(idx.model)!;
    const table = model.dbName ?? model.name;
    const cols = idx.fields.map((f) => {
      const field = model.fields.find((x) => x.name === f.name)!;
      return { name: field.dbName ?? field.name, desc: f.sortOrder === 'desc' };
    });
    const colList = cols.map((c) => `${c.name}${c.desc ? ' DESC' : ''}`).join(', ');
    const joined = cols.map((c) => c.name).join('_');
    if (idx.type === 'id') lines.push(`primary key ${table}.${idx.dbName ?? `${table}_pkey`} (${colList})`);
    else if (idx.type === 'unique')
      lines.push(`unique index ${table}.${idx.dbName ?? `${table}_${joined}_key`} (${colList})`);
    else if (idx.type === 'normal') lines.push(`index ${table}.${idx.dbName ?? `${table}_${joined}_idx`} (${colList})`);
    else throw new Error(`index type ${idx.type} on ${table} is not mapped by this test`);
  }
  for (const model of dmmf.datamodel.models) lines.push(`table ${model.dbName ?? model.name}`);
  return lines.sort();
}

// ───────────────────────────── the database side ─────────────────────────────

async function databaseSide(sql: pg.Client): Promise<string[]> {
  const lines: string[] = [];
  const tables = await sql.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`,
  );
  for (const { table } of tables.rows) lines.push(`table ${table}`);

  const columns = await sql.query<{
    table: string;
    column: string;
    type: string;
    notnull: boolean;
    def: string | null;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
        AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  for (const c of columns.rows) {
    lines.push(
      `column ${c.table}.${c.column} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.def ? ` DEFAULT ${c.def}` : ''}`,
    );
  }

  const indexes = await sql.query<{
    table: string;
    name: string;
    primary: boolean;
    unique: boolean;
    cols: string[];
    partial: boolean;
  }>(
    `SELECT t.relname AS table, i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique,
            x.indpred IS NOT NULL AS partial,
            ARRAY(
              SELECT pg_get_indexdef(x.indexrelid, k, true) ||
                     CASE WHEN (x.indoption[k - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                FROM generate_series(1, x.indnkeyatts) AS k ORDER BY k
            ) AS cols
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`,
  );
  for (const i of indexes.rows) {
    const kind = i.primary ? 'primary key' : i.unique ? 'unique index' : 'index';
    lines.push(`${kind} ${i.table}.${i.name} (${i.cols.join(', ')})${i.partial ? ' WHERE …' : ''}`);
  }

  // Unique/primary constraints are the indexes above; any other constraint backed by an index
  // (EXCLUDE) or a foreign key would be invisible to Prisma — list them so they show up as a diff.
  const others = await sql.query<{ table: string; name: string; type: string }>(
    `SELECT t.relname AS table, k.conname AS name, k.contype AS type
       FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND k.contype IN ('f', 'x')`,
  );
  for (const o of others.rows) lines.push(`constraint ${o.table}.${o.name} (type ${o.type})`);
  return lines.sort();
}

function diff(prisma: string[], database: string[]): string[] {
  const p = new Set(prisma);
  const d = new Set(database);
  return [
    ...prisma.filter((l) => !d.has(l)).map((l) => `in schema.prisma, not in the migrations: ${l}`),
    ...database.filter((l) => !p.has(l)).map((l) => `in the migrations, not in schema.prisma: ${l}`),
  ];
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'circletel-migrations-'));
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

const databases: TestDatabase[] = [];
const tempDirs: string[] = [];
async function emptyDatabase() {
  const db = await createEmptyDatabase();
  databases.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

// ───────────────────────────── tests ─────────────────────────────

describe('schema.prisma and the migrations', () => {
  it('describe the same tables, columns, primary keys, unique indexes and indexes', async () => {
    const db = await emptyDatabase();
    await applyMigrations(db.url);
    const [prisma, database] = await Promise.all([prismaSide(), withClient(db.url, databaseSide)]);
    expect(prisma.length).toBeGreaterThan(100); // the schema was really read
    expect(diff(prisma, database)).toEqual([]);
  });

  it('would notice a column the migrations lack', async () => {
    const db = await emptyDatabase();
    await applyMigrations(db.url);
    await withClient(db.url, (c) => c.query('ALTER TABLE "referrals" DROP COLUMN "source"'));
    const [prisma, database] = await Promise.all([prismaSide(), withClient(db.url, databaseSide)]);
    expect(diff(prisma, database)).toEqual(['in schema.prisma, not in the migrations: column referrals.source text']);
  });
});

describe('the migration runner', () => {
  it('applies every migration to an empty database and nothing the second time', async () => {
    const db = await emptyDatabase();
    const local = (await readLocalMigrations()).map((m) => m.name);
    expect(await pendingMigrations(db.url)).toEqual(local);
    expect(await applyMigrations(db.url)).toEqual({ applied: local });
    expect(await applyMigrations(db.url)).toEqual({ applied: [] });
    expect(await pendingMigrations(db.url)).toEqual([]);
  });

  it('records each migration in _prisma_migrations with the sha256 of its file, finished', async () => {
    const db = await emptyDatabase();
    await applyMigrations(db.url);
    const local = await readLocalMigrations();
    const rows = await withClient(db.url, (c) =>
      c.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
        applied_steps_count: number;
        logs: string | null;
      }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs FROM _prisma_migrations ORDER BY migration_name',
      ),
    );
    expect(rows.rows.map((r) => ({ ...r, finished_at: r.finished_at instanceof Date }))).toEqual(
      await Promise.all(
        local.map(async (m) => ({
          migration_name: m.name,
          checksum: createHash('sha256')
            .update(await readFile(m.file))
            .digest('hex'),
          finished_at: true,
          rolled_back_at: null,
          applied_steps_count: 1,
          logs: null,
        })),
      ),
    );
  });

  it('creates _prisma_migrations with the columns Prisma creates', async () => {
    const db = await emptyDatabase();
    await applyMigrations(db.url);
    const cols = await withClient(db.url, (c) =>
      c.query(
        `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
           FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      ),
    );
    expect(cols.rows).toEqual([
      { column_name: 'id', data_type: 'character varying', len: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', len: 64, is_nullable: 'NO', column_default: null },
      {
        column_name: 'finished_at',
        data_type: 'timestamp with time zone',
        len: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'migration_name',
        data_type: 'character varying',
        len: 255,
        is_nullable: 'NO',
        column_default: null,
      },
      { column_name: 'logs', data_type: 'text', len: null, is_nullable: 'YES', column_default: null },
      {
        column_name: 'rolled_back_at',
        data_type: 'timestamp with time zone',
        len: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'started_at',
        data_type: 'timestamp with time zone',
        len: null,
        is_nullable: 'NO',
        column_default: 'now()',
      },
      { column_name: 'applied_steps_count', data_type: 'integer', len: null, is_nullable: 'NO', column_default: '0' },
    ]);
  });

  it('applies a migration exactly once when several instances start at the same time', async () => {
    const db = await emptyDatabase();
    const results = await Promise.all([applyMigrations(db.url), applyMigrations(db.url), applyMigrations(db.url)]);
    const local = (await readLocalMigrations()).map((m) => m.name);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(local);
    const count = await withClient(db.url, (c) =>
      c.query<{ migration_name: string; n: string }>(
        'SELECT migration_name, count(*) AS n FROM _prisma_migrations GROUP BY 1 ORDER BY 1',
      ),
    );
    expect(count.rows).toEqual(local.map((name) => ({ migration_name: name, n: '1' })));
  });

  it('refuses to start when an applied migration was changed afterwards, naming it', async () => {
    const db = await emptyDatabase();
    const dir = await copyOfMigrations();
    tempDirs.push(dir);
    await applyMigrations(db.url, { migrationsDir: dir });
    await appendFile(path.join(dir, '20261124000000_init', 'migration.sql'), '\n-- edited later\n');
    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toThrow(
      /migration 20261124000000_init was modified after it was applied/,
    );
  });

  it('rolls back a failing migration, records it as failed, and refuses to start until it is resolved', async () => {
    const db = await emptyDatabase();
    const dir = await copyOfMigrations();
    tempDirs.push(dir);
    await mkdir(path.join(dir, '20991231000000_broken'));
    await writeFile(
      path.join(dir, '20991231000000_broken', 'migration.sql'),
      'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT no_such_function();\n',
    );
    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toThrow(
      /migration 20991231000000_broken failed/,
    );
    const state = await withClient(db.url, async (c) => ({
      halfDone: (await c.query(`SELECT to_regclass('half_done') AS t`)).rows[0].t,
      row: (
        await c.query(`SELECT finished_at, logs FROM _prisma_migrations WHERE migration_name = '20991231000000_broken'`)
      ).rows[0],
    }));
    expect(state.halfDone).toBeNull();
    expect(state.row.finished_at).toBeNull();
    expect(state.row.logs).toMatch(/no_such_function/);
    expect(await pendingMigrations(db.url, { migrationsDir: dir })).toEqual(['20991231000000_broken']);

    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toThrow(
      /migration 20991231000000_broken .*failed and is not resolved/,
    );

    // Resolved (prisma migrate resolve --rolled-back) and fixed: it applies.
    await withClient(db.url, (c) =>
      c.query(`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE finished_at IS NULL`),
    );
    await writeFile(
      path.join(dir, '20991231000000_broken', 'migration.sql'),
      'CREATE TABLE "half_done" ("id" INTEGER);\n',
    );
    expect(await applyMigrations(db.url, { migrationsDir: dir })).toEqual({ applied: ['20991231000000_broken'] });
  });
});

describe('the database itself', () => {
  let db: TestDatabase;
  let sql: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    databases.push(db);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await sql.query(
      `INSERT INTO audit_log (id, actor, action, customer_id, subject_id) VALUES ('00000000-0000-4000-8000-000000000001', 'admin:1', 'test', 'C1', 'S1')`,
    );
    await sql.query(
      `INSERT INTO credit_notes (id, number, year, sequence, customer_id, service_id, reward_id, period_start, period_end,
                                 amount_incl_vat_cents, vat_amount_cents, amount_excl_vat_cents, vat_rate_basis_points, issued_at)
       VALUES ('00000000-0000-4000-8000-000000000002', 'CN-2026-000001', 2026, 1, 'C1', 'SVC1', '00000000-0000-4000-8000-000000000003',
               '2026-07-01', '2026-07-31', 57500, 7500, 50000, 1500, now())`,
    );
  });
  afterAll(async () => {
    await sql.end();
  });

  it.each([
    ['UPDATE audit_log SET reason = $$changed$$', 'audit_log', 'UPDATE'],
    ['DELETE FROM audit_log', 'audit_log', 'DELETE'],
    ['TRUNCATE audit_log', 'audit_log', 'TRUNCATE'],
    [
      'UPDATE credit_notes SET amount_incl_vat_cents = 0, amount_excl_vat_cents = 0, vat_amount_cents = 0',
      'credit_notes',
      'UPDATE',
    ],
    ['DELETE FROM credit_notes', 'credit_notes', 'DELETE'],
    ['TRUNCATE credit_notes', 'credit_notes', 'TRUNCATE'],
  ])('refuses %s because the table is append-only', async (statement, table, op) => {
    await expect(sql.query(statement)).rejects.toThrow(`${table} is append-only: ${op} is not allowed`);
  });

  it('keeps the audit log and credit notes unchanged after the refused changes', async () => {
    const res = await sql.query(
      `SELECT (SELECT count(*) FROM audit_log WHERE reason IS NULL) AS audit, (SELECT sum(amount_incl_vat_cents) FROM credit_notes) AS incl`,
    );
    expect(res.rows[0]).toEqual({ audit: '1', incl: '57500' });
  });

  it('refuses a credit note whose amounts do not add up or are negative', async () => {
    const insert = (incl: number, vat: number, excl: number, n: number) =>
      sql.query(
        `INSERT INTO credit_notes (id, number, year, sequence, customer_id, service_id, reward_id, period_start, period_end,
                                   amount_incl_vat_cents, vat_amount_cents, amount_excl_vat_cents, vat_rate_basis_points, issued_at)
         VALUES (gen_random_uuid(), $4, 2026, $5, 'C1', $4, gen_random_uuid(), '2026-07-01', '2026-07-31', $1, $2, $3, 1500, now())`,
        [incl, vat, excl, `CN-${n}`, n],
      );
    await expect(insert(57500, 7500, 49999, 2)).rejects.toThrow(/credit_notes_amounts_add_up_check/);
    await expect(insert(-100, 0, -100, 3)).rejects.toThrow(/credit_notes_amounts_non_negative_check/);
  });
});
