/**
 * Free-month credit notes (SPEC §7): which cycle of which service a reward waives, for how
 * much, and the credit note that records it. Pure: no NestJS, no Prisma.
 */
import { BusinessDate, formatVatRate, Money, VAT_RATE_BASIS_POINTS, vatInclusiveSplit } from '#libs/ddd/index.js';
import {
  chooseTargetService,
  creditNoteNumber,
  cycleAfter,
  freeMonthAmount,
  nextCycleStartingOnOrAfter,
  type ServiceCycle,
} from './billing-cycle.js';
import { serviceStatusAsDayEnds, type ServiceHistory } from './standing.js';

export interface PricePoint {
  effectiveOn: BusinessDate;
  effectiveAt: Date;
  price: Money;
}

/** A service of the customer (any status), with its price and status histories. */
export interface CreditableService {
  serviceId: string;
  customerId: string;
  billingDay: number;
  activatedOn: BusinessDate;
  activatedAt: Date;
  /** The price now (the latest effective). */
  monthlyPrice: Money;
  prices: readonly PricePoint[];
  /** Status reports, activation included (standing.ts). */
  history: ServiceHistory;
}

export interface FreeMonthRequest {
  rewardId: string;
  customerId: string;
  earnedOn: BusinessDate;
  /** A cycle starting after this date is not used (the reward expires first). */
  latestCycleStart?: BusinessDate;
}

/** The cycle a reward goes to and what it waives. */
export interface PlannedFreeMonth {
  rewardId: string;
  customerId: string;
  serviceId: string;
  cycle: ServiceCycle;
  amountInclVat: Money;
  vatAmount: Money;
  amountExclVat: Money;
  vatRateBasisPoints: number;
}

export type FreeMonthPlan =
  | ({ status: 'issue' } & PlannedFreeMonth)
  /** Its cycle starts after asOf: it waits (and the cycle is held for it, so a younger reward never jumps ahead). */
  | ({ status: 'not_due'; reason: 'cycle_not_started' } & PlannedFreeMonth)
  | { rewardId: string; status: 'not_due'; reason: 'no_active_service' | 'expires_before_cycle' };

