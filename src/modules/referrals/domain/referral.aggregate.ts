import type { ReferralStatus } from '#libs/contracts/referrals.js';
import { AggregateRoot, BusinessDate, firstNameOf } from '#libs/ddd/index.js';
import { ReferralNotFlagged, ReferralsNotQualified } from './referral.errors.js';
import { referralAttributed, referralFlagged, referralQualified } from './referrals.events.js';

/** The referral's own progress, whatever a fraud review says. */
export type ReferralLifecycle = 'pending' | 'active' | 'qualified' | 'rewarded' | 'expired' | 'cancelled' | 'rejected';
/** Where a human review stands: none, waiting (flagged), or decided. */
export type ReferralReview = 'none' | 'flagged' | 'approved' | 'rejected';

/** SPEC §4: a referral activates if its first service is activated on or before R+30. */
export const ACTIVATION_WINDOW_DAYS = 30;
/** SPEC §4: an active referral qualifies at A+30 if its service stayed active until then. */
export const QUALIFYING_HOLD_DAYS = 30;

export type ReferralSource = 'url_param' | 'manual_entry' | 'admin_override';

/**
 * Why a referral ended where it did, in the customer-safe words of SPEC §12: a customer never
 * learns which fraud rule refused a friend, nor its evidence.
 */
export type StatusReason =
  'not_activated_in_time' | 'service_interrupted' | 'already_referred' | 'not_eligible' | 'rejected_on_review';

/** A fraud rule's rejection, in the customer's words: only a duplicate is named, every other rule is "not eligible". */
export function reasonForRejectingRule(rule: string): StatusReason {
  return rule === 'DUPLICATE_REFERRAL' ? 'already_referred' : 'not_eligible';
}

/** What lies ahead of a referral (SPEC §12 `nextStep`), judged by the same dates the nightly run uses. */
export type NextStep =
  | { kind: 'activate_by'; on: BusinessDate }
  | { kind: 'qualifies_on'; on: BusinessDate }
  | { kind: 'under_review'; on: null }
  | { kind: 'waiting_for_pair'; on: null }
  | null;

export interface ScreeningOutcome {
  outcome: 'accepted' | 'flagged' | 'rejected';
  findings: { rule: string; outcome: 'reject' | 'flag'; detail: string }[];
}

export interface ReferralProps {
  id: string;
  referrerId: string;
  referredId: string;
  code: string;
  source: string | null;
  referredName: string;
  referredEmail: string;
  referredAt: Date;
  lifecycle: ReferralLifecycle;
  review: ReferralReview;
  serviceId: string | null;
  activatedAt: Date | null;
  serviceInterruptedAt: Date | null;
  qualifiedAt: Date | null;
  expiredAt: Date | null;
  cancelledAt: Date | null;
  rejectedAt: Date | null;
  rewardedAt: Date | null;
  rewardId: string | null;
  statusReason: StatusReason | null;
}

export interface AttributeInput {
  id: string;
  referrerId: string;
  referredId: string;
  code: string;
  source?: string | null;
  referredName: string;
  referredEmail: string;
  /** The signup's occurredAt (business time). */
  referredAt: Date;
}

/** What `activate` did: the first service either activated the referral, expired it, or was ignored. */
export type ActivationResult = 'activated' | 'expired' | 'ignored';

/** What a nightly run did to a referral. */
export type NightlyOutcome = 'expired' | 'qualified' | 'cancelled' | 'unchanged';

/** Progress towards the referrer's next reward, as the Rewards context counts it. */
export interface RewardProgress {
  qualified: number;
  required: number;
}

/**
 * One entry of the referral's history (SPEC §12 explanation): a change of public state, or a fact
 * the rules judged by. The application adds where it came from (billing event, run, admin).
 */
export interface HistoryEntry {
  at: Date;
  kind: 'transition' | 'fact';
  what:
    | 'attributed'
    | 'flagged'
    | 'rejected_by_rule'
    | 'activated'
    | 'activated_too_late'
    | 'service_interrupted'
    | 'expired'
    | 'qualified'
    | 'cancelled'
    | 'rewarded'
    | 'approved_on_review'
    | 'rejected_on_review';
  from: ReferralStatus | null;
  to: ReferralStatus | null;
  detail?: Record<string, unknown>;
}

