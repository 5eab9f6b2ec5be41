import { Controller, Get, Header, Headers, Inject, Redirect, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Public } from '../auth/decorators.js';
import { Db } from '../database/db.js';
import { sql } from '../database/sql.js';
import { pendingMigrations } from '../database/migrations/migration-runner.js';
import { Metrics } from './metrics.js';
import { ShutdownState } from './shutdown-state.js';

class MetricsUnauthorized extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  readonly kind = 'unauthenticated' as const;
  constructor() {
    super('/metrics needs `Authorization: Bearer <METRICS_TOKEN>`.');
  }
}

/**
 * Liveness, readiness, Prometheus metrics and `/` → `/docs`. Hand-written rather than
 * @nestjs/terminus: every error here is problem+json with a stable code (`NOT_READY`), two of
 * the three checks are ours anyway (migrations applied, shutting down), and terminus's
 * graceful-shutdown delay runs in `beforeApplicationShutdown`, after Nest has already closed the
 * pools — the readiness flip has to happen before `app.close()` (main.ts).
 */
@Public()
@ApiExcludeController()
@Controller()
export class OperationsController {
  private migrationsCheckedOk = false;

  constructor(
    private readonly db: Db,
    private readonly metrics: Metrics,
    private readonly shutdown: ShutdownState,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The API documentation is the front page. */
  @Get()
  @Redirect('/docs', 302)
  home() {}

  /** The process is up. */
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** Ready for traffic: not shutting down, the database answers and every migration is applied. */
  @Get('health/ready')
  async ready() {
    const checks: Record<string, { status: 'up' | 'down'; detail?: string }> = {};
    if (this.shutdown.shuttingDown) {
      checks.shutdown = { status: 'down', detail: 'shutting down: finishing requests under way' };
    }
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

  /** Prometheus text format; `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.metricsToken;
    if (token !== undefined && !bearerMatches(authorization, token)) throw new MetricsUnauthorized();
    return this.metrics.registry.metrics();
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
