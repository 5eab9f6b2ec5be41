/**
 * Billing cycles and the free-month amount (SPEC §7). Pure functions over SAST calendar dates.
 *
 * A service bills monthly on its billing day (1–31); in a month shorter than that day the
 * cycle starts on the month's last day (billing day 31: 31 Jan, 28 Feb, 31 Mar, 30 Apr…).
 * A cycle runs from one billing date up to, not including, the next, so it is 28–31 days.
 */
import { BusinessDate, daysInMonth, type Money } from '#libs/ddd/index.js';

/** A billing cycle on the calendar: [start, endExclusive). */
export interface CalendarCycle {
  start: BusinessDate;
  endExclusive: BusinessDate;
  /** start.daysUntil(endExclusive): 28–31. */
  days: number;
}

/** One billed period of a particular service. */
export interface ServiceCycle {
  start: BusinessDate;
  endExclusive: BusinessDate;
  /** The last day of the period, inclusive: endExclusive − 1 day (credit notes' periodEnd). */
  periodEnd: BusinessDate;
  /** True only for a first cycle that starts on activation, not on a billing date. */
  partial: boolean;
  /** Days billed: start.daysUntil(endExclusive). Equal to cycleDays unless partial. */
  activeDays: number;
  /** Length of the full calendar cycle this period lies in (28–31). */
  cycleDays: number;
}

export interface BilledService {
  activatedOn: BusinessDate;
  billingDay: number;
}

function assertBillingDay(billingDay: number): void {
  if (!Number.isInteger(billingDay) || billingDay < 1 || billingDay > 31) {
    throw new RangeError(`billingDay must be an integer 1–31, got ${billingDay}`);
  }
}

/** The billing date in a given month: billingDay, or the month's last day if shorter. */
export function billingDateIn(year: number, month: number, billingDay: number): BusinessDate {
  assertBillingDay(billingDay);
  return BusinessDate.of(year, month, Math.min(billingDay, daysInMonth(year, month)));
}

function billingDateMonthsAfter(date: BusinessDate, months: number, billingDay: number): BusinessDate {
  const total = date.year * 12 + (date.month - 1) + months;
  return billingDateIn(Math.floor(total / 12), (total % 12) + 1, billingDay);
}

/** The latest billing date on or before `date`: the start of the cycle containing it. */
export function cycleStartOnOrBefore(date: BusinessDate, billingDay: number): BusinessDate {
  const inMonth = billingDateIn(date.year, date.month, billingDay);
  return inMonth.isOnOrBefore(date) ? inMonth : billingDateMonthsAfter(date, -1, billingDay);
}

/** The full calendar cycle that contains `date`. */
export function cycleContaining(date: BusinessDate, billingDay: number): CalendarCycle {
  const start = cycleStartOnOrBefore(date, billingDay);
  const endExclusive = billingDateMonthsAfter(start, 1, billingDay);
  return { start, endExclusive, days: start.daysUntil(endExclusive) };
}

function fullCycle(calendar: CalendarCycle): ServiceCycle {
  return {
    start: calendar.start,
    endExclusive: calendar.endExclusive,
    periodEnd: calendar.endExclusive.plusDays(-1),
    partial: false,
    activeDays: calendar.days,
    cycleDays: calendar.days,
  };
}

/**
 * The first cycle of a service: from the activation date to the next billing date. Partial
 * unless activation falls on a billing date; `cycleDays` is then the length of the full
 * cycle containing the activation date and `activeDays` the days from activation to the next
 * billing date.
 */
export function firstCycle(service: BilledService): ServiceCycle {
  const calendar = cycleContaining(service.activatedOn, service.billingDay);
  if (calendar.start.equals(service.activatedOn)) return fullCycle(calendar);
  return {
    start: service.activatedOn,
    endExclusive: calendar.endExclusive,
    periodEnd: calendar.endExclusive.plusDays(-1),
    partial: true,
    activeDays: service.activatedOn.daysUntil(calendar.endExclusive),
    cycleDays: calendar.days,
  };
}

/** The service's cycle that follows `cycle` (always full). */
export function cycleAfter(service: BilledService, cycle: ServiceCycle): ServiceCycle {
  return fullCycle(cycleContaining(cycle.endExclusive, service.billingDay));
}

/**
 * The first cycle of the service whose start is on or after `date`: the first cycle when
 * `date` is on or before activation, otherwise the full cycle starting on the first
 * billing date on or after `date`.
 */
export function nextCycleStartingOnOrAfter(service: BilledService, date: BusinessDate): ServiceCycle {
  if (date.isOnOrBefore(service.activatedOn)) return firstCycle(service);
  const containing = cycleContaining(date, service.billingDay);
  if (containing.start.equals(date)) return fullCycle(containing);
  return fullCycle(cycleContaining(containing.endExclusive, service.billingDay));
}

/** Every cycle of the service from activation on, in order (an endless sequence). */
export function* cyclesOf(service: BilledService): Generator<ServiceCycle, never, undefined> {
  let cycle = firstCycle(service);
  for (;;) {
    yield cycle;
    cycle = cycleAfter(service, cycle);
  }
}

/**
 * The recurring charge a free month waives for a cycle: the full price for a full cycle,
 * price × activeDays / cycleDays for a partial first cycle, rounded half-up once.
 */
export function freeMonthAmount(
  monthlyPrice: Money,
  cycle: Pick<ServiceCycle, 'partial' | 'activeDays' | 'cycleDays'>,
): Money {
  if (!cycle.partial) return monthlyPrice;
  return monthlyPrice.ratio(cycle.activeDays, cycle.cycleDays);
}

export interface TargetCandidate {
  serviceId: string;
  monthlyPrice: Money;
  activatedAt: Date;
}

/**
 * The service a free month goes to: highest monthlyPrice; ties → earliest activatedAt;
 * then serviceId in plain string (code-unit) order. Undefined when there is none.
 * The caller passes only the customer's active services.
 */
export function chooseTargetService<T extends TargetCandidate>(services: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const s of services) {
    if (!best || ranksAbove(s, best)) best = s;
  }
  return best;
}

function ranksAbove(a: TargetCandidate, b: TargetCandidate): boolean {
  const byPrice = a.monthlyPrice.compare(b.monthlyPrice);
  if (byPrice !== 0) return byPrice > 0;
  const byActivation = a.activatedAt.getTime() - b.activatedAt.getTime();
  if (byActivation !== 0) return byActivation < 0;
  return a.serviceId < b.serviceId;
}

/** `CN-2026-00042`. The sequence is 1–99 999 within a year. */
export function creditNoteNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`credit note year must be a four-digit year, got ${year}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 99_999) {
    throw new RangeError(`credit note sequence must be 1–99999, got ${sequence}`);
  }
  return `CN-${year}-${String(sequence).padStart(5, '0')}`;
}
