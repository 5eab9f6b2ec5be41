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
  ) {}
}

export class ServiceReactivated implements IntegrationEvent {
  static readonly TYPE = 'billing.service.reactivated';
  readonly type = ServiceReactivated.TYPE;
  constructor(
    readonly occurredAt: Date,
    readonly customerId: string,
    readonly serviceId: string,
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
  createdAt: Date;
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
 * Query: which of these customers may earn rewards now — in good standing (no unpaid overdue
 * invoice) with at least one active service. Result: string[] (the eligible customerIds).
 */
export class GetEligibleCustomers {
  constructor(readonly customerIds: string[]) {}
}

/**
 * Command (Billing owns cycles, pro-rata and credit notes): for each pending reward, in the
 * order given (oldest reward first per customer), find the customer's target service (highest
 * monthlyPrice, then earliest activated, then serviceId), the first cycle of it starting on or
 * after `earnedOn` with no free month yet, and — if that cycle has started by `asOf` — issue
 * the credit note (gapless CN-YYYY-NNNNN by SAST year of issuedAt). Result: FreeMonthOutcome[]
 * in input order. Unique constraints make a second credit note for one reward, or two free
 * months for one service cycle, impossible.
 */
export class IssueFreeMonthCredits {
  constructor(
    /** latestCycleStart (optional, YYYY-MM-DD): the reward's expiry date — a cycle starting after it is not used. */
    readonly items: { rewardId: string; customerId: string; earnedOn: string; latestCycleStart?: string }[],
    readonly asOf: string,
    readonly issuedAt: Date,
  ) {}
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
  vatRate: '15.00';
  issuedAt: string;
}

export type FreeMonthOutcome =
  | { rewardId: string; status: 'issued'; creditNote: CreditNoteView }
  | {
      rewardId: string;
      status: 'not_due';
      reason: 'no_active_service' | 'cycle_not_started' | 'expires_before_cycle';
    };

/** Query: a customer's credit notes, newest first. Result: { items: CreditNoteView[]; nextCursor } */
export class ListCreditNotesOfCustomer {
  constructor(
    readonly customerId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}

/**
 * Query (QueryBus): a customer's services as the billing mirror knows them now, oldest
 * activation first (then serviceId). Result: BillingServiceView[] (empty for an unknown customer).
 */
export class GetServicesOfCustomer {
  constructor(readonly customerId: string) {}
}

export interface BillingServiceView {
  serviceId: string;
  status: 'active' | 'suspended' | 'cancelled';
  /** The current VAT-inclusive price (the latest effective), rand string e.g. "799.00". */
  monthlyPrice: string;
  billingDay: number;
  activatedAt: Date;
  /** SAST date of activatedAt, YYYY-MM-DD. */
  activatedOn: string;
  /** SAST date of the earliest suspension or cancellation, YYYY-MM-DD, or null if never. */
  firstInterruptedOn: string | null;
}

/** Query: the credit notes issued for these rewards (missing ones left out). Result: CreditNoteView[]. */
export class ListCreditNotesOfRewards {
  constructor(readonly rewardIds: string[]) {}
}
