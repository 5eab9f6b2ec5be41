/**
 * Free-month credit notes (SPEC §7): which cycle of which service a reward waives, for how
 * much, and the credit note that records it. Pure: no NestJS, no Prisma.
 */
import { BusinessDate, Money, VAT_RATE, vatInclusiveSplit } from '#libs/ddd/index.js';
import {
  chooseTargetService,
  creditNoteNumber,
  cycleAfter,
  freeMonthAmount,
  nextCycleStartingOnOrAfter,
  type ServiceCycle,
} from './billing-cycle.js';

/** VAT rate in basis points as stored (15.00 % → 1500). */
export const VAT_RATE_BASIS_POINTS = 1500;

export interface PricePoint {
  effectiveOn: BusinessDate;
  effectiveAt: Date;
  price: Money;
}

/** An active service of the customer, with its price history. */
export interface CreditableService {
  serviceId: string;
  customerId: string;
  billingDay: number;
  activatedOn: BusinessDate;
  activatedAt: Date;
  /** The price now (what the target choice compares). */
  monthlyPrice: Money;
  prices: readonly PricePoint[];
}

export interface FreeMonthRequest {
  rewardId: string;
  customerId: string;
  earnedOn: BusinessDate;
  /** A cycle starting after this date is not used (the reward expires first). */
  latestCycleStart?: BusinessDate;
}

export type FreeMonthPlan =
  | {
      rewardId: string;
      status: 'issue';
      customerId: string;
      serviceId: string;
      cycle: ServiceCycle;
      amountInclVat: Money;
      vatAmount: Money;
      amountExclVat: Money;
    }
  | { rewardId: string; status: 'not_due'; reason: 'no_active_service' | 'cycle_not_started' | 'expires_before_cycle' };

/** The price in effect on `date`: the latest price effective on or before it (else the current price). */
export function priceOn(service: CreditableService, date: BusinessDate): Money {
  let best: PricePoint | undefined;
  for (const p of service.prices) {
    if (p.effectiveOn.isAfter(date)) continue;
    if (
      !best ||
      p.effectiveOn.isAfter(best.effectiveOn) ||
      (p.effectiveOn.equals(best.effectiveOn) && p.effectiveAt > best.effectiveAt)
    ) {
      best = p;
    }
  }
  return best?.price ?? service.monthlyPrice;
}

/** Key of one service cycle (one free month per service per cycle). */
export const periodKey = (serviceId: string, periodStart: BusinessDate) => `${serviceId}|${periodStart.toString()}`;

/**
 * Plans the free months of a batch of rewards, in the order given (oldest reward first per
 * customer). Each goes to the customer's target service (highest monthlyPrice, then earliest
 * activated, then serviceId), on its first cycle starting on or after the reward's earnedOn
 * that has no free month yet — counting the ones planned earlier in this batch — and is due
 * when that cycle has started by `asOf`. `usedPeriods` holds periodKey()s of existing credit notes.
 */
export function planFreeMonths(
  requests: readonly FreeMonthRequest[],
  activeServicesOf: (customerId: string) => readonly CreditableService[],
  usedPeriods: ReadonlySet<string>,
  asOf: BusinessDate,
): FreeMonthPlan[] {
  const used = new Set(usedPeriods);
  return requests.map((req): FreeMonthPlan => {
    const target = chooseTargetService(activeServicesOf(req.customerId));
    if (!target) return { rewardId: req.rewardId, status: 'not_due', reason: 'no_active_service' };
    let cycle = nextCycleStartingOnOrAfter(target, req.earnedOn);
    while (used.has(periodKey(target.serviceId, cycle.start))) cycle = cycleAfter(target, cycle);
    if (req.latestCycleStart && cycle.start.isAfter(req.latestCycleStart)) {
      return { rewardId: req.rewardId, status: 'not_due', reason: 'expires_before_cycle' };
    }
    // Reserve the cycle even when not yet due, so a younger reward never jumps ahead of it.
    used.add(periodKey(target.serviceId, cycle.start));
    if (cycle.start.isAfter(asOf)) return { rewardId: req.rewardId, status: 'not_due', reason: 'cycle_not_started' };
    const amountInclVat = freeMonthAmount(priceOn(target, cycle.start), cycle);
    const { vat, exclVat } = vatInclusiveSplit(amountInclVat);
    return {
      rewardId: req.rewardId,
      status: 'issue',
      customerId: req.customerId,
      serviceId: target.serviceId,
      cycle,
      amountInclVat,
      vatAmount: vat,
      amountExclVat: exclVat,
    };
  });
}

export interface CreditNoteProps {
  id: string;
  year: number;
  sequence: number;
  customerId: string;
  serviceId: string;
  rewardId: string;
  periodStart: BusinessDate;
  periodEnd: BusinessDate;
  amountInclVat: Money;
  vatAmount: Money;
  amountExclVat: Money;
  issuedAt: Date;
}

/** A credit note: issued once, never changed. */
export class CreditNote {
  private constructor(readonly props: Readonly<CreditNoteProps>) {}

  /** Issues the note for a planned free month with the `sequence`-th number of issuedAt's SAST year. */
  static issue(input: {
    id: string;
    plan: Extract<FreeMonthPlan, { status: 'issue' }>;
    sequence: number;
    issuedAt: Date;
  }): CreditNote {
    const { plan } = input;
    return new CreditNote({
      id: input.id,
      year: creditNoteYear(input.issuedAt),
      sequence: input.sequence,
      customerId: plan.customerId,
      serviceId: plan.serviceId,
      rewardId: plan.rewardId,
      periodStart: plan.cycle.start,
      periodEnd: plan.cycle.periodEnd,
      amountInclVat: plan.amountInclVat,
      vatAmount: plan.vatAmount,
      amountExclVat: plan.amountExclVat,
      issuedAt: input.issuedAt,
    });
  }

  static rehydrate(props: CreditNoteProps): CreditNote {
    return new CreditNote({ ...props });
  }

  get number(): string {
    return creditNoteNumber(this.props.year, this.props.sequence);
  }

  toView() {
    const p = this.props;
    return {
      id: p.id,
      number: this.number,
      customerId: p.customerId,
      serviceId: p.serviceId,
      rewardId: p.rewardId,
      periodStart: p.periodStart.toString(),
      periodEnd: p.periodEnd.toString(),
      amountInclVat: p.amountInclVat.toRand(),
      vatAmount: p.vatAmount.toRand(),
      amountExclVat: p.amountExclVat.toRand(),
      vatRate: VAT_RATE as '15.00',
      issuedAt: p.issuedAt.toISOString(),
    };
  }
}

/** The numbering year of a credit note: the SAST calendar year of the moment it is issued. */
export function creditNoteYear(issuedAt: Date): number {
  return BusinessDate.ofInstant(issuedAt).year;
}
