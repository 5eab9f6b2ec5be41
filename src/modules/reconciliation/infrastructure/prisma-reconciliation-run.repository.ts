import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '../../../platform/database/transaction.js';
import { BusinessDate, Money } from '#libs/ddd/index.js';
import type { Db } from '../../../platform/database/transaction.js';
import type { ReconciliationRun as RunRow } from '../../../platform/database/generated/client.js';
import { INTERRUPTED, ReconciliationRun, type RunStatus, type RunTrigger } from '../domain/reconciliation-run.js';

export interface RunPosition {
  startedAt: Date;
  id: string;
}

/**
 * The `reconciliation_runs` table. A run record is written outside the steps' transactions
 * (before and after them), so it survives a step failing — and a dry run's rollback.
 */
@Injectable()
export class PrismaReconciliationRunRepository {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  /**
   * Marks runs left `running` by a process that died as failed ("interrupted"). Only called
   * while holding the reconciliation lock, so no other run can be in flight.
   */
  async failInterrupted(at: Date): Promise<string[]> {
    const rows = await this.db.tx.$queryRaw<{ id: string }[]>`
      UPDATE reconciliation_runs
         SET status = 'failed', error = ${INTERRUPTED}, finished_at = ${at}
       WHERE status = 'running'
      RETURNING id`;
    return rows.map((r) => r.id);
  }

  /** A succeeded, real (not dry) scheduled run for this business date, if any. */
  async findScheduledSuccess(asOf: Date): Promise<string | undefined> {
    const row = await this.db.tx.reconciliationRun.findFirst({
      where: { asOf, trigger: 'schedule', dryRun: false, status: 'succeeded' },
      select: { id: true },
    });
    return row?.id;
  }

  async insert(run: ReconciliationRun): Promise<void> {
    await this.db.tx.reconciliationRun.create({ data: toRow(run) });
  }

  async update(run: ReconciliationRun): Promise<void> {
    const { id, ...data } = toRow(run);
    await this.db.tx.reconciliationRun.update({ where: { id }, data });
  }

  async findById(id: string): Promise<ReconciliationRun | undefined> {
    const row = await this.db.tx.reconciliationRun.findUnique({ where: { id } });
    return row ? fromRow(row) : undefined;
  }

  /** Newest first (startedAt, then id), keyset-paginated after `after`. */
  async list(limit: number, after?: RunPosition): Promise<ReconciliationRun[]> {
    const rows = await this.db.tx.reconciliationRun.findMany({
      where: after
        ? { OR: [{ startedAt: { lt: after.startedAt } }, { startedAt: after.startedAt, id: { lt: after.id } }] }
        : undefined,
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map(fromRow);
  }
}

function toRow(run: ReconciliationRun): RunRow {
  const p = run.snapshot();
  return {
    id: p.id,
    asOf: p.asOf.toDbDate(),
    trigger: p.trigger,
    dryRun: p.dryRun,
    status: p.status,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    referralsExpired: p.counts.referralsExpired,
    referralsQualified: p.counts.referralsQualified,
    referralsCancelled: p.counts.referralsCancelled,
    rewardsEarned: p.counts.rewardsEarned,
    rewardsApplied: p.counts.rewardsApplied,
    rewardsExpired: p.counts.rewardsExpired,
    creditsTotalCents: p.creditsTotal.cents,
    error: p.error,
    actor: p.actor,
  };
}

function fromRow(r: RunRow): ReconciliationRun {
  return ReconciliationRun.rehydrate({
    id: r.id,
    asOf: BusinessDate.fromDbDate(r.asOf),
    trigger: r.trigger as RunTrigger,
    dryRun: r.dryRun,
    status: r.status as RunStatus,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    counts: {
      referralsExpired: r.referralsExpired,
      referralsQualified: r.referralsQualified,
      referralsCancelled: r.referralsCancelled,
      rewardsEarned: r.rewardsEarned,
      rewardsApplied: r.rewardsApplied,
      rewardsExpired: r.rewardsExpired,
    },
    creditsTotal: Money.ofCents(r.creditsTotalCents),
    error: r.error,
    actor: r.actor,
  });
}
