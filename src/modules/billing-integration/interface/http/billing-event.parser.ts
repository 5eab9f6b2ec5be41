import { isIP } from 'node:net';
import { isEmail } from 'class-validator';
import { Money, parseTimestamp, TIMESTAMP_RULE, ValidationFailed } from '#libs/ddd/index.js';
import {
  BILLING_EVENT_TYPES,
  isBillingEventType,
  REFERRAL_SOURCES,
  type BillingEvent,
  type BillingEventType,
} from '../../domain/billing-event.js';

/**
 * Reads an inbound billing event (SPEC §3) from a parsed JSON body: the envelope, then the
 * `data` of its type. Every problem is reported at once as `400 VALIDATION_FAILED` with
 * `errors: [{ field, message }]` (`data.monthlyPrice`, …); unknown fields — in the envelope or
 * in `data` — and unknown types are rejected, so nothing is written for a bad event.
 *
 * Validated by hand rather than with class-validator DTOs because `data`'s shape depends on
 * `type`; the DTOs in ./dto document the same shapes in OpenAPI.
 */
export function parseBillingEvent(body: unknown): BillingEvent {
  const errors: FieldError[] = [];
  if (!isPlainObject(body)) {
    throw new ValidationFailed([{ field: 'body', message: 'the body must be a JSON object' }]);
  }
  for (const key of Object.keys(body)) {
    if (!ENVELOPE_FIELDS.includes(key)) errors.push({ field: key, message: 'unknown field' });
  }

  const { id, type, occurredAt: rawOccurredAt, data } = body;
  if (id === undefined) errors.push({ field: 'id', message: 'id is required' });
  else if (typeof id !== 'string' || id.length < 1 || id.length > 128 || /[\u0000-\u001f\u007f]/.test(id)) {
    errors.push({ field: 'id', message: 'id must be a string of 1–128 characters without control characters' });
  }

  if (type === undefined) errors.push({ field: 'type', message: 'type is required' });
  else if (!isBillingEventType(type)) {
    errors.push({ field: 'type', message: `type must be one of: ${BILLING_EVENT_TYPES.join(', ')}` });
  }

  const occurredAt = parseTimestamp(rawOccurredAt);
  if (rawOccurredAt === undefined) errors.push({ field: 'occurredAt', message: 'occurredAt is required' });
  else if (!occurredAt) {
    errors.push({ field: 'occurredAt', message: `occurredAt must be ${TIMESTAMP_RULE}` });
  }

  let parsedData: Record<string, unknown> | undefined;
  if (data === undefined) errors.push({ field: 'data', message: 'data is required' });
  else if (!isPlainObject(data)) errors.push({ field: 'data', message: 'data must be an object' });
  else if (isBillingEventType(type)) parsedData = parseData(type, data, errors);

  if (errors.length > 0 || !parsedData || !occurredAt || !isBillingEventType(type)) throw new ValidationFailed(errors);
  return { id: id as string, type, occurredAt, data: parsedData } as unknown as BillingEvent;
}

type FieldError = { field: string; message: string };

const ENVELOPE_FIELDS = ['id', 'type', 'occurredAt', 'data'];

/** A field of `data`: how to check it (an error message, or the value to keep). */
interface FieldSpec {
  required?: boolean;
  /** null accepted (and kept as null: it clears the field on customer.updated). */
  nullable?: boolean;
  read(value: unknown, name: string): { error: string } | { value: unknown };
}

const BILLING_ID = /^[A-Za-z0-9_-]{1,64}$/;

const billingId: FieldSpec['read'] = (v, name) =>
  typeof v === 'string' && BILLING_ID.test(v)
    ? { value: v }
    : { error: `${name} must be 1–64 characters of A-Z, a-z, 0-9, _ or -` };

const text =
  (max: number): FieldSpec['read'] =>
  (v, name) => {
    if (typeof v !== 'string') return { error: `${name} must be a string` };
    const trimmed = v.trim();
    if (trimmed.length === 0) return { error: `${name} must not be empty` };
    if (trimmed.length > max) return { error: `${name} must be at most ${max} characters` };
    return { value: trimmed };
  };

