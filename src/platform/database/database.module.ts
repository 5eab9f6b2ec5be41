import { Global, Inject, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import type pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Db } from './db.js';
import { PgTransactionalAdapter } from './pg-transactional-adapter.js';
import { createPool, PG_POOL } from './pg-pool.js';
import { PrismaService } from './prisma.service.js';

const logger = new Logger('Database');

@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): pg.Pool => {
        if (!config.databaseUrl) throw new Error('databaseUrl must be resolved before the app starts');
        const pool = createPool({ url: config.databaseUrl, max: config.databasePoolSize });
        // An idle connection dropped by the server (restart, failover) must not crash the process;
        // the pool replaces it on next use.
        pool.on('error', (err) =>
          logger.warn({ err: err.message }, 'idle database connection lost; the pool will reconnect'),
        );
        return pool;
      },
    },
  ],
  exports: [PG_POOL],
})
class PoolModule implements OnModuleDestroy {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}
  async onModuleDestroy(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

/**
 * Database access for every context: `Db` (plain SQL on node-postgres, transactions through
 * @nestjs-cls/transactional) and `PrismaService` (back-office reads).
 */
@Global()
@Module({
  imports: [
    PoolModule,
    ClsModule.forRoot({
      global: true,
      plugins: [new ClsPluginTransactional({ imports: [PoolModule], adapter: new PgTransactionalAdapter(PG_POOL) })],
    }),
  ],
  providers: [Db, PrismaService],
  exports: [Db, PrismaService, PoolModule],
})
export class DatabaseModule {}
