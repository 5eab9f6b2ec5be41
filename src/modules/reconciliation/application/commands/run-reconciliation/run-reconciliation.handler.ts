import { randomUUID } from 'node:crypto';
import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  ApplyDueRewards,
  EarnRewards,
  ExpireRewards,
  ExpireStaleReferrals,
  QualifyOrCancelActiveReferrals,
  RemindExpiringRewards,
  type NightlyStep,
  type RunProgress,
} from '#libs/contracts/index.js';
import { BusinessDate, CLOCK, Money, type Clock } from '#libs/ddd/index.js';
import { AuditLog } from '../../../../../platform/audit/audit-log.js';
import { APP_CONFIG, type AppConfig } from '../../../../../platform/config/config.js';
import { Db } from '../../../../../platform/database/db.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import {
  plannedSteps,
  ReconciliationRun,
  resolveAsOf,
  shortErrorMessage,
  type StepName,
} from '../../../domain/reconciliation-run.js';
import { RunInProgress, ScheduledRunAlreadyDone } from '../../../domain/reconciliation.errors.js';
import { ReconciliationLock, type HeldLock } from '../../ports/reconciliation-lock.js';
import { ReconciliationRunRepository } from '../../ports/reconciliation-run.repository.js';
import { toRunView, type ReconciliationRunView } from '../../reconciliation-run.view.js';
import { RunReconciliation } from './run-reconciliation.command.js';

/** Audit-log subject of admin actions that concern no single customer. */
const SYSTEM_WIDE = '*';

/** Thrown at the end of a dry run to roll its one transaction back. Never leaves this file. */
class DryRunRollback extends Error {
  constructor() {
    super('dry run: roll back');
  }
}

type StepCommand = new (asOf: string, batchSize: number, runId: string, report: NightlyStep['report']) => NightlyStep;

/** Each step of SPEC §8, in order, and the context command that performs it. */
const STEP_COMMANDS: Record<StepName, StepCommand> = {
  expire_stale_referrals: ExpireStaleReferrals,
  qualify_or_cancel_active_referrals: QualifyOrCancelActiveReferrals,
  earn_rewards: EarnRewards,
  apply_due_rewards: ApplyDueRewards,
  expire_rewards: ExpireRewards,
  remind_expiring_rewards: RemindExpiringRewards,
};

/**
 * Orchestrates the nightly steps of the other contexts (SPEC §8), in order, for one asOf:
 *
 * 1. Only one run at a time across instances: a session-level advisory lock on a dedicated
 *    connection, or RUN_IN_PROGRESS (nothing written).
 * 2. Runs a previous process left `running` are marked failed ("interrupted"); their work is
 *    simply done again — every step is idempotent per asOf and catches up.
 * 3. The run record is written before the steps and as each step starts (its `step`), outside
 *    their transactions; each batch a step commits adds its counts and credits to the record in
 *    its own transaction, so a run that fails reports exactly what it committed.
 * 4. Dry run: every step inside ONE outer transaction (the steps' batches join it), rolled back
 *    at the end; only the run record is kept, with the counts the run would have.
 * 5. With `respondAsync` the record is returned as soon as it exists; the run goes on.
 */
