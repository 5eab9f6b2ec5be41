import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RetentionJob, type RetentionReport } from './retention.job.js';

export const RETENTION_JOB = 'retention';
const SAST_TIME_ZONE = 'Africa/Johannesburg';

/**
 * The daily trigger of the retention job: RETENTION_CRON (default 03:30) in Africa/Johannesburg,
 * registered only when SCHEDULER_ENABLED (as the nightly reconciliation). Every instance ticks;
 * the job's batches skip rows another instance holds, so running it twice only finds less to do.
 */
@Injectable()
export class RetentionSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');

  constructor(
    @Inject(SchedulerRegistry) private readonly registry: SchedulerRegistry,
    @Inject(RetentionJob) private readonly job: RetentionJob,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    const cron = CronJob.from({
      cronTime: this.config.retention.cron,
      onTick: async () => {
        await this.tick();
      },
      timeZone: SAST_TIME_ZONE,
      waitForCompletion: true,
      start: false,
    });
    this.registry.addCronJob(RETENTION_JOB, cron as unknown as CronJob);
    cron.start();
    this.logger.log(
      { cron: this.config.retention.cron, timeZone: SAST_TIME_ZONE, next: cron.nextDate().toISO() },
      'retention job scheduled',
    );
  }

  onApplicationShutdown(): void {
    if (!this.registry.doesExist('cron', RETENTION_JOB)) return;
    this.registry.getCronJob(RETENTION_JOB).stop();
    this.registry.deleteCronJob(RETENTION_JOB);
  }

  /** One scheduled run; never throws (a failure is logged and counted; the next tick tries again). */
  async tick(): Promise<RetentionReport | undefined> {
    try {
      return await this.job.run();
    } catch (err) {
      this.logger.error(
        { reason: err instanceof Error ? err.message : String(err) },
        'retention job failed; it runs again at the next tick, or run it by hand (npm run retention)',
      );
      return undefined;
    }
  }
}
