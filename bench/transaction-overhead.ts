/**
 * What a transaction costs the service's CPU, per operation, by route to PostgreSQL: Prisma's
 * interactive transaction (what `@Transactional()` opens) against plain node-postgres
 * BEGIN/COMMIT on the same pool. 10 concurrent loops, after a warm-up; CPU is this process's
 * user+system time (process.cpuUsage), so the database's own work is not in it.
 *
 *   node --import @swc-node/register/esm-register bench/transaction-overhead.ts
 *
 * DATABASE_URL: any PostgreSQL (default postgresql://postgres@127.0.0.1:5432/postgres); it
 * only runs SELECTs. Findings in bench/README.md.
 */
import 'reflect-metadata';
import { PrismaService } from '../src/platform/database/prisma.service.js';
import { sql } from '../src/platform/database/sql.js';
import { TransactionHost } from '../src/platform/database/transaction.js';
import type { AppConfig } from '../src/platform/config/config.js';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const prisma = new PrismaService({ databaseUrl: url, databasePoolSize: 10 } as AppConfig);
const host = new TransactionHost(prisma);
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
    `${name.padEnd(52)} ${String(Math.round((cpu.user + cpu.system) / N)).padStart(5)} µs CPU/op  ${String(Math.round(N / (wall / 1000))).padStart(6)} ops/s`,
  );
}

const select = (n: number) => sql`SELECT ${n}::int AS n`;
const ops: [string, () => Promise<unknown>][] = [
  ['Prisma interactive transaction, 1 plain statement', () => host.withTransaction(() => host.sql(select(1)))],
  [
    'Prisma interactive transaction, 3 plain statements',
    () =>
      host.withTransaction(async () => {
        for (let n = 1; n <= 3; n++) await host.sql(select(n));
      }),
  ],
  [
    'Prisma interactive transaction, 1 Prisma $queryRaw',
    () => host.withTransaction(() => host.tx.$queryRaw`SELECT 1::int AS n`),
  ],
  [
    'node-postgres BEGIN, 1 statement, COMMIT',
    async () => {
      const c = await prisma.pool.connect();
      try {
        await c.query('BEGIN');
        await c.query({ name: 'overhead_1', text: 'SELECT $1::int AS n', values: [1] });
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    },
  ],
  [
    'node-postgres, 1 statement (autocommit)',
    () => prisma.pool.query({ name: 'overhead_1', text: 'SELECT $1::int AS n', values: [1] }),
  ],
];
// Warm every path first (JIT, pool, prepared statements), then measure each.
for (const [, op] of ops) for (let i = 0; i < 1_000; i++) await op();
for (const [name, op] of ops) await measure(name, op);
await prisma.$disconnect();
if (!prisma.pool.ended) await prisma.pool.end();
