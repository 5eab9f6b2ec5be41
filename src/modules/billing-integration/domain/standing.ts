/**
 * Standing of a billing customer (SPEC §3, §6): on a business day, as that day ends (SAST), a
 * customer has an active service if one of their services was activated by then and its latest
 * status report by then leaves it active; they are in good standing if no invoice's latest report
 * by then is `overdue`. A customer with both is *eligible* to earn rewards that day.
 *
 * Pure functions over the stored histories, so a run for any past day judges by the facts of that
 * day (runs replay, SPEC §8). The current status kept on each row is the same rule applied to
 * every report received so far.
 */
import { BusinessDate } from '#libs/ddd/index.js';

export type ServiceStatus = 'active' | 'suspended' | 'cancelled';
/** What a service status history row records. */
export type ServiceStatusEvent = 'activated' | 'suspended' | 'cancelled' | 'reactivated';
export type InvoiceStatus = 'overdue' | 'paid';

const STATUS_AFTER: Record<ServiceStatusEvent, ServiceStatus> = {
  activated: 'active',
  suspended: 'suspended',
  cancelled: 'cancelled',
  reactivated: 'active',
};

export function serviceStatusAfter(event: ServiceStatusEvent): ServiceStatus {
  return STATUS_AFTER[event];
}

/** A report replaces the current one when it happened later; a tie goes to the one received last. */
export function serviceReportWins(current: { at: Date }, next: { at: Date }): boolean {
  return next.at.getTime() >= current.at.getTime();
}

/** An invoice report replaces the current one when it happened later; on a tie, `paid` wins (the customer's benefit). */
export function invoiceReportWins(
  current: { status: InvoiceStatus; at: Date },
  next: { status: InvoiceStatus; at: Date },
): boolean {
  const d = next.at.getTime() - current.at.getTime();
  return d > 0 || (d === 0 && next.status === 'paid');
}

export interface ServiceHistory {
  serviceId: string;
  activatedAt: Date;
  /** Every status report, in the order received (activation included). */
  changes: readonly { status: ServiceStatusEvent; at: Date }[];
}

export interface InvoiceHistory {
  invoiceId: string;
  /** Every report, in the order received. */
  reports: readonly { status: InvoiceStatus; at: Date }[];
}

export interface CustomerStanding {
  services: readonly ServiceHistory[];
  invoices: readonly InvoiceHistory[];
}

/** The service's status as `day` ends, or null when it was not yet activated. */
export function serviceStatusAsDayEnds(service: ServiceHistory, day: BusinessDate): ServiceStatus | null {
  const end = day.plusDays(1).startOfDay().getTime();
  if (service.activatedAt.getTime() >= end) return null;
  let current: { status: ServiceStatusEvent; at: Date } | undefined;
  for (const change of service.changes) {
    if (change.at.getTime() >= end) continue;
    if (!current || serviceReportWins(current, change)) current = change;
  }
  return current ? STATUS_AFTER[current.status] : 'active';
}

/** The invoice's status as `day` ends, or null when nothing was reported by then. */
export function invoiceStatusAsDayEnds(invoice: InvoiceHistory, day: BusinessDate): InvoiceStatus | null {
  const end = day.plusDays(1).startOfDay().getTime();
  let current: { status: InvoiceStatus; at: Date } | undefined;
  for (const report of invoice.reports) {
    if (report.at.getTime() >= end) continue;
    if (!current || invoiceReportWins(current, report)) current = report;
  }
  return current?.status ?? null;
}

export function hasActiveServiceOn(standing: CustomerStanding, day: BusinessDate): boolean {
  return standing.services.some((s) => serviceStatusAsDayEnds(s, day) === 'active');
}

export function inGoodStandingOn(standing: CustomerStanding, day: BusinessDate): boolean {
  return !standing.invoices.some((i) => invoiceStatusAsDayEnds(i, day) === 'overdue');
}

/** SPEC §6: may earn rewards on `day` — an active service and good standing as that day ends. */
export function eligibleOn(standing: CustomerStanding, day: BusinessDate): boolean {
  return hasActiveServiceOn(standing, day) && inGoodStandingOn(standing, day);
}

/** The first day in [from, to] on which the customer is eligible, or null. */
export function firstEligibleDay(
  standing: CustomerStanding,
  from: BusinessDate,
  to: BusinessDate,
): BusinessDate | null {
  for (let day = from; day.isOnOrBefore(to); day = day.plusDays(1)) {
    if (eligibleOn(standing, day)) return day;
  }
  return null;
}
