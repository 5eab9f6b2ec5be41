import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from './generated/client.js';
import { PG_POOL } from './pg-pool.js';

/**
 * Prisma Client over the service's pool, for back-office reads only: the admin views' typed,
 * filtered and paged lists, outside any transaction. Everything transactional — commands, the
 * nightly steps, attribution — and the hot customer reads go through `Db` (plain SQL on
 * node-postgres), so one transaction never mixes the two (README "One way to the database").
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(PG_POOL) pool: pg.Pool) {
    super({ adapter: new PrismaPg(pool) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
