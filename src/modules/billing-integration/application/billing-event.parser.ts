import { isIP } from 'node:net';
import { isEmail } from 'class-validator';
import { Money, parseTimestamp, TIMESTAMP_RULE, ValidationFailed } from '#libs/ddd/index.js';
import {
  BILLING_EVENT_TYPES,
  isBillingEventType,
  REFERRAL_SOURCES,
  type BillingEvent,
  type BillingEventType,
} from '../domain/billing-event.js';

/**
 * Reads an inbound billing event (SPEC §3) from a parsed JSON body: the envelope, then the
 * `data` of its type. Every problem is reported at once as `400 VALIDATION_FAILED` with
 * `errors: [{ field, message }]` (`data.monthlyPrice`, …); unknown fields — in the envelope or
 * in `data` — and unknown types are rejected, so nothing is written for a bad event.
 *
 * The one definition of the shapes: the field specs below validate the request AND describe it in
 * OpenAPI (`billingEventOpenApiSchema`), so the two cannot drift apart. Validated by hand rather
 * than with class-validator DTOs because `data`'s shape depends on `type`.
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

/** A field of `data`: how to check it (an error message, or the value to keep), and how OpenAPI describes it. */
interface FieldSpec {
  required?: boolean;
  /** null accepted (and kept as null: it clears the field on customer.updated). */
  nullable?: boolean;
  read: Reader;
  /** What the field is, for readers of the API document. */
  description?: string;
  example?: unknown;
}

type Reader = ((value: unknown, name: string) => { error: string } | { value: unknown }) & {
  /** The OpenAPI (JSON Schema) of what this reader accepts. */
  schema: Record<string, unknown>;
};

function reader(
  schema: Record<string, unknown>,
  read: (value: unknown, name: string) => { error: string } | { value: unknown },
): Reader {
  return Object.assign(read, { schema });
}

const BILLING_ID = /^[A-Za-z0-9_-]{1,64}$/;

const billingId = reader({ type: 'string', pattern: BILLING_ID.source, minLength: 1, maxLength: 64 }, (v, name) =>
  typeof v === 'string' && BILLING_ID.test(v)
    ? { value: v }
    : { error: `${name} must be 1–64 characters of A-Z, a-z, 0-9, _ or -` },
);

const text = (max: number) =>
  reader({ type: 'string', minLength: 1, maxLength: max }, (v, name) => {
    if (typeof v !== 'string') return { error: `${name} must be a string` };
    const trimmed = v.trim();
    if (trimmed.length === 0) return { error: `${name} must not be empty` };
    if (trimmed.length > max) return { error: `${name} must be at most ${max} characters` };
    return { value: trimmed };
  });

const email = reader({ type: 'string', format: 'email', maxLength: 254 }, (v, name) => {
  if (typeof v !== 'string') return { error: `${name} must be a string` };
  const trimmed = v.trim();
  return trimmed.length <= 254 && isEmail(trimmed)
    ? { value: trimmed }
    : { error: `${name} must be a valid email address` };
});

/** A price: any amount a client may send (Money.tryFromInput: 0.00–100000.00), and more than zero. */
const money = reader(
  {
    type: 'string',
    pattern: '^\\d{1,6}(\\.\\d{1,2})?$',
    example: '799.00',
    description: `VAT-inclusive rand amount as a decimal string: ${Money.INPUT_RULE}, and more than 0.00`,
  },
  (v, name) => {
    const amount = Money.tryFromInput(v);
    if (!amount) return { error: `${name} must be ${Money.INPUT_RULE}` };
    return amount.compare(Money.ZERO) > 0 ? { value: amount } : { error: `${name} must be greater than 0` };
  },
);

const billingDay = reader({ type: 'integer', minimum: 1, maximum: 31, example: 1 }, (v, name) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 31
    ? { value: v }
    : { error: `${name} must be a whole number from 1 to 31` },
);

const referralSource = reader({ type: 'string', enum: [...REFERRAL_SOURCES] }, (v, name) =>
  typeof v === 'string' && (REFERRAL_SOURCES as readonly string[]).includes(v)
    ? { value: v }
    : { error: `${name} must be one of: ${REFERRAL_SOURCES.join(', ')}` },
);