const email: FieldSpec['read'] = (v, name) => {
  if (typeof v !== 'string') return { error: `${name} must be a string` };
  const trimmed = v.trim();
  return trimmed.length <= 254 && isEmail(trimmed)
    ? { value: trimmed }
    : { error: `${name} must be a valid email address` };
};

/** A price: any amount a client may send (Money.tryFromInput: 0.00–100000.00), and more than zero. */
const money: FieldSpec['read'] = (v, name) => {
  const amount = Money.tryFromInput(v);
  if (!amount) return { error: `${name} must be ${Money.INPUT_RULE}` };
  return amount.compare(Money.ZERO) > 0 ? { value: amount } : { error: `${name} must be greater than 0` };
};

const billingDay: FieldSpec['read'] = (v, name) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 31
    ? { value: v }
    : { error: `${name} must be a whole number from 1 to 31` };

const referralSource: FieldSpec['read'] = (v, name) =>
  typeof v === 'string' && (REFERRAL_SOURCES as readonly string[]).includes(v)
    ? { value: v }
    : { error: `${name} must be one of: ${REFERRAL_SOURCES.join(', ')}` };

const ipAddress: FieldSpec['read'] = (v, name) =>
  typeof v === 'string' && isIP(v) !== 0 ? { value: v } : { error: `${name} must be an IPv4 or IPv6 address` };

const serviceOnly: Record<string, FieldSpec> = { serviceId: { required: true, read: billingId } };
const invoice: Record<string, FieldSpec> = {
  customerId: { required: true, read: billingId },
  invoiceId: { required: true, read: billingId },
};

const DATA_FIELDS: Record<BillingEventType, Record<string, FieldSpec>> = {
  'customer.created': {
    customerId: { required: true, read: billingId },
    name: { required: true, read: text(200) },
    email: { required: true, read: email },
    phone: { nullable: true, read: text(64) },
    installationAddress: { nullable: true, read: text(500) },
    referralCode: { nullable: true, read: text(64) },
    referralSource: { nullable: true, read: referralSource },
    signupIp: { nullable: true, read: ipAddress },
    userAgent: { nullable: true, read: text(500) },
  },
  'customer.updated': {
    customerId: { required: true, read: billingId },
    name: { read: text(200) },
    email: { read: email },
    phone: { nullable: true, read: text(64) },
    installationAddress: { nullable: true, read: text(500) },
  },
  'service.activated': {
    customerId: { required: true, read: billingId },
    serviceId: { required: true, read: billingId },
    monthlyPrice: { required: true, read: money },
    billingDay: { required: true, read: billingDay },
  },
  'service.price_changed': {
    serviceId: { required: true, read: billingId },
    monthlyPrice: { required: true, read: money },
  },
  'service.suspended': serviceOnly,
  'service.cancelled': serviceOnly,
  'service.reactivated': serviceOnly,
  'invoice.overdue': invoice,
  'invoice.paid': invoice,
};

const CUSTOMER_UPDATE_FIELDS = ['name', 'email', 'phone', 'installationAddress'];

function parseData(
  type: BillingEventType,
  data: Record<string, unknown>,
  errors: FieldError[],
): Record<string, unknown> | undefined {
  const specs = DATA_FIELDS[type];
  const out: Record<string, unknown> = {};
  const before = errors.length;
  for (const key of Object.keys(data)) {
    if (!Object.hasOwn(specs, key)) errors.push({ field: `data.${key}`, message: 'unknown field' });
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    if (value === undefined || (value === null && !spec.required && spec.nullable)) {
      if (spec.required) errors.push({ field: `data.${name}`, message: `${name} is required` });
      // customer.created: null means absent; customer.updated: null clears the field.
      else if (value === null && type === 'customer.updated') out[name] = null;
      continue;
    }
    const read = spec.read(value, name);
    if ('error' in read) errors.push({ field: `data.${name}`, message: read.error });
    else out[name] = read.value;
  }
  if (type === 'customer.updated' && !CUSTOMER_UPDATE_FIELDS.some((f) => data[f] !== undefined)) {
    errors.push({ field: 'data', message: `data must contain at least one of ${CUSTOMER_UPDATE_FIELDS.join(', ')}` });
  }
  return errors.length === before ? out : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
