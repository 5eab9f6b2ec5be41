import type { IntegrationEvent } from './integration-event.js';

/** Published by BillingIntegration (the anti-corruption layer) after it has stored the fact. */

export class CustomerRegistered implements IntegrationEvent {
  static readonly TYPE = 'billing.customer.registered';
  readonly type = CustomerRegistered.TYPE;
  constructor(
    readonly occurredAt: Date,
    readonly customer: {
      customerId: string;
      name: string;
      email: string;
      emailNormalized: string;
      phoneNormalized?: string;
      addressNormalized?: string;
      signupIp?: string;
      userAgent?: string;
    },
    readonly referral?: { code: string; source?: 'url_param' | 'manual_entry' | 'admin_override' },
    /** The billing event it came from (CircleTel's record of where a fact came from). */
    readonly sourceEventId: string | null = null,
  ) {}
}

export class CustomerDetailsChanged implements IntegrationEvent {
  static readonly TYPE = 'billing.customer.details_changed';
  readonly type = CustomerDetailsChanged.TYPE;
  constructor(
    readonly occurredAt: Date,
    readonly customerId: string,
    readonly name: string,
    readonly email: string,
    readonly emailNormalized: string,
    /** The billing event it came from (CircleTel's record of where a fact came from). */
    readonly sourceEventId: string | null = null,
  ) {}
}

export class ServiceActivated implements IntegrationEvent {
  static readonly TYPE = 'billing.service.activated';
  readonly type = ServiceActivated.TYPE;
  constructor(
    readonly occurredAt: Date,
    readonly customerId: string,
    readonly serviceId: string,
    /** VAT-inclusive rand string, e.g. "799.00". */
    readonly monthlyPrice: string,
    readonly billingDay: number,
    /** The billing event it came from (CircleTel's record of where a fact came from). */
    readonly sourceEventId: string | null = null,
  ) {}
}

/** A service was suspended or cancelled. */
export class ServiceInterrupted implements IntegrationEvent {
  static readonly TYPE = 'billing.service.interrupted';
  readonly type = ServiceInterrupted.TYPE;
  constructor(
    readonly occurredAt: Date,
    readonly customerId: string,
    readonly serviceId: string,
    readonly status: 'suspended' | 'cancelled',
    /** The billing event it came from (CircleTel's record of where a fact came from). */
    readonly sourceEventId: string | null = null,
  ) {}
}

export class ServiceReactivated implements IntegrationEvent {
  static readonly TYPE = 'billing.service.reactivated';
  readonly type = ServiceReactivated.TYPE;
  constructor(
    readonly occurredAt: Date,
    readonly customerId: string,
    readonly serviceId: string,
    /** The billing event it came from (CircleTel's record of where a fact came from). */
    readonly sourceEventId: string | null = null,
  ) {}
}

/** Query (QueryBus): what other contexts may know about a billing customer. Result: CustomerSummary | null. */
export class GetCustomerSummary {
  constructor(readonly customerId: string) {}
}

export interface CustomerSummary {
  customerId: string;
  name: string;
  email: string;
  emailNormalized: string;
  phoneNormalized: string | null;
  addressNormalized: string | null;
  signupIp: string | null;
  /** The signup (customer.created occurredAt). */
  createdAt: Date;
  /** The billing event the customer came from (customer.created), when known. */
  signupEventId: string | null;
  /** Has at least one service whose status is `active` now. */
  hasActiveService: boolean;
  /** No unpaid overdue invoice. */
  inGoodStanding: boolean;
}

/**
 * Query (QueryBus), for the fraud rules: existing customers (other than `excludeCustomerIds`)
 * whose normalised email, phone or installation address equals the given ones.
 * Result: MatchingCustomer[] (at most `limit`, default 10).
 */
export class FindMatchingCustomers {
  constructor(
    readonly criteria: {
      emailNormalized?: string;
      phoneNormalized?: string;
      addressNormalized?: string;
      excludeCustomerIds: string[];
      limit?: number;
    },
  ) {}
}

export interface MatchingCustomer {
  customerId: string;
  matchedOn: ('email' | 'phone' | 'address')[];
}

/**
 * Query (QueryBus), for screening a referral in one round trip: GetCustomerSummary of the
 * referrer and FindMatchingCustomers for the referred customer's details, together.
 * Result: ReferrerAndMatchingCustomers.
 */
export class GetReferrerAndMatchingCustomers {
  constructor(
    readonly referrerId: string,
    readonly criteria: FindMatchingCustomers['criteria'],
  ) {}
}

export interface ReferrerAndMatchingCustomers {
  referrer: CustomerSummary | null;
  matchingCustomers: MatchingCustomer[];
}

/**
 * Query: for each item, the first business day in [from, to] on which the customer was eligible
 * to earn rewards (SPEC §6: an active service and good standing as that day ended, SAST) — judged
 * by the facts of that day, so a run for a past date gives what a run on that date would have.
 * Result: (string | null)[] — YYYY-MM-DD or null, in input order.
 */
export class GetFirstEligibleDays {
  constructor(readonly items: { customerId: string; from: string; to: string }[]) {}
}

