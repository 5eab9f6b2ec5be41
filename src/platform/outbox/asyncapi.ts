import { eventCatalogue, type EventDefinition } from '#libs/ddd/index.js';
import { SIGNATURE_HEADER } from '../http/webhook-signature.js';

/**
 * The AsyncAPI 3 document of the outbound webhooks, generated from the event catalogue
 * (libs/ddd/events.ts and each context's domain/<context>.events.ts): one message per catalogue
 * entry, its `data` the entry's own schema, inside the envelope every delivery has.
 */
export function asyncApiDocument(): Record<string, unknown> {
  const catalogue = eventCatalogue();
  const messages = Object.fromEntries(catalogue.map((d) => [d.name, message(d)]));
  const refs = catalogue.map((d) => ({ $ref: `#/channels/outboundWebhook/messages/${d.name}` }));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'CircleTel Referral & Rewards — outbound events',
      version: '1.0.0',
      description:
        'Every domain fact other systems need, delivered at least once by HTTP POST to OUTBOUND_WEBHOOK_URL, ' +
        `signed with OUTBOUND_WEBHOOK_SECRET in the \`${SIGNATURE_HEADER}\` header ` +
        '(`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`). The `id` is stable across retries: ' +
        'de-duplicate by it. Failed deliveries retry with exponential backoff (about 1 s, doubling, capped at ten minutes). ' +
        'Any 2xx acknowledges an event.',
    },
    defaultContentType: 'application/json',
    servers: {
      receiver: {
        host: 'billing.example.co.za',
        protocol: 'https',
        description: 'The receiver named by OUTBOUND_WEBHOOK_URL (the billing system).',
      },
    },
    channels: {
      outboundWebhook: {
        address: '{OUTBOUND_WEBHOOK_URL}',
        description: 'One POST per event, JSON body, to the configured URL.',
        messages,
      },
    },
    operations: {
      deliverEvent: {
        action: 'send',
        channel: { $ref: '#/channels/outboundWebhook' },
        summary: 'Deliver one catalogue event',
        messages: refs,
      },
    },
  };
}

function message(d: EventDefinition): Record<string, unknown> {
  return {
    name: d.name,
    title: d.name,
    summary: d.summary,
    contentType: 'application/json',
    headers: {
      type: 'object',
      required: [SIGNATURE_HEADER],
      properties: {
        [SIGNATURE_HEADER]: { type: 'string', pattern: '^t=\\d+,v1=[0-9a-f]{64}$' },
        'Content-Type': { type: 'string', const: 'application/json' },
      },
    },
    payload: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'type', 'occurredAt', 'data'],
      properties: {
        id: { type: 'string', format: 'uuid', description: 'Stable across retries' },
        type: { type: 'string', const: d.name },
        occurredAt: { type: 'string', format: 'date-time', description: 'Business time of the fact' },
        data: d.schema,
      },
    },
    'x-version': d.version,
  };
}
