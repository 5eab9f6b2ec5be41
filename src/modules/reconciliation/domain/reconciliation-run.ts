import { BusinessDate, DomainError, Money } from '#libs/ddd/index.js';
import { AsOfInFuture, InvalidAsOf } from './reconciliation.errors.js';

export type RunTrigger = 'schedule' | 'manual' | 'cli';
export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface RunCounts {
  referralsExpired: number;
  referralsQualified: number;
  referralsCancelled: number;
  rewardsEarned: number;
  rewardsApplied: number;
  rewardsExpired: number;
}

export const ZERO_COUNTS: Readonly<RunCounts> = Object.freeze({
  referralsExpired: 0,
  referralsQualified: 0,
  referralsCancelled: 0,
  rewardsEarned: 0,
  rewardsApplied: 0,
  rewardsExpired: 0,
});

/** The nightly steps, in SPEC §8 order. */
export const RECONCILIATION_STEPS = [
  'expire_stale_referrals',
  'qualify_or_cancel_active_referrals',
  'earn_rewards',
  'apply_due_rewards',
  'expire_rewards',
  // SPEC §15: reminders of pending free months expiring within 30 days (after expiry: an expired one is not reminded).
  'remind_expiring_rewards',
] as const;
export type StepName = (typeof RECONCILIATION_STEPS)[number];

/** What one committed batch of a step adds to the run (libs/contracts RunProgress, in the domain's words). */
export interface RunProgressDelta extends Partial<RunCounts> {
  creditsTotal?: Money;
}

/**
 * The steps a run executes, in order. With rewards paused (ENABLE_REFERRAL_REWARDS=false)
 * nothing is applied; everything else still runs (SPEC §7).
 */
export function plannedSteps(options: { applyRewards: boolean }): StepName[] {
  return RECONCILIATION_STEPS.filter((s) => options.applyRewards || s !== 'apply_due_rewards');
}

/**
 * The business date a run is for (API, CLI and schedule alike): the requested one, taken
 * exactly as written, or today (SAST) when none is given. Not exactly `YYYY-MM-DD` or not a
 * real date → InvalidAsOf; after today, however far → AsOfInFuture; before 2000 → InvalidAsOf.
 */
export function resolveAsOf(requested: string | undefined | null, today: BusinessDate): BusinessDate {
  if (requested === undefined || requested === null) return today;
  const asOf = BusinessDate.tryParseAnyYear(requested);
  if (!asOf) throw new InvalidAsOf(requested);
  if (asOf.isAfter(today)) throw new AsOfInFuture(asOf.toString(), today.toString());
  if (!asOf.isInInputYears()) throw new InvalidAsOf(requested);
  return asOf;
}

/**
 * One line an operator can read: no stack, bounded length. Usually the message's first line;
 * when that line only announces what follows ("Invalid `prisma.$queryRaw()` invocation:"),
 * the last line — where such messages put the cause — is added to it.
 */
export function shortErrorMessage(err: unknown, max = 300): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const lines = raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/^at\s/.test(l));
  let line = lines[0] ?? 'unknown error';
  if (line.endsWith(':') && lines.length > 1) line = `${line} ${lines[lines.length - 1]}`;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * What a failed run's record says about the cause. The record is shown to admins over the API,
 * where no SQL or internals may appear (SPEC §1): a domain error gives its code and message;
 * anything else is "unexpected error", its detail only in the log line (with the run id).
 */
export function publicFailureReason(err: unknown): string {
  if (err instanceof DomainError) return `${err.code}: ${shortErrorMessage(err)}`;
  return 'unexpected error (the service log has the details, under this run id)';
}

export interface ReconciliationRunProps {
  id: string;
  asOf: BusinessDate;
  trigger: RunTrigger;
  dryRun: boolean;
  status: RunStatus;
  /** The step in progress, or where the run stopped (null before the first step). */
  step: StepName | null;
  startedAt: Date;
  finishedAt: Date | null;
  counts: RunCounts;
  creditsTotal: Money;
  error: string | null;
  /** Who started a manual run (the admin's JWT `sub`); null for schedule and CLI. */
  actor: string | null;
}

/** The record of one reconciliation: what it was asked to do, and what it did. */
export class ReconciliationRun {
  private constructor(private props: ReconciliationRunProps) {}

  static start(
    input: { id: string; asOf: BusinessDate; trigger: RunTrigger; dryRun: boolean; actor?: string | null },
    at: Date,
  ): ReconciliationRun {
    return new ReconciliationRun({
      id: input.id,
      asOf: input.asOf,
      trigger: input.trigger,
      dryRun: input.dryRun,
      status: 'running',
      step: null,
      startedAt: at,
      finishedAt: null,
      counts: { ...ZERO_COUNTS },
      creditsTotal: Money.ZERO,
      error: null,
      actor: input.actor ?? null,
    });
  }

  static rehydrate(props: ReconciliationRunProps): ReconciliationRun {
    return new ReconciliationRun({ ...props, counts: { ...props.counts } });
  }

  get id(): string {
    return this.props.id;
  }
  get asOf(): BusinessDate {
    return this.props.asOf;
  }
  get status(): RunStatus {
    return this.props.status;
  }
  get dryRun(): boolean {
    return this.props.dryRun;
  }

  snapshot(): Readonly<ReconciliationRunProps> {
    return { ...this.props, counts: { ...this.props.counts } };
  }

  get step(): StepName | null {
    return this.props.step;
  }

  /** The run moves on to `step`. */
  enterStep(step: StepName): void {
    this.assertRunning();
    this.props = { ...this.props, step };
  }

  /** Adds what a committed batch did to the counts and the credits total. */
  recordProgress(delta: RunProgressDelta): void {
    this.assertRunning();
    const c = { ...this.props.counts };
    for (const key of Object.keys(ZERO_COUNTS) as (keyof RunCounts)[]) c[key] += delta[key] ?? 0;
    this.props = {
      ...this.props,
      counts: c,
      creditsTotal: delta.creditsTotal ? this.props.creditsTotal.plus(delta.creditsTotal) : this.props.creditsTotal,
    };
  }

  succeed(at: Date): void {
    this.assertRunning();
    this.props = { ...this.props, status: 'succeeded', finishedAt: at };
  }

  /** A step threw: the run stops there; the counts keep what its batches committed. */
  fail(at: Date, err: unknown): void {
    this.assertRunning();
    const where = this.props.step ? `${this.props.step}: ` : '';
    this.props = { ...this.props, status: 'failed', finishedAt: at, error: `${where}${publicFailureReason(err)}` };
  }

  private assertRunning(): void {
    if (this.props.status !== 'running')
      throw new Error(`reconciliation run ${this.props.id} is already ${this.props.status}`);
  }
}

/** The error recorded on a run that was still `running` when its process died. */
export const INTERRUPTED = 'interrupted';
