import { BusinessDate, type Money } from '#libs/ddd/index.js';
import { serviceReportWins, serviceStatusAfter, type ServiceStatus } from './standing.js';

export type { ServiceStatus, ServiceStatusEvent } from './standing.js';
/** The status changes billing reports after activation. */
export type ServiceStatusChange = 'suspended' | 'cancelled' | 'reactivated';

export interface BillingServiceProps {
  id: string;
  customerId: string;
  /** The current price: the one effective latest. VAT-inclusive. */
  monthlyPrice: Money;
  /** When the current price took effect. */
  priceEffectiveAt: Date;
  billingDay: number;
  status: ServiceStatus;
  /** occurredAt of the change that set the current status. */
  statusChangedAt: Date;
  activatedAt: Date;
  /** SAST date of activatedAt. */
  activatedOn: BusinessDate;
  /** SAST date of the earliest suspension or cancellation ever reported, if any. */
  firstInterruptedOn: BusinessDate | null;
}

export interface NewService {
  id: string;
  customerId: string;
  monthlyPrice: Money;
  billingDay: number;
}

/**
 * The mirror of a billing-system service. Billing delivers at least once and out of order, so
 * the current status is the one reported with the latest occurredAt (a tie goes to the one
 * delivered last), the current price the one effective latest, and `firstInterruptedOn` the
 * earliest interruption whatever order they arrived in.
 */
export class BillingService {
  private constructor(private state: BillingServiceProps) {}

  /** A service.activated at `at` (its occurredAt). */
  static activate(input: NewService, at: Date): BillingService {
    if (!Number.isInteger(input.billingDay) || input.billingDay < 1 || input.billingDay > 31) {
      throw new RangeError(`billingDay must be an integer 1–31, got ${input.billingDay}`);
    }
    return new BillingService({
      ...input,
      priceEffectiveAt: at,
      status: 'active',
      statusChangedAt: at,
      activatedAt: at,
      activatedOn: BusinessDate.ofInstant(at),
      firstInterruptedOn: null,
    });
  }

  static rehydrate(props: BillingServiceProps): BillingService {
    return new BillingService({ ...props });
  }

  get id(): string {
    return this.state.id;
  }

  get props(): Readonly<BillingServiceProps> {
    return this.state;
  }

  /** Records a suspension, cancellation or reactivation that happened at `at`. */
  recordStatusChange(change: ServiceStatusChange, at: Date): void {
    const next = { ...this.state };
    if (serviceReportWins({ at: next.statusChangedAt }, { at })) {
      next.status = serviceStatusAfter(change);
      next.statusChangedAt = at;
    }
    if (change !== 'reactivated') {
      const on = BusinessDate.ofInstant(at);
      if (!next.firstInterruptedOn || on.isBefore(next.firstInterruptedOn)) next.firstInterruptedOn = on;
    }
    this.state = next;
  }

  /** Records a price effective from `at`; it becomes current unless a later one is already known. */
  changePrice(price: Money, at: Date): void {
    if (at.getTime() >= this.state.priceEffectiveAt.getTime()) {
      this.state = { ...this.state, monthlyPrice: price, priceEffectiveAt: at };
    }
  }
}
