import { AggregateRoot, BusinessDate } from '#libs/ddd/index.js';
import type { ReferralStatus } from '#libs/contracts/index.js';
import { ReferralNotFlagged, ReferralsNotQualified } from './referral.errors.js';

/** The referral's own progress, whatever a fraud review says. */
export type ReferralLifecycle = 'pending' | 'active' | 'qualified' | 'rewarded' | 'expired' | 'cancelled' | 'rejected';
/** Where a human review stands: none, waiting (flagged), or decided. */
export type ReferralReview = 'none' | 'flagged' | 'approved' | 'rejected';

/** SPEC §4: a referral activates if its first service is activated on or before R+30. */
export const ACTIVATION_WINDOW_DAYS = 30;
/** SPEC §4: an active referral qualifies at A+30 if its service stayed active until then. */
export const QUALIFYING_HOLD_DAYS = 30;

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

/** The moment a pending referral referred on R can no longer activate: the start of R+31 (SAST). */
export function expiryMoment(referredOn: BusinessDate): Date {
  return referredOn.plusDays(ACTIVATION_WINDOW_DAYS + 1).startOfDay();
}

/** The moment an active referral activated on A qualifies: the start of A+30 (SAST). */
export function qualificationMoment(activatedOn: BusinessDate): Date {
  return activatedOn.plusDays(QUALIFYING_HOLD_DAYS).startOfDay();
}

/**
 * A referral (SPEC §4): one referrer, one referred customer (referred at most once), moving
 * pending → active → qualified → rewarded, or to expired / cancelled / rejected. A fraud review
 * runs beside the lifecycle: while flagged it may still activate but cannot qualify.
 * Time always comes in as business time (event occurredAt, run asOf).
 */
export class Referral extends AggregateRoot {
  private constructor(private props: ReferralProps) {
    super();
  }

  static attribute(input: AttributeInput): Referral {
    return new Referral({
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
    });
  }

  static rehydrate(props: ReferralProps): Referral {
    return new Referral({ ...props });
  }

  get id(): string {
    return this.props.id;
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

  /**
   * The fraud screening's outcome, applied once right after attribution. Records
   * `referral.attributed` (with the resulting status) and, when a rule wants a human,
   * `referral.flagged` with the findings.
   */
  screened(result: ScreeningOutcome): void {
    if (result.outcome === 'rejected') {
      this.props = { ...this.props, lifecycle: 'rejected', rejectedAt: this.props.referredAt };
    } else if (result.outcome === 'flagged') {
      this.props = { ...this.props, review: 'flagged' };
    }
    const p = this.props;
    this.record({
      type: 'referral.attributed',
      occurredAt: p.referredAt,
      data: {
        referralId: p.id,
        referrerId: p.referrerId,
        referredId: p.referredId,
        referredAt: p.referredAt.toISOString(),
        status: this.status,
        source: p.source,
      },
    });
    if (result.outcome === 'flagged') {
      this.record({
        type: 'referral.flagged',
        occurredAt: p.referredAt,
        data: {
          referralId: p.id,
          referrerId: p.referrerId,
          referredId: p.referredId,
          referredAt: p.referredAt.toISOString(),
          findings: result.findings.map((f) => ({ rule: f.rule, outcome: f.outcome, detail: f.detail })),
        },
      });
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
    const lastDay = this.referredOn.plusDays(ACTIVATION_WINDOW_DAYS);
    if (activatedOn.isOnOrBefore(lastDay)) {
      this.props = { ...this.props, lifecycle: 'active', serviceId, activatedAt: at };
      return 'activated';
    }
    this.props = { ...this.props, lifecycle: 'expired', serviceId, expiredAt: expiryMoment(this.referredOn) };
    return 'expired';
  }

  /** The referral's service was suspended or cancelled; only the first interruption counts. */
  recordServiceInterrupted(at: Date): boolean {
    if (this.props.serviceInterruptedAt) return false;
    this.props = { ...this.props, serviceInterruptedAt: at };
    return true;
  }

  /** An admin approved a flagged referral: it resumes its lifecycle as if never flagged. */
  approve(_at: Date): void {
    if (this.props.review !== 'flagged') throw new ReferralNotFlagged(this.id, this.status);
    this.props = { ...this.props, review: 'approved' };
  }

  /** An admin rejected a flagged referral: terminal, kept for audit. */
  rejectByAdmin(at: Date): void {
    if (this.props.review !== 'flagged') throw new ReferralNotFlagged(this.id, this.status);
    this.props = { ...this.props, review: 'rejected', lifecycle: 'rejected', rejectedAt: at };
  }

  /** A reward consumed this qualified referral. */
  markRewarded(rewardId: string, at: Date): void {
    if (this.props.lifecycle === 'rewarded' && this.props.rewardId === rewardId) return;
    if (this.props.lifecycle !== 'qualified') {
      throw new ReferralsNotQualified([this.id]);
    }
    this.props = { ...this.props, lifecycle: 'rewarded', rewardId, rewardedAt: at };
  }

  /** The referred customer's name or email changed in billing. */
  contactChanged(name: string, email: string): void {
    this.props = { ...this.props, referredName: name, referredEmail: email };
  }
}
