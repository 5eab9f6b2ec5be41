/**
 * Sends a signed billing event to a running service, as the billing system would, and prints
 * the answer (status line on stderr, body on stdout, so `| jq` works).
 *
 *   npm run -s dev:event -- customer.created '{"customerId":"cus_1","name":"Thandi Nkosi","email":"thandi@example.com"}'
 *   npm run -s dev:event -- service.activated '{"customerId":"cus_1","serviceId":"svc_1","monthlyPrice":"799.00","billingDay":1}' --occurred-at 2026-01-12T08:00:00Z
 *
 * Options: --url (default http://localhost:$PORT), --id (default a new evt_ id), --occurred-at
 * (ISO timestamp, default now: the rules run on business time). BILLING_WEBHOOK_SECRET and PORT
 * come from the environment or `.env`, like the service's. Exit status: 0 a 2xx answer, 1
 * another answer or no answer, 64 bad arguments.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../platform/config/config.js';
import { loadDotEnv } from '../platform/config/env-file.js';
import { SIGNATURE_HEADER, signPayload } from '../platform/http/webhook-signature.js';

const USAGE =
  "usage: npm run -s dev:event -- <type> '<data json>' [--occurred-at ISO] [--id ID] [--url URL]\n" +
  '       types: customer.created customer.updated service.activated service.price_changed service.suspended\n' +
  '              service.cancelled service.reactivated invoice.overdue invoice.paid\n';

function fail(message: string, code = 64): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    options: {
      url: { type: 'string' },
      id: { type: 'string' },
      'occurred-at': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
} catch (err) {
  fail((err as Error).message);
}
if (parsed.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [type, dataJson, ...extra] = parsed.positionals;
if (!type || !dataJson) fail('an event type and its data (JSON) are needed');
if (extra.length) fail(`unexpected argument ${JSON.stringify(extra[0])}`);
let data: unknown;
try {
  data = JSON.parse(dataJson);
} catch (err) {
  fail(`the data is not JSON: ${(err as Error).message}`);
}
const occurredAt = new Date(parsed.values['occurred-at'] ?? Date.now());
if (Number.isNaN(occurredAt.getTime()))
  fail(`--occurred-at must be an ISO timestamp (got ${parsed.values['occurred-at']})`);

loadDotEnv();
let config;
try {
  config = loadConfig(process.env, () => undefined);
} catch (err) {
  if (err instanceof ConfigError) fail(`${err.message}\nSee .env.example for every variable.`, 78);
  throw err;
}
const base = parsed.values.url ?? `http://localhost:${config.port}`;
const body = JSON.stringify({
  id: parsed.values.id ?? `evt_${randomUUID()}`,
  type,
  occurredAt: occurredAt.toISOString(),
  data,
});
let res: Response;
try {
  res = await fetch(`${base}/api/integrations/billing/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signPayload(config.billingWebhookSecret, body) },
    body,
  });
} catch (err) {
  const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
  process.stderr.write(`no answer from ${base} (${cause}): is the service running (npm start)?\n`);
  process.exit(1);
}
process.stderr.write(`${res.status} ${res.statusText}\n`);
process.stdout.write(`${await res.text()}\n`);
process.exit(res.ok ? 0 : 1);
