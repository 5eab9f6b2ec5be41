import { Inject, Injectable } from '@nestjs/common';
import { BusinessDate, Money } from '#libs/ddd/index.js';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import {
  INTERRUPTED,
  ReconciliationRun,
  type RunCounts,
  type RunProgressDelta,
  type RunStatus,
  type RunTrigger,
  type StepName,
} from '../domain/reconciliation-run.js';
import { ReconciliationRunRepository } from '../application/ports/reconciliation-run.repository.js';

export interface RunRow {
  id: string;
  asOf: string;
  trigger: string;
  dryRun: boolean;
  status: string;
  step: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  referralsExpired: number;
  referralsQualified: number;
  referralsCancelled: number;
  rewardsEarned: number;
  rewardsApplied: number;
  rewardsExpired: number;
  creditsTotalCents: bigint;
  error: string | null;
  actor: string | null;
}

const RUN_COLUMNS = sql`
  id::text AS id, as_of AS "asOf", trigger, dry_run AS "dryRun", status, step, started_at AS "startedAt",
  finished_at AS "finishedAt", referrals_expired AS "referralsExpired", referrals_qualified AS "referralsQualified",
  referrals_cancelled AS "referralsCancelled", rewards_earned AS "rewardsEarned", rewards_applied AS "rewardsApplied",
  rewards_expired AS "rewardsExpired", credits_total_cents AS "creditsTotalCents", error, actor`;

/**
 * The `reconciliation_runs` table. The record is written outside the steps' transactions (so it
 * survives a step failing, and a dry run's rollback) — except its counts, which each batch adds
 * inside its own transaction (`addProgress`), so they never disagree with what committed.
 */
@Injectable()
export class SqlReconciliationRunRepository implements ReconciliationRunRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * Marks runs left `running` by a process that died as failed ("interrupted"). Only called
   * while holding the reconciliation lock, so no other run can be in flight.
   */
  async failInterrupted(at: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(sql`
      UPDATE reconciliation_runs SET status = 'failed', error = ${INTERRUPTED}, finished_at = ${at}
       WHERE status = 'running'
      RETURNING id::text AS id`);
    return rows.map((r) => r.id);
  }

  /** A succeeded, real (not dry) scheduled run for this business date, if any. */
  async findScheduledSuccess(asOf: BusinessDate): Promise<string | undefined> {
    const row = await this.db.maybeOne<{ id: string }>(sql`
      SELECT id::text AS id FROM reconciliation_runs
       WHERE as_of = ${asOf.toString()}::date AND trigger = 'schedule' AND NOT dry_run AND status = 'succeeded'
       LIMIT 1`);
    return row?.id;
  }

  async insert(run: ReconciliationRun): Promise<void> {
    const p = run.snapshot();
    await this.db.execute(sql`
      INSERT INTO reconciliation_runs (id, as_of, trigger, dry_run, status, step, started_at, actor)
      VALUES (${p.id}::uuid, ${p.asOf.toString()}::date, ${p.trigger}, ${p.dryRun}, ${p.status}, ${p.step},
              ${p.startedAt}, ${p.actor})`);
  }

  /** Status, step, end and error; the counts only for a dry run (a real run's counts move with its batches). */
  async update(run: ReconciliationRun): Promise<void> {
    const p = run.snapshot();
    await this.db.execute(sql`
      UPDATE reconciliation_runs
         SET status = ${p.status}, step = ${p.step}, finished_at = ${p.finishedAt}, error = ${p.error}
       WHERE id = ${p.id}::uuid`);
    if (p.dryRun) await this.setCounts(p.id, p.counts, p.creditsTotal);
  }

  /** Adds a committed batch's counts (call inside the batch's transaction). */
  async addProgress(id: string, d: RunProgressDelta): Promise<void> {
    await this.db.execute(sql`
      UPDATE reconciliation_runs
         SET referrals_expired = referrals_expired + ${d.referralsExpired ?? 0}::int,
             referrals_qualified = referrals_qualified + ${d.referralsQualified ?? 0}::int,
             referrals_cancelled = referrals_cancelled + ${d.referralsCancelled ?? 0}::int,
             rewards_earned = rewards_earned + ${d.rewardsEarned ?? 0}::int,
             rewards_applied = rewards_applied + ${d.rewardsApplied ?? 0}::int,
             rewards_expired = rewards_expired + ${d.rewardsExpired ?? 0}::int,
             credits_total_cents = credits_total_cents + ${d.creditsTotal?.cents ?? 0n}::bigint
       WHERE id = ${id}::uuid`);
  }

  private async setCounts(id: string, c: RunCounts, creditsTotal: Money): Promise<void> {
    await this.db.execute(sql`
      UPDATE reconciliation_runs
         SET referrals_expired = ${c.referralsExpired}, referrals_qualified = ${c.referralsQualified},
             referrals_cancelled = ${c.referralsCancelled}, rewards_earned = ${c.rewardsEarned},
             rewards_applied = ${c.rewardsApplied}, rewards_expired = ${c.rewardsExpired},
             credits_total_cents = ${creditsTotal.cents}
       WHERE id = ${id}::uuid`);
  }

  async findById(id: string): Promise<ReconciliationRun | undefined> {
    const row = await this.db.maybeOne<RunRow>(
      sql`SELECT ${RUN_COLUMNS} FROM reconciliation_runs WHERE id = ${id}::uuid`,
    );
    return row ? fromRow(row) : undefined;
  }
}

export function fromRow(r: RunRow): ReconciliationRun {
  return ReconciliationRun.rehydrate({
    id: r.id,
    asOf: BusinessDate.parse(r.asOf),
    trigger: r.trigger as RunTrigger,
    dryRun: r.dryRun,
    status: r.status as RunStatus,
    step: r.step as StepName | null,
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
