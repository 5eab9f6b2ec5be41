import { AggregateRoot, BusinessDate } from '#libs/ddd/index.js';
import { RewardNotExpiredYet, RewardNotPending, RewardNotRevocable } from './reward.errors.js';
import {
  rewardApplied,
  rewardEarned,
  rewardExpired,
  rewardExpiryReminder,
  rewardGranted,
  rewardRevoked,
  type AppliedCreditNote,
  type RewardEarned,
} from './rewards.events.js';

export type { AppliedCreditNote };

export type RewardStatus = 'pending' | 'applied' | 'expired' | 'revoked';

/** How long a reward stays usable. */
export const REWARD_VALIDITY_MONTHS = 12;
/** How long before its expiry date a pending reward's holder is reminded (SPEC §15). */
export const EXPIRY_REMINDER_DAYS = 30;

export interface RewardProps {
  id: string;
  customerId: string;
  status: RewardStatus;
  earnedAt: Date;
  earnedOn: BusinessDate;
  expiresAt: Date;
  expiresOn: BusinessDate;
  manuallyGranted: boolean;
  grantReason: string | null;
  grantedBy: string | null;
  revokedAt: Date | null;
  revokeReason: string | null;
  revokedBy: string | null;
  appliedAt: Date | null;
  expiredAt: Date | null;
  creditNoteId: string | null;
  /** When the expiry reminder was sent (once per reward); absent or null: not yet. */
  expiryRemindedAt?: Date | null;
}

/**
 * One free month a customer holds: earned from two qualified referrals or granted by an admin,
 * then applied (a credit note), expired (12 months after earning) or revoked.
 */
export class Reward extends AggregateRoot {
  private constructor(private props: RewardProps) {
    super();
  }

  /**
   * Earned on `earnedOn` — the day a daily run would have earned it (SPEC §6: the first day, on or
   * after the later qualification of its referrals, the referrer was eligible); earnedAt is the
   * start of that SAST day, whatever day the run that finds it runs for.
   */
  static earn(input: { id: string; customerId: string; referralIds: string[]; earnedOn: BusinessDate }): Reward {
    const earnedOn = input.earnedOn;
    const expiresOn = earnedOn.plusMonths(REWARD_VALIDITY_MONTHS);
    const reward = new Reward({
      ...blank(input.id, input.customerId),
      earnedAt: earnedOn.startOfDay(),
      earnedOn,
      expiresAt: expiresOn.startOfDay(),
      expiresOn,
    });
    reward.record(
      rewardEarned.create({ ...reward.publicData(), referralIds: input.referralIds }, reward.props.earnedAt),
    );
    return reward;
  }

  /** Granted by an admin: earned at the moment of the grant, expiring 12 months later. */
  static grant(input: { id: string; customerId: string; reason: string; grantedBy: string; at: Date }): Reward {
    const earnedOn = BusinessDate.ofInstant(input.at);
    const expiresOn = earnedOn.plusMonths(REWARD_VALIDITY_MONTHS);
    const expiresAt = new Date(
      input.at.getTime() + (expiresOn.startOfDay().getTime() - earnedOn.startOfDay().getTime()),
    );
    const reward = new Reward({
      ...blank(input.id, input.customerId),
      earnedAt: input.at,
      earnedOn,
      expiresAt,
      expiresOn,
      manuallyGranted: true,
      grantReason: input.reason,
      grantedBy: input.grantedBy,
    });
    reward.record(rewardGranted.create({ ...reward.publicData(), reason: input.reason }, input.at));
    return reward;
  }

  static rehydrate(props: RewardProps): Reward {
    return new Reward({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get customerId(): string {
    return this.props.customerId;
  }
  get status(): RewardStatus {
    return this.props.status;
  }
  get earnedOn(): BusinessDate {
    return this.props.earnedOn;
  }
  get expiresOn(): BusinessDate {
    return this.props.expiresOn;
  }
  snapshot(): Readonly<RewardProps> {
    return { ...this.props };
  }

  revoke(at: Date, reason: string, revokedBy: string): void {
    if (this.props.status !== 'pending') throw new RewardNotRevocable(this.props.id, this.props.status);
    this.props = { ...this.props, status: 'revoked', revokedAt: at, revokeReason: reason, revokedBy };
    this.record(rewardRevoked.create({ ...this.publicData(), revokedAt: at.toISOString(), reason }, at));
  }

  /** Expires at the first run whose asOf is on or after the date of expiresAt; it expired at expiresAt. */
  expire(asOf: BusinessDate): void {
    if (this.props.status !== 'pending') throw new RewardNotPending(this.props.id, this.props.status);
    if (asOf.isBefore(this.props.expiresOn))
      throw new RewardNotExpiredYet(this.props.id, this.props.expiresOn.toString());
    const at = this.props.expiresAt;
    this.props = { ...this.props, status: 'expired', expiredAt: at };
    this.record(rewardExpired.create({ ...this.publicData(), expiredAt: at.toISOString() }, at));
  }

  /**
   * The nightly run for `asOf` reminds the holder of a pending reward once, from 30 days before
   * its expiry date until the day before it (on that day it expires instead). False when it is
   * not due (not pending, already reminded, too early, or expired); true when a reminder was recorded.
   */
  remindOfExpiry(asOf: BusinessDate): boolean {
    const p = this.props;
    if (p.status !== 'pending' || p.expiryRemindedAt) return false;
    if (!asOf.isBefore(p.expiresOn) || asOf.isBefore(p.expiresOn.plusDays(-EXPIRY_REMINDER_DAYS))) return false;
    if (asOf.isBefore(p.earnedOn)) return false;
    // Business time: the start of the day the reminder is for (a replayed run says the same).
    const at = asOf.startOfDay();
    this.props = { ...p, expiryRemindedAt: at };
    this.record(
      rewardExpiryReminder.create(
        { ...this.publicData(), remindedOn: asOf.toString(), daysLeft: asOf.daysUntil(p.expiresOn) },
        at,
      ),
    );
    return true;
  }

  /** Applied as a free month: the billing system issued this credit note. */
  apply(creditNote: AppliedCreditNote): void {
    if (this.props.status !== 'pending') throw new RewardNotPending(this.props.id, this.props.status);
    const at = new Date(creditNote.issuedAt);
    this.props = { ...this.props, status: 'applied', appliedAt: at, creditNoteId: creditNote.id };
    this.record(
      rewardApplied.create(
        { rewardId: this.props.id, customerId: this.props.customerId, appliedAt: at.toISOString(), creditNote },
        at,
      ),
    );
  }

  private publicData(): Omit<RewardEarned, 'referralIds'> {
    const p = this.props;
    return {
      rewardId: p.id,
      customerId: p.customerId,
      rewardType: 'free_month' as const,
      status: p.status,
      manuallyGranted: p.manuallyGranted,
      earnedAt: p.earnedAt.toISOString(),
      expiresAt: p.expiresAt.toISOString(),
    };
  }
}

function blank(id: string, customerId: string): Omit<RewardProps, 'earnedAt' | 'earnedOn' | 'expiresAt' | 'expiresOn'> {
  return {
    id,
    customerId,
    status: 'pending',
    manuallyGranted: false,
    grantReason: null,
    grantedBy: null,
    revokedAt: null,
    revokeReason: null,
    revokedBy: null,
    appliedAt: null,
    expiredAt: null,
    creditNoteId: null,
  };
}
