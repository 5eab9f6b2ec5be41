import type { Money } from '#libs/ddd/index.js';

/**
 * The billing system's events (SPEC §3), as this context understands them once the envelope
 * and `data` have been validated. The anti-corruption layer turns these into the mirror of
 * customers, services and invoices, and into integration events for the other contexts.
 */
export const BILLING_EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'service.activated',
  'service.price_changed',
  'service.suspended',
  'service.cancelled',
  'service.reactivated',
  'invoice.overdue',
  'invoice.paid',
] as const;
export type BillingEventType = (typeof BILLING_EVENT_TYPES)[number];

export function isBillingEventType(value: unknown): value is BillingEventType {
  return typeof value === 'string' && (BILLING_EVENT_TYPES as readonly string[]).includes(value);
}

export const REFERRAL_SOURCES = ['url_param', 'manual_entry', 'admin_override'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

export interface CustomerCreatedData {
  customerId: string;
  name: string;
  email: string;
  phone?: string;
  installationAddress?: string;
  referralCode?: string;
  referralSource?: ReferralSource;
  signupIp?: string;
  userAgent?: string;
}

/** Only the fields present change; `null` clears an optional field. At least one is present. */
export interface CustomerUpdatedData {
  customerId: string;
  name?: string;
  email?: string;
  phone?: string | null;
  installationAddress?: string | null;
}

export interface ServiceActivatedData {
  customerId: string;
  serviceId: string;
  /** VAT-inclusive, > 0. */
  monthlyPrice: Money;
  /** 1–31. */
  billingDay: number;
}

export interface ServicePriceChangedData {
  serviceId: string;
  monthlyPrice: Money;
}

export interface ServiceRef {
  serviceId: string;
}

export interface InvoiceRef {
  customerId: string;
  invoiceId: string;
}

interface Envelope<T extends BillingEventType, D> {
  /** The sender's unique event id (1–128 chars): a repeated id has no further effect. */
  id: string;
  type: T;
  /** When it happened in the billing system: the time the rules use. */
  occurredAt: Date;
  data: D;
}

export type BillingEvent =
  | Envelope<'customer.created', CustomerCreatedData>
  | Envelope<'customer.updated', CustomerUpdatedData>
  | Envelope<'service.activated', ServiceActivatedData>
  | Envelope<'service.price_changed', ServicePriceChangedData>
  | Envelope<'service.suspended' | 'service.cancelled' | 'service.reactivated', ServiceRef>
  | Envelope<'invoice.overdue' | 'invoice.paid', InvoiceRef>;