/** The price in effect on `date`: the latest price effective on or before it (else the current price). */
export function priceOn(service: Pick<CreditableService, 'prices' | 'monthlyPrice'>, date: BusinessDate): Money {
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

/**
 * SPEC §7, judged per cycle start date d, never at the moment a run happens: the customer's
 * service active on d (as the day ends; activated on d counts) with the highest price in effect on
 * d (ties: earliest activated, then serviceId). Undefined when none is active on d.
 */
export function targetServiceOn(
  services: readonly CreditableService[],
  day: BusinessDate,
): CreditableService | undefined {
  const active = services
    .filter((s) => serviceStatusAsDayEnds(s.history, day) === 'active')
    .map((s) => ({ ...s, monthlyPrice: priceOn(s, day), service: s }));
  return chooseTargetService(active)?.service;
}

/** Key of one service cycle (one free month per service per cycle). */
export const periodKey = (serviceId: string, periodStart: BusinessDate) => `${serviceId}|${periodStart.toString()}`;

/** How far ahead a reward without an expiry date is planned (a year of cycles). */
const PLANNING_HORIZON_DAYS = 400;

/**
 * Plans the free months of rewards, in the order given (oldest reward first per customer). Each
 * goes to the first cycle, starting on or after the day the reward was earned, of the service that
 * is the target on that cycle's start date (targetServiceOn) and that has no free month yet —
 * counting the ones planned earlier in this call — so stacked rewards fill consecutive cycles. It is
 * due when that cycle has started by `asOf`. `usedPeriods` holds periodKey()s of existing notes.
 *
 * The nightly run issues the due ones; the customer's `expectedCredit` (SPEC §12) is the same plan
 * as of today — one planner, so the prediction is what a later run issues if nothing changes.
 */
export function planFreeMonths(
  requests: readonly FreeMonthRequest[],
  servicesOf: (customerId: string) => readonly CreditableService[],
  usedPeriods: ReadonlySet<string>,
  asOf: BusinessDate,
): FreeMonthPlan[] {
  const used = new Set(usedPeriods);
  return requests.map((req): FreeMonthPlan => {
    const services = servicesOf(req.customerId);
    const limit = req.latestCycleStart ?? asOf.plusDays(PLANNING_HORIZON_DAYS);
    const found = firstFreeCycle(services, req.earnedOn, limit, used);
    if (!found) {
      return {
        rewardId: req.rewardId,
        status: 'not_due',
        reason: req.latestCycleStart && services.length > 0 ? 'expires_before_cycle' : 'no_active_service',
      };
    }
    const { service, cycle } = found;
    // Reserve the cycle even when not yet due, so a younger reward never jumps ahead of it.
    used.add(periodKey(service.serviceId, cycle.start));
    const amountInclVat = freeMonthAmount(priceOn(service, cycle.start), cycle);
    const { vat, exclVat } = vatInclusiveSplit(amountInclVat, VAT_RATE_BASIS_POINTS);
    const planned: PlannedFreeMonth = {
      rewardId: req.rewardId,
      customerId: req.customerId,
      serviceId: service.serviceId,
      cycle,
      amountInclVat,
      vatAmount: vat,
      amountExclVat: exclVat,
      vatRateBasisPoints: VAT_RATE_BASIS_POINTS,
    };
    return cycle.start.isAfter(asOf)
      ? { ...planned, status: 'not_due', reason: 'cycle_not_started' }
      : { ...planned, status: 'issue' };
  });
}

/**
 * Walks the start dates of every service's cycles from `from` on, in date order, and returns the
 * first that starts a cycle of that day's target service and is not used; none up to `limit`: undefined.
 */
function firstFreeCycle(
  services: readonly CreditableService[],
  from: BusinessDate,
  limit: BusinessDate,
  used: ReadonlySet<string>,
): { service: CreditableService; cycle: ServiceCycle } | undefined {
  if (services.length === 0) return undefined;
  const next = new Map(services.map((s) => [s, nextCycleStartingOnOrAfter(s, from)]));
  for (;;) {
    let day: BusinessDate | undefined;
    for (const cycle of next.values()) if (!day || cycle.start.isBefore(day)) day = cycle.start;
    if (!day || day.isAfter(limit)) return undefined;
    const target = targetServiceOn(services, day);
    const cycle = target ? next.get(target) : undefined;
    if (target && cycle && cycle.start.equals(day) && !used.has(periodKey(target.serviceId, day))) {
      return { service: target, cycle };
    }
    for (const [s, c] of next) if (c.start.equals(day)) next.set(s, cycleAfter(s, c));
  }
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
  /** The VAT rate the amounts were split at, in basis points, as stored with the note. */
  vatRateBasisPoints: number;
  issuedAt: Date;
  /** The reconciliation run that issued it (null for notes from before runs were recorded on them). */
  runId: string | null;
}

/** A credit note: issued once, never changed. */
export class CreditNote {
  private constructor(readonly props: Readonly<CreditNoteProps>) {}

  /** Issues the note for a planned free month with the `sequence`-th number of issuedAt's SAST year. */
  static issue(input: {
    id: string;
    plan: PlannedFreeMonth;
    sequence: number;
    issuedAt: Date;
    runId: string | null;
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
      vatRateBasisPoints: plan.vatRateBasisPoints,
      issuedAt: input.issuedAt,
      runId: input.runId,
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
      vatRate: formatVatRate(p.vatRateBasisPoints),
      issuedAt: p.issuedAt.toISOString(),
    };
  }
}

/** The numbering year of a credit note: the SAST calendar year of the moment it is issued. */
export function creditNoteYear(issuedAt: Date): number {
  return BusinessDate.ofInstant(issuedAt).year;
}