/** The public state (SPEC §4 table) from lifecycle and review. */
export function publicStatus(lifecycle: ReferralLifecycle, review: ReferralReview): ReferralStatus {
  if (review === 'rejected' || lifecycle === 'rejected') return 'rejected';
  if (review === 'flagged' && (lifecycle === 'pending' || lifecycle === 'active')) return 'flagged';
  return lifecycle;
}

/** The last referral date R that is stale at a run for `asOf` (asOf ≥ R+31 ⇔ R ≤ asOf−31). */
export function lastStaleReferredOn(asOf: BusinessDate): BusinessDate {
  return asOf.plusDays(-(ACTIVATION_WINDOW_DAYS + 1));
}

/** The last activation date A that has served its hold at a run for `asOf` (asOf ≥ A+30 ⇔ A ≤ asOf−30). */
export function lastQualifyingActivatedOn(asOf: BusinessDate): BusinessDate {
  return asOf.plusDays(-QUALIFYING_HOLD_DAYS);
}

/** The last day a referral referred on R can still activate: R+30. */
export function lastActivationDay(referredOn: BusinessDate): BusinessDate {
  return referredOn.plusDays(ACTIVATION_WINDOW_DAYS);
}

/** The day an active referral activated on A qualifies, if its service stays active: A+30. */
export function qualificationDay(activatedOn: BusinessDate): BusinessDate {
  return activatedOn.plusDays(QUALIFYING_HOLD_DAYS);
}

/** The moment a pending referral referred on R can no longer activate: the start of R+31 (SAST). */
export function expiryMoment(referredOn: BusinessDate): Date {
  return lastActivationDay(referredOn).plusDays(1).startOfDay();
}

/** The moment an active referral activated on A qualifies: the start of A+30 (SAST). */
export function qualificationMoment(activatedOn: BusinessDate): Date {
  return qualificationDay(activatedOn).startOfDay();
}

/** The facts the next step is read from (a stored referral's columns will do). */
export interface NextStepFacts {
  status: ReferralStatus;
  referredAt: Date;
  activatedAt: Date | null;
  serviceInterruptedAt: Date | null;
}

/**
 * SPEC §12 `nextStep`, from the same boundaries the nightly run judges by: pending → activate by
 * R+30; active → qualifies on A+30 if the service stays active (nothing ahead once it was
 * interrupted before then: the run will cancel it); flagged → under review; qualified → waiting for
 * a second one to pair with; terminal states → nothing.
 */
export function nextStepOf(f: NextStepFacts): NextStep {
  switch (f.status) {
    case 'pending':
      return { kind: 'activate_by', on: lastActivationDay(BusinessDate.ofInstant(f.referredAt)) };
    case 'active': {
      const activatedOn = BusinessDate.ofInstant(f.activatedAt!);
      if (f.serviceInterruptedAt && f.serviceInterruptedAt < qualificationMoment(activatedOn)) return null;
      return { kind: 'qualifies_on', on: qualificationDay(activatedOn) };
    }
    case 'flagged':
      return { kind: 'under_review', on: null };
    case 'qualified':
      return { kind: 'waiting_for_pair', on: null };
    default:
      return null;
  }
}

/**
 * A referral (SPEC §4): one referrer, one referred customer (referred at most once), moving
 * pending → active → qualified → rewarded, or to expired / cancelled / rejected. A fraud review
 * runs beside the lifecycle: while flagged it may still activate but cannot qualify.
 * Time always comes in as business time (event occurredAt, run asOf); every rule about dates is
 * here, and the nightly run asks this class, referral by referral, what happens.
 */
export class Referral extends AggregateRoot {
  private history: HistoryEntry[] = [];

  private constructor(private props: ReferralProps) {
    super();
  }

  static attribute(input: AttributeInput): Referral {
    const referral = new Referral({
      id: input.id,
      referrerId: input.referrerId,
      referredId: input.referredId,
      code: input.code,
      source: input.source ?? null,
      referredName: input.referredName,
      referredEmail: input.referredEmail,
      referredAt: input.referredAt,
      lifecycle: 'pending',
      review: 'none',
      serviceId: null,
      activatedAt: null,
      serviceInterruptedAt: null,
      qualifiedAt: null,
      expiredAt: null,
      cancelledAt: null,
      rejectedAt: null,
      rewardedAt: null,
      rewardId: null,
      statusReason: null,
    });
    referral.note({ at: input.referredAt, kind: 'transition', what: 'attributed', from: null, to: 'pending' });
    return referral;
  }

