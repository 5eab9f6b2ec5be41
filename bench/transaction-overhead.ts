/**
 * What a transaction costs the service's CPU, per operation, by route to PostgreSQL: the service's
 * own `Db.transaction` (@nestjs-cls/transactional over the node-postgres adapter), Prisma's
 * interactive transaction (what the service used before), and bare node-postgres BEGIN/COMMIT on
 * the same pool. 10 concurrent loops, after a warm-up; CPU is this process's user+system time
 * (process.cpuUsage), so the database's own work is not in it.
 *
 *   node --import @swc-node/register/esm-register bench/transaction-overhead.ts
 *
 * DATABASE_URL: any PostgreSQL (default postgresql://postgres@127.0.0.1:5432/postgres); it only
 * runs SELECTs. Findings in bench/README.md.
 */
import 'reflect-metadata';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../src/platform/config/config.js';
import { DatabaseModule } from '../src/platform/database/database.module.js';
import { Db } from '../src/platform/database/db.js';
import { PG_POOL } from '../src/platform/database/pg-pool.js';
import { PrismaService } from '../src/platform/database/prisma.service.js';
import { sql } from '../src/platform/database/sql.js';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useValue: { databaseUrl: url, databasePoolSize: 10 } as AppConfig }],
  exports: [APP_CONFIG],
})
class ConfigOnly {}

@Module({ imports: [ConfigOnly, DatabaseModule] })
class BenchModule {}

const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
const db = app.get(Db);
const prisma = app.get(PrismaService);
const pool = app.get<pg.Pool>(PG_POOL);
const N = 5_000;
const LOOPS = 10;

async function measure(name: string, op: () => Promise<unknown>): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: LOOPS }, async () => {
      for (let i = 0; i < N / LOOPS; i++) await op();
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  console.log(
    `${name.padEnd(58)} ${String(Math.round((cpu.user + cpu.system) / N)).padStart(5)} µs CPU/op  ${String(Math.round(N / (wall / 1000))).padStart(6)} ops/s`,
  );
}

const select = (n: number) => sql`SELECT ${n}::int AS n`;
const ops: [string, () => Promise<unknown>][] = [
  ['Db.transaction (nestjs-cls + pg adapter), 1 statement', () => db.transaction(() => db.query(select(1)))],
  [
    'Db.transaction (nestjs-cls + pg adapter), 3 statements',
    () =>
      db.transaction(async () => {
        for (let n = 1; n <= 3; n++) await db.query(select(n));
      }),
  ],
  [
    'Prisma interactive transaction, 1 $queryRaw (before)',
    () => prisma.$transaction((tx) => tx.$queryRaw`SELECT 1::int AS n`),
  ],
  [
    'node-postgres BEGIN, 1 statement, COMMIT (the floor)',
    async () => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query({ name: 'overhead_1', text: 'SELECT $1::int AS n', values: [1] });
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    },
  ],
  ['Db.query, 1 statement (autocommit)', () => db.query(select(1))],
];
// Warm every path first (JIT, pool, prepared statements), then measure each.
for (const [, op] of ops) for (let i = 0; i < 1_000; i++) await op();
for (const [name, op] of ops) await measure(name, op);
await app.close();