/** A pending reward to place on a billing cycle (oldest reward first per customer). */
export interface FreeMonthItem {
  rewardId: string;
  customerId: string;
  /** The SAST date the reward was earned (its free month starts on or after it). */
  earnedOn: string;
  /** The reward's expiry date: no cycle starting later is used. */
  latestCycleStart?: string;
}

/**
 * Command (Billing owns cycles, pro-rata and credit notes): for each pending reward, in the order
 * given, the first cycle starting on or after `earnedOn` of the service that is the customer's
 * target on that cycle's start date (highest price in effect then, then earliest activated, then
 * serviceId) with no free month yet; if that cycle has started by `asOf`, the credit note is issued
 * (gapless CN-YYYY-NNNNN by SAST year of issuedAt, with the run's id). Result: FreeMonthOutcome[]
 * in input order. Unique constraints make a second credit note for one reward, or two free months
 * for one service cycle, impossible.
 */
export class IssueFreeMonthCredits {
  constructor(
    readonly items: FreeMonthItem[],
    readonly asOf: string,
    readonly issuedAt: Date,
    readonly runId: string,
  ) {}
}

/**
 * Query: the same plan, issuing nothing — the cycle each reward would be credited on if nothing
 * changes (SPEC §12 expectedCredit). Result: FreeMonthOutcome[] in input order (issued ones carry
 * their credit note; the others their planned cycle when there is one).
 */
export class PlanFreeMonths {
  constructor(
    readonly items: FreeMonthItem[],
    readonly asOf: string,
  ) {}
}

/** A free month on a cycle: where a reward goes and what it waives. */
export interface PlannedCredit {
  serviceId: string;
  periodStart: string;
  periodEnd: string;
  /** VAT-inclusive rand. */
  amount: string;
}

export interface CreditNoteView {
  id: string;
  number: string;
  customerId: string;
  serviceId: string;
  rewardId: string;
  periodStart: string;
  periodEnd: string;
  amountInclVat: string;
  vatAmount: string;
  amountExclVat: string;
  vatRate: string;
  issuedAt: string;
}

export type FreeMonthOutcome =
  | { rewardId: string; status: 'issued'; creditNote: CreditNoteView }
  | { rewardId: string; status: 'due'; planned: PlannedCredit }
  | { rewardId: string; status: 'not_due'; reason: 'cycle_not_started'; planned: PlannedCredit }
  | { rewardId: string; status: 'not_due'; reason: 'no_active_service' | 'expires_before_cycle' };

/** Query: a customer's credit notes, newest first. Result: { items: CreditNoteView[]; nextCursor } */
export class ListCreditNotesOfCustomer {
  constructor(
    readonly customerId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}

/** Query: the credit notes issued for these rewards (missing ones left out). Result: CreditNoteView[]. */
export class ListCreditNotesOfRewards {
  constructor(readonly rewardIds: string[]) {}
}

/**
 * Query: the inbound billing events with these ids, as BillingIntegration recorded them (the
 * facts a referral was judged by, SPEC §12). Result: BillingEventRecord[] (unknown ids left out).
 */
export class GetBillingEvents {
  constructor(readonly ids: string[]) {}
}

export interface BillingEventRecord {
  id: string;
  /** customer.created, service.activated, service.suspended, service.cancelled, … */
  type: string;
  occurredAt: Date;
}

/**
 * Query: the credit notes issued in [from, to) — instants — summed per SAST calendar month of
 * issuedAt, in SQL (bigint cents, no sum can overflow). Result: CreditTotalsByMonth[] (months with
 * notes only, in order).
 */
export class SumCreditNotesByMonth {
  constructor(
    readonly from: Date,
    readonly to: Date,
  ) {}
}

export interface CreditTotalsByMonth {
  /** YYYY-MM, SAST. */
  month: string;
  count: number;
  inclVatCents: bigint;
  vatCents: bigint;
  exclVatCents: bigint;
}

/**
 * Published by BillingIntegration when an admin erases a customer's personal data (SPEC §16,
 * POPIA s24), inside the erasure's transaction: every context (and the platform's outbox, audit
 * log and idempotency records) removes the customer's personal data it holds, keeping ids,
 * states, dates and money. `personalData` lists the values to look for in free text and JSON
 * (personalDataValues of libs/ddd); a listener adds the forms only it knows. It is never stored.
 */
export class CustomerErased implements IntegrationEvent {
  static readonly TYPE = 'billing.customer.erased';
  readonly type = CustomerErased.TYPE;
  readonly sourceEventId = null;
  constructor(
    readonly occurredAt: Date,
    readonly customerId: string,
    readonly personalData: readonly string[],
  ) {}
}

/**
 * Command (retention, SPEC §16): BillingIntegration removes the payloads of at most `batchSize`
 * inbound events received before `receivedBefore`, keeping their ids for de-duplication.
 * Result: number — how many payloads were removed in this batch (0: none left).
 */
export class PurgeInboundEventPayloads {
  constructor(
    readonly receivedBefore: Date,
    readonly batchSize: number,
  ) {}
}
