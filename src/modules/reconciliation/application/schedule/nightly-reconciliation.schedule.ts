import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config/config.js';
import { RunReconciliation } from '../commands/run-reconciliation/run-reconciliation.command.js';
import { RunInProgress, ScheduledRunAlreadyDone } from '../../domain/reconciliation.errors.js';
import type { ReconciliationRunView } from '../reconciliation-run.view.js';

export const NIGHTLY_RECONCILIATION_JOB = 'nightly-reconciliation';
export const SAST_TIME_ZONE = 'Africa/Johannesburg';

/**
 * The nightly trigger: RECONCILIATION_CRON (default 02:00) in Africa/Johannesburg, registered
 * only when SCHEDULER_ENABLED. Every instance ticks; the advisory lock lets one of them run,
 * the others log RUN_IN_PROGRESS and stand down — or, arriving after it finished, find the date
 * already done and stand down too: one scheduled run per business date. asOf is today (SAST).
 */
@Injectable()
export class NightlyReconciliationSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    @Inject(SchedulerRegistry) private readonly registry: SchedulerRegistry,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    const job = CronJob.from({
      cronTime: this.config.reconciliationCron,
      onTick: async () => {
        await this.tick();
      },
      timeZone: SAST_TIME_ZONE,
      waitForCompletion: true,
      start: false,
    });
    this.registry.addCronJob(NIGHTLY_RECONCILIATION_JOB, job as unknown as CronJob);
    job.start();
    this.logger.log(
      { cron: this.config.reconciliationCron, timeZone: SAST_TIME_ZONE, next: job.nextDate().toISO() },
      'nightly reconciliation scheduled',
    );
  }

  onApplicationShutdown(): void {
    if (!this.registry.doesExist('cron', NIGHTLY_RECONCILIATION_JOB)) return;
    this.registry.getCronJob(NIGHTLY_RECONCILIATION_JOB).stop();
    this.registry.deleteCronJob(NIGHTLY_RECONCILIATION_JOB);
  }

  /** One scheduled run; never throws (a failed run is recorded and logged by the handler). */
  async tick(): Promise<ReconciliationRunView | undefined> {
    try {
      return await this.commandBus.execute<RunReconciliation, ReconciliationRunView>(
        new RunReconciliation({ trigger: 'schedule' }),
      );
    } catch (err) {
      if (err instanceof RunInProgress) {
        this.logger.log('scheduled reconciliation skipped: another instance is running it');
      } else if (err instanceof ScheduledRunAlreadyDone) {
        this.logger.log({ reason: err.message }, 'scheduled reconciliation skipped: already done for this date');
      } else {
        this.logger.error(
          { reason: err instanceof Error ? err.message : String(err) },
          'scheduled reconciliation could not start; it will be retried at the next tick, or run it by hand (npm run reconcile)',
        );
      }
      return undefined;
    }
  }
}
