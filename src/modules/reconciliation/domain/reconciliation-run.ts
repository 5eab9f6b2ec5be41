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
] as const;
export type StepName = (typeof RECONCILIATION_STEPS)[number];

/** What one step reported. */
export type StepOutcome =
  | { step: 'expire_stale_referrals'; changed: number }
  | { step: 'qualify_or_cancel_active_referrals'; qualified: number; cancelled: number }
  | { step: 'earn_rewards'; changed: number }
  | { step: 'apply_due_rewards'; applied: number; creditsTotal: Money }
  | { step: 'expire_rewards'; changed: number };

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

  /** Adds what a step did to the counts. */
  recordStep(outcome: StepOutcome): void {
    this.assertRunning();
    const c = { ...this.props.counts };
    let creditsTotal = this.props.creditsTotal;
    switch (outcome.step) {
      case 'expire_stale_referrals':
        c.referralsExpired += outcome.changed;
        break;
      case 'qualify_or_cancel_active_referrals':
        c.referralsQualified += outcome.qualified;
        c.referralsCancelled += outcome.cancelled;
        break;
      case 'earn_rewards':
        c.rewardsEarned += outcome.changed;
        break;
      case 'apply_due_rewards':
        c.rewardsApplied += outcome.applied;
        creditsTotal = creditsTotal.plus(outcome.creditsTotal);
        break;
      case 'expire_rewards':
        c.rewardsExpired += outcome.changed;
        break;
    }
    this.props = { ...this.props, counts: c, creditsTotal };
  }

  succeed(at: Date): void {
    this.assertRunning();
    this.props = { ...this.props, status: 'succeeded', finishedAt: at };
  }

  /** A step threw: the run stops there; the counts keep what earlier steps committed. */
  fail(at: Date, step: StepName, err: unknown): void {
    this.assertRunning();
    this.props = { ...this.props, status: 'failed', finishedAt: at, error: `${step}: ${publicFailureReason(err)}` };
  }

  private assertRunning(): void {
    if (this.props.status !== 'running')
      throw new Error(`reconciliation run ${this.props.id} is already ${this.props.status}`);
  }
}

/** The error recorded on a run that was still `running` when its process died. */
export const INTERRUPTED = 'interrupted';
