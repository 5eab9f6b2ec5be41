import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Public } from '../auth/decorators.js';
import { Db } from '../database/db.js';
import { sql } from '../database/sql.js';
import { pendingMigrations } from '../database/migrations/migration-runner.js';
import { Metrics } from './metrics.js';

@Public()
@ApiExcludeController()
@Controller()
export class OperationsController {
  private migrationsCheckedOk = false;

  constructor(
    private readonly db: Db,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The process is up. */
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** Ready for traffic: the database answers and every migration is applied. */
  @Get('health/ready')
  async ready() {
    const checks: Record<string, { status: 'up' | 'down'; detail?: string }> = {};
    try {
      await this.db.query(sql`SELECT 1`);
      checks.database = { status: 'up' };
    } catch {
      checks.database = { status: 'down', detail: 'database unreachable' };
    }
    if (checks.database.status === 'up') {
      if (this.migrationsCheckedOk) {
        checks.migrations = { status: 'up' };
      } else {
        try {
          const pending = await pendingMigrations(this.config.databaseUrl!);
          this.migrationsCheckedOk = pending.length === 0;
          checks.migrations = pending.length
            ? { status: 'down', detail: `pending: ${pending.join(', ')}` }
            : { status: 'up' };
        } catch {
          checks.migrations = { status: 'down', detail: 'could not read migrations' };
        }
      }
    } else {
      checks.migrations = { status: 'down', detail: 'database unreachable' };
    }
    const ok = Object.values(checks).every((c) => c.status === 'up');
    if (!ok) throw new ServiceUnavailableException({ status: 'down', checks, code: 'NOT_READY' });
    return { status: 'ok', checks };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