  static rehydrate(props: ReferralProps): Referral {
    return new Referral({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get referrerId(): string {
    return this.props.referrerId;
  }
  get status(): ReferralStatus {
    return publicStatus(this.props.lifecycle, this.props.review);
  }
  get lifecycle(): ReferralLifecycle {
    return this.props.lifecycle;
  }
  get review(): ReferralReview {
    return this.props.review;
  }
  /** R: the SAST date of referredAt. */
  get referredOn(): BusinessDate {
    return BusinessDate.ofInstant(this.props.referredAt);
  }
  /** A: the SAST date the first service was activated. */
  get activatedOn(): BusinessDate | null {
    return this.props.activatedAt ? BusinessDate.ofInstant(this.props.activatedAt) : null;
  }
  snapshot(): Readonly<ReferralProps> {
    return { ...this.props };
  }

  /** Returns and forgets the history entries recorded since the last call. */
  pullHistory(): HistoryEntry[] {
    const entries = this.history;
    this.history = [];
    return entries;
  }

  /**
   * The fraud screening's outcome, applied once right after attribution. Records
   * `referral.attributed` (with the resulting status) and, when a rule wants a human,
   * `referral.flagged` with the findings.
   */
  screened(result: ScreeningOutcome): void {
    if (result.outcome === 'rejected') {
      const rule = result.findings.find((f) => f.outcome === 'reject')?.rule ?? 'UNKNOWN';
      this.change(
        'rejected_by_rule',
        this.props.referredAt,
        {
          lifecycle: 'rejected',
          rejectedAt: this.props.referredAt,
          statusReason: reasonForRejectingRule(rule),
        },
        { rules: result.findings.filter((f) => f.outcome === 'reject').map((f) => f.rule) },
      );
    } else if (result.outcome === 'flagged') {
      this.change(
        'flagged',
        this.props.referredAt,
        { review: 'flagged' },
        {
          rules: result.findings.map((f) => f.rule),
        },
      );
    }
    const p = this.props;
    this.record(
      referralAttributed.create(
        {
          referralId: p.id,
          referrerId: p.referrerId,
          referredId: p.referredId,
          referredFirstName: firstNameOf(p.referredName),
          referredAt: p.referredAt.toISOString(),
          status: this.status,
          source: p.source as ReferralSource | null,
        },
        p.referredAt,
      ),
    );
    if (result.outcome === 'flagged') {
      this.record(
        referralFlagged.create(
          {
            referralId: p.id,
            referrerId: p.referrerId,
            referredId: p.referredId,
            referredAt: p.referredAt.toISOString(),
            findings: result.findings.map((f) => ({ rule: f.rule, outcome: f.outcome, detail: f.detail })),
          },
          p.referredAt,
        ),
      );
    }
  }

  /**
   * The referred customer's first service was activated at `at`. Only a pending referral
   * reacts (later services, and rejected or already expired referrals, are ignored):
   * on or before R+30 it activates, later it expires (at the start of R+31, when it became stale).
   * A flagged referral can still activate.
   */
  activate(serviceId: string, at: Date): ActivationResult {
    if (this.props.lifecycle !== 'pending' || this.props.review === 'rejected') return 'ignored';
    const activatedOn = BusinessDate.ofInstant(at);
    if (activatedOn.isOnOrBefore(lastActivationDay(this.referredOn))) {
      this.change('activated', at, { lifecycle: 'active', serviceId, activatedAt: at });
      return 'activated';
    }
    this.change('activated_too_late', at, {
      lifecycle: 'expired',
      serviceId,
      expiredAt: expiryMoment(this.referredOn),
      statusReason: 'not_activated_in_time',
    });
    return 'expired';
  }

  /** The referral's service was suspended or cancelled; only the first interruption counts. */
  recordServiceInterrupted(at: Date): boolean {
    if (this.props.serviceInterruptedAt) return false;
    this.props = { ...this.props, serviceInterruptedAt: at };
    this.note({ at, kind: 'fact', what: 'service_interrupted', from: null, to: null });
    return true;
  }

  /**
   * Nightly, for a run with `asOf`: a referral still pending when R+30 has passed (asOf ≥ R+31)
   * expires, at the start of R+31 — the moment a late activation would give too.
   */
  expireIfStale(asOf: BusinessDate): NightlyOutcome {
    if (this.props.lifecycle !== 'pending' || this.props.review === 'rejected') return 'unchanged';
    if (this.referredOn.isAfter(lastStaleReferredOn(asOf))) return 'unchanged';
    const at = expiryMoment(this.referredOn);
    this.change('expired', at, { lifecycle: 'expired', expiredAt: at, statusReason: 'not_activated_in_time' });
    return 'expired';
  }

  /**
   * Nightly, for a run with `asOf`, an active referral:
   * - its service was suspended or cancelled before A+30, on or before asOf → cancelled (at the interruption);
   * - otherwise, once asOf ≥ A+30 and it is not waiting for a review → qualified at the start of A+30,
   *   announcing `referral.qualified` with the referrer's progress (asked of `progressAfter`).
   */
  reachHoldEnd(asOf: BusinessDate, progressAfter: (referrerId: string) => RewardProgress): NightlyOutcome {
    if (this.props.lifecycle !== 'active' || this.props.review === 'rejected') return 'unchanged';
    const activatedOn = this.activatedOn!;
    const holdEnds = qualificationMoment(activatedOn);
    const interruptedAt = this.props.serviceInterruptedAt;
    if (interruptedAt && interruptedAt < holdEnds) {
      if (BusinessDate.ofInstant(interruptedAt).isAfter(asOf)) return 'unchanged';
      this.change('cancelled', interruptedAt, {
        lifecycle: 'cancelled',
        cancelledAt: interruptedAt,
        statusReason: 'service_interrupted',
      });
      return 'cancelled';
    }
    if (activatedOn.isAfter(lastQualifyingActivatedOn(asOf))) return 'unchanged';
    if (this.props.review === 'flagged') return 'unchanged';
    this.change('qualified', holdEnds, { lifecycle: 'qualified', qualifiedAt: holdEnds });
    const p = this.props;
    this.record(
      referralQualified.create(
        {
          referralId: p.id,
          referrerId: p.referrerId,
          referredId: p.referredId,
          referredFirstName: firstNameOf(p.referredName),
          qualifiedAt: holdEnds.toISOString(),
          progress: progressAfter(p.referrerId),
        },
        holdEnds,
      ),
    );
    return 'qualified';
  }

  /** An admin approved a flagged referral: it resumes its lifecycle as if never flagged. */
  approve(at: Date): void {
    if (this.props.review !== 'flagged') throw new ReferralNotFlagged(this.id, this.status);
    this.change('approved_on_review', at, { review: 'approved' });
  }

  /** An admin rejected a flagged referral: terminal, kept for audit. */
  rejectByAdmin(at: Date): void {
    if (this.props.review !== 'flagged') throw new ReferralNotFlagged(this.id, this.status);
    this.change('rejected_on_review', at, {
      review: 'rejected',
      lifecycle: 'rejected',
      rejectedAt: at,
      statusReason: 'rejected_on_review',
    });
  }

  /** A reward consumed this qualified referral. */
  markRewarded(rewardId: string, at: Date): void {
    if (this.props.lifecycle === 'rewarded' && this.props.rewardId === rewardId) return;
    if (this.props.lifecycle !== 'qualified') {
      throw new ReferralsNotQualified([this.id]);
    }
    this.change('rewarded', at, { lifecycle: 'rewarded', rewardId, rewardedAt: at }, { rewardId });
  }

  /** The referred customer's name or email changed in billing. */
  contactChanged(name: string, email: string): void {
    this.props = { ...this.props, referredName: name, referredEmail: email };
  }

  /** SPEC §12: what lies ahead — the dates the nightly run will judge by. */
  nextStep(): NextStep {
    return nextStepOf({ status: this.status, ...this.props });
  }

  /** SPEC §12: why a terminal referral ended there (customer-safe), or null. */
  get statusReason(): StatusReason | null {
    return this.props.statusReason;
  }

  private change(
    what: HistoryEntry['what'],
    at: Date,
    next: Partial<ReferralProps>,
    detail?: Record<string, unknown>,
  ): void {
    const from = this.status;
    this.props = { ...this.props, ...next };
    this.note({ at, kind: 'transition', what, from, to: this.status, ...(detail ? { detail } : {}) });
  }

  private note(entry: HistoryEntry): void {
    this.history.push(entry);
  }
}