const ipAddress = reader({ type: 'string', description: 'IPv4 or IPv6 address', example: '196.25.1.10' }, (v, name) =>
  typeof v === 'string' && isIP(v) !== 0 ? { value: v } : { error: `${name} must be an IPv4 or IPv6 address` },
);

const serviceOnly: Record<string, FieldSpec> = { serviceId: { required: true, read: billingId, example: 'svc_2001' } };
const invoice: Record<string, FieldSpec> = {
  customerId: { required: true, read: billingId, example: 'cus_1001' },
  invoiceId: { required: true, read: billingId, example: 'inv_3001' },
};

const DATA_FIELDS: Record<BillingEventType, Record<string, FieldSpec>> = {
  'customer.created': {
    customerId: { required: true, read: billingId, example: 'cus_1001' },
    name: { required: true, read: text(200), example: 'Thandi Nkosi' },
    email: { required: true, read: email, example: 'thandi@example.co.za' },
    phone: { nullable: true, read: text(64), example: '082 123 4567' },
    installationAddress: { nullable: true, read: text(500), example: '12 Main Rd, Sea Point, Cape Town' },
    referralCode: {
      nullable: true,
      read: text(64),
      example: 'CT-REF-7K3M9QXZ',
      description: 'An unknown code records nothing and is not an error',
    },
    referralSource: { nullable: true, read: referralSource },
    signupIp: { nullable: true, read: ipAddress },
    userAgent: { nullable: true, read: text(500) },
  },
  'customer.updated': {
    customerId: { required: true, read: billingId, example: 'cus_1001' },
    name: { read: text(200) },
    email: { read: email },
    phone: { nullable: true, read: text(64), description: 'null clears it' },
    installationAddress: { nullable: true, read: text(500), description: 'null clears it' },
  },
  'service.activated': {
    customerId: { required: true, read: billingId, example: 'cus_1001' },
    serviceId: { required: true, read: billingId, example: 'svc_2001' },
    monthlyPrice: { required: true, read: money },
    billingDay: { required: true, read: billingDay },
  },
  'service.price_changed': {
    serviceId: { required: true, read: billingId, example: 'svc_2001' },
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

/**
 * The request body as OpenAPI describes it, from the same field specs that validate it: one schema
 * per event type (`oneOf`, discriminated by `type`).
 */
export function billingEventOpenApiSchema(): Record<string, unknown> {
  const envelope = (type: BillingEventType) => {
    const fields = DATA_FIELDS[type];
    return {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'type', 'occurredAt', 'data'],
      properties: {
        id: {
          type: 'string',
          minLength: 1,
          maxLength: 128,
          example: 'evt_01HZY3',
          description: 'Unique event id: a repeated id is acknowledged and has no further effect',
        },
        type: { type: 'string', enum: [type] },
        occurredAt: {
          type: 'string',
          format: 'date-time',
          example: '2026-02-01T08:00:00.000Z',
          description: `When it happened in the billing system (the time the rules use): ${TIMESTAMP_RULE}`,
        },
        data: {
          type: 'object',
          additionalProperties: false,
          ...(type === 'customer.updated'
            ? { description: `customerId and at least one of ${CUSTOMER_UPDATE_FIELDS.join(', ')}` }
            : {}),
          required: Object.entries(fields)
            .filter(([, f]) => f.required)
            .map(([name]) => name),
          properties: Object.fromEntries(
            Object.entries(fields).map(([name, f]) => [
              name,
              {
                ...f.read.schema,
                ...(f.nullable ? { nullable: true } : {}),
                ...(f.example !== undefined ? { example: f.example } : {}),
                ...(f.description ? { description: f.description } : {}),
              },
            ]),
          ),
        },
      },
    };
  };
  return {
    oneOf: BILLING_EVENT_TYPES.map((type) => ({ title: type, ...envelope(type) })),
    discriminator: { propertyName: 'type' },
  };
}

export type { BillingEventType };