@CommandHandler(RunReconciliation)
export class RunReconciliationHandler
  implements ICommandHandler<RunReconciliation, ReconciliationRunView>, OnApplicationShutdown
{
  private readonly logger = new Logger('Reconciliation');
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(Db) private readonly db: Db,
    @Inject(ReconciliationRunRepository) private readonly runs: ReconciliationRunRepository,
    @Inject(ReconciliationLock) private readonly lock: ReconciliationLock,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A run answered asynchronously finishes (or fails and records it) before the process stops. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  async execute(command: RunReconciliation): Promise<ReconciliationRunView> {
    const { trigger, dryRun = false, actor, respondAsync = false } = command.input;
    const asOf = resolveAsOf(command.input.asOf, BusinessDate.ofInstant(this.clock.now()));

    const held = await this.lock.tryAcquire();
    if (!held) {
      this.metrics.reconciliationRuns.inc({ trigger, status: 'rejected_in_progress' });
      throw new RunInProgress();
    }
    let run: ReconciliationRun;
    try {
      const interrupted = await this.runs.failInterrupted(this.clock.now());
      if (interrupted.length > 0) {
        this.logger.warn(
          { runIds: interrupted },
          'reconciliation runs left running by a process that died are marked failed (interrupted); this run does their work again',
        );
      }
      // Every instance's schedule fires: the first to take the lock runs the date, the rest find
      // its record here (checked under the lock, so the answer cannot change meanwhile).
      if (trigger === 'schedule' && !dryRun) {
        const done = await this.runs.findScheduledSuccess(asOf);
        if (done) throw new ScheduledRunAlreadyDone(asOf.toString(), done);
      }
      run = ReconciliationRun.start({ id: randomUUID(), asOf, trigger, dryRun, actor }, this.clock.now());
      await this.runs.insert(run);
    } catch (err) {
      await held.release();
      throw err;
    }
    this.logger.log({ runId: run.id, asOf: asOf.toString(), trigger, dryRun }, 'reconciliation run started');
    const finished = this.perform(run, held, command.input);
    if (!respondAsync) return finished;
    const running = toRunView(run);
    this.background.add(finished);
    void finished.catch(() => undefined).finally(() => this.background.delete(finished));
    return running;
  }

  /** The steps, the record's final state, the audit entry; always releases the lock. */
  private async perform(
    run: ReconciliationRun,
    held: HeldLock,
    input: RunReconciliation['input'],
  ): Promise<ReconciliationRunView> {
    const { trigger, actor } = input;
    const asOf = run.asOf.toString();
    try {
      const steps = plannedSteps({ applyRewards: this.config.enableReferralRewards });
      if (!this.config.enableReferralRewards) {
        this.logger.log({ runId: run.id }, 'ENABLE_REFERRAL_REWARDS=false: rewards are not applied in this run');
      }
      const report = async (delta: RunProgress) => {
        const d = { ...delta, creditsTotal: Money.ofCents(delta.creditsTotalCents ?? 0n) };
        // Inside the batch's transaction: the record's counts commit (or not) with the work.
        if (!run.dryRun) await this.runs.addProgress(run.id, d);
        run.recordProgress(d);
      };
      const work = async () => {
        for (const step of steps) {
          run.enterStep(step);
          if (!run.dryRun) await this.runs.update(run);
          await this.commandBus.execute(
            new STEP_COMMANDS[step](asOf, this.config.reconciliationBatchSize, run.id, report),
          );
        }
      };
      try {
        if (run.dryRun) await this.rehearse(work);
        else await work();
        run.succeed(this.clock.now());
      } catch (err) {
        run.fail(this.clock.now(), err);
        this.logger.error(
          { err, runId: run.id, asOf, step: run.step, trigger, dryRun: run.dryRun, reason: shortErrorMessage(err) },
          `reconciliation run ${run.id} failed at step ${run.step} for asOf ${asOf}; ` +
            'batches committed before the failure stand — fix the cause and run the same asOf again (steps are idempotent)',
        );
      }
      await this.runs.update(run);
      this.metrics.reconciliationRuns.inc({ trigger, status: run.status });
      // A real run's counts are what its batches committed: read them back rather than trust memory.
      const view = toRunView(run.dryRun ? run : ((await this.runs.findById(run.id)) ?? run));
      if (trigger === 'manual' && !run.dryRun && actor) {
        // An admin changed the books: the audit log has it too. A run concerns no single customer,
        // so it is filed under the system-wide subject '*'.
        await this.audit.append({
          actor,
          action: 'reconciliation.run',
          customerId: SYSTEM_WIDE,
          subjectId: run.id,
          after: { asOf: view.asOf, status: view.status, counts: view.counts, creditsTotal: view.creditsTotal },
        });
      }
      if (run.status === 'succeeded') this.logger.log({ ...view }, 'reconciliation run finished');
      return view;
    } finally {
      await held.release();
    }
  }

  /** Runs `work` in one transaction and rolls it back: what a run would do, changing nothing. */
  private async rehearse(work: () => Promise<void>): Promise<void> {
    try {
      await this.db.transaction(async () => {
        await work();
        throw new DryRunRollback();
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
    }
  }
}
