/**
 * Sends a signed billing event to a running service, as the billing system would.
 *
 *   npm run dev:event -- customer.created '{"customerId":"cus_1","name":"Thandi Nkosi","email":"thandi@example.com"}'
 *   npm run dev:event -- service.activated '{"customerId":"cus_1","serviceId":"svc_1","monthlyPrice":"799.00","billingDay":1}' --occurred-at 2026-01-12T08:00:00Z
 *
 * Options: --url (default http://localhost:$PORT), --id (default a new evt_ id), --occurred-at (default now).
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../platform/config/config.js';
import { SIGNATURE_HEADER, signPayload } from '../platform/http/webhook-signature.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const config = loadConfig(process.env, () => undefined);
const base = option('url') ?? `http://localhost:${config.port}`;
const id = option('id') ?? `evt_${randomUUID()}`;
const occurredAt = new Date(option('occurred-at') ?? Date.now()).toISOString();
const [type, dataJson] = args;
if (!type || !dataJson) {
  process.stderr.write("usage: npm run dev:event -- <type> '<data json>' [--occurred-at ISO] [--id ID] [--url URL]\n");
  process.exit(2);
}
const body = JSON.stringify({ id, type, occurredAt, data: JSON.parse(dataJson) as unknown });
const res = await fetch(`${base}/api/integrations/billing/events`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signPayload(config.billingWebhookSecret, body) },
  body,
});
process.stdout.write(`${res.status} ${await res.text()}\n`);
process.exit(res.ok ? 0 : 1);
