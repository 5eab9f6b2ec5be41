import { randomUUID } from 'node:crypto';
import { Inject, Logger } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TransactionHost } from '../../../../../platform/database/transaction.js';
import {
  ApplyDueRewards,
  EarnRewards,
  ExpireRewards,
  ExpireStaleReferrals,
  QualifyOrCancelActiveReferrals,
  type ApplyStepResult,
  type QualifyStepResult,
  type StepResult,
} from '#libs/contracts/index.js';
import { BusinessDate, CLOCK, Money, type Clock } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../../../../../platform/config/config.js';
import type { Db } from '../../../../../platform/database/transaction.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import {
  plannedSteps,
  ReconciliationRun,
  resolveAsOf,
  shortErrorMessage,
  type StepName,
  type StepOutcome,
} from '../../../domain/reconciliation-run.js';
import { AuditLog } from '../../../../../platform/audit/audit-log.js';
import { RunInProgress, ScheduledRunAlreadyDone } from '../../../domain/reconciliation.errors.js';
import { PrismaReconciliationRunRepository } from '../../../infrastructure/prisma-reconciliation-run.repository.js';
import { ReconciliationLock } from '../../../infrastructure/reconciliation-lock.js';
import { toRunView, type ReconciliationRunView } from '../../reconciliation-run.view.js';
import { RunReconciliation } from './run-reconciliation.command.js';

/** Thrown at the end of a dry run to roll its one transaction back. Never leaves this file. */
/** Audit-log subject of admin actions that concern no single customer. */
const SYSTEM_WIDE = '*';

class DryRunRollback extends Error {
  constructor() {
    super('dry run: roll back');
  }
}

/** A dry run holds one transaction over every step; give it room (a real run commits per batch). */
const DRY_RUN_TIMEOUT_MS = 15 * 60_000;

/**
 * Orchestrates the nightly steps of the other contexts (SPEC §8), in order, for one asOf:
 *
 * 1. Only one run at a time across instances: a session-level advisory lock on a dedicated
 *    connection, or RUN_IN_PROGRESS (nothing written).
 * 2. Runs a previous process left `running` are marked failed ("interrupted"); their work is
 *    simply done again — every step is idempotent per asOf and catches up.
 * 3. The run record is written before and after the steps, outside their transactions.
 *    Deliberately NOT @Transactional(): each step commits its batches (with their outbox rows)
 *    as it goes, so a crash leaves whole batches, never half of one.
 * 4. Dry run: every step inside ONE outer transaction (the steps' own @Transactional() batches
 *    join it), rolled back at the end; only the run record is kept.
 */
@CommandHandler(RunReconciliation)
export class RunReconciliationHandler implements ICommandHandler<RunReconciliation, ReconciliationRunView> {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(TransactionHost) private readonly db: Db,
    @Inject(PrismaReconciliationRunRepository) private readonly runs: PrismaReconciliationRunRepository,
    @Inject(ReconciliationLock) private readonly lock: ReconciliationLock,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: RunReconciliation): Promise<ReconciliationRunView> {
    const { trigger, dryRun = false, actor } = command.input;
    const asOf = resolveAsOf(command.input.asOf, BusinessDate.ofInstant(this.clock.now()));

    const held = await this.lock.tryAcquire();
    if (!held) {
      this.metrics.reconciliationRuns.inc({ trigger, status: 'rejected_in_progress' });
      throw new RunInProgress();
    }
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
        const done = await this.runs.findScheduledSuccess(asOf.toDbDate());
        if (done) throw new ScheduledRunAlreadyDone(asOf.toString(), done);
      }
      const run = ReconciliationRun.start({ id: randomUUID(), asOf, trigger, dryRun, actor }, this.clock.now());
      await this.runs.insert(run);
      this.logger.log({ runId: run.id, asOf: asOf.toString(), trigger, dryRun }, 'reconciliation run started');

      const steps = plannedSteps({ applyRewards: this.config.enableReferralRewards });
      if (!this.config.enableReferralRewards) {
        this.logger.log({ runId: run.id }, 'ENABLE_REFERRAL_REWARDS=false: rewards are not applied in this run');
      }
      let current: StepName = steps[0]!;
      const work = async () => {
        for (const step of steps) {
          current = step;
          run.recordStep(await this.runStep(step, asOf.toString()));
        }
      };
      try {
        if (dryRun) await this.rehearse(work);
        else await work();
        run.succeed(this.clock.now());
      } catch (err) {
        run.fail(this.clock.now(), current, err);
        this.logger.error(
          { runId: run.id, asOf: asOf.toString(), step: current, trigger, dryRun, reason: shortErrorMessage(err) },
          `reconciliation run ${run.id} failed at step ${current} for asOf ${asOf.toString()}; ` +
            'batches committed before the failure stand — fix the cause and run the same asOf again (steps are idempotent)',
        );
      }

      await this.runs.update(run);
      this.metrics.reconciliationRuns.inc({ trigger, status: run.status });
      const view = toRunView(run);
      if (trigger === 'manual' && !dryRun && actor) {
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
      await this.db.withTransaction({ timeout: DRY_RUN_TIMEOUT_MS, maxWait: 10_000 }, async () => {
        await work();
        throw new DryRunRollback();
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) throw err;
    }
  }

  private async runStep(step: StepName, asOf: string): Promise<StepOutcome> {
    const batchSize = this.config.reconciliationBatchSize;
    const bus = this.commandBus;
    switch (step) {
      case 'expire_stale_referrals': {
        const r = await bus.execute<ExpireStaleReferrals, StepResult>(new ExpireStaleReferrals(asOf, batchSize));
        return { step, changed: count(r?.changed) };
      }
      case 'qualify_or_cancel_active_referrals': {
        const r = await bus.execute<QualifyOrCancelActiveReferrals, QualifyStepResult>(
          new QualifyOrCancelActiveReferrals(asOf, batchSize),
        );
        return { step, qualified: count(r?.qualified), cancelled: count(r?.cancelled) };
      }
      case 'earn_rewards': {
        const r = await bus.execute<EarnRewards, StepResult>(new EarnRewards(asOf, batchSize));
        return { step, changed: count(r?.changed) };
      }
      case 'apply_due_rewards': {
        const r = await bus.execute<ApplyDueRewards, ApplyStepResult>(new ApplyDueRewards(asOf, batchSize));
        return { step, applied: count(r?.applied), creditsTotal: Money.fromRand(r?.creditsTotal ?? '0.00') };
      }
      case 'expire_rewards': {
        const r = await bus.execute<ExpireRewards, StepResult>(new ExpireRewards(asOf, batchSize));
        return { step, changed: count(r?.changed) };
      }
    }
  }
}

function count(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new Error(`step returned an invalid count: ${JSON.stringify(n)}`);
  }
  return n;
}
