import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency.js';

/**
 * Every tag an operation may use, with the description client developers see in Swagger UI.
 * An operation with a tag not listed here fails test/platform/openapi.test.ts.
 */
export const API_TAGS: { name: string; description: string }[] = [
  {
    name: 'Customer app',
    description:
      "What the CircleTel customer app shows a signed-in customer: their referral code and link, their referrals and progress, their free months. JWT with `role: customer`; the customer is the token's `sub`.",
  },
  {
    name: 'Public',
    description:
      'No credential: the referral-code check a signup page calls to greet the friend by the referrer’s first name. Rate-limited per client IP.',
  },
  {
    name: 'Billing integration',
    description:
      'Events from the billing system (customers, services, invoices), signed with HMAC-SHA256 in `CircleTel-Signature`. Delivered at least once and possibly out of order: repeated ids are acknowledged and ignored.',
  },
  {
    name: 'Notifications',
    description:
      'The one-click unsubscribe link every customer e-mail carries (RFC 8058, `List-Unsubscribe` and `List-Unsubscribe-Post`): no session, a signed token in the URL; the POST takes the form bodies mailbox providers send.',
  },
  {
    name: 'Admin: customers',
    description:
      "The admin portal's view of one customer: referrals with fraud findings and stats, free months granted or revoked by hand, credit notes and the audit log. JWT with `role: admin` and the permission each operation names.",
  },
  {
    name: 'Admin: fraud review',
    description:
      'The queue of referrals flagged by the fraud rules, oldest first, and the approve / reject decision (audited).',
  },
  {
    name: 'Admin: reconciliation',
    description:
      'The nightly reconciliation (expire, qualify, earn, apply free months, expire rewards): run it by hand for a business date, or read the records of past runs.',
  },
  {
    name: 'Admin: finance',
    description:
      'What finance reconciles: the programme report (referrals, rewards and credits per month) and the register of every credit note, as JSON pages or a streamed CSV whose totals match the register. JWT with `role: admin` and `referrals:view`.',
  },
  {
    name: 'Admin: console',
    description:
      'What the admin console needs before sign-in: how to sign in (OpenID Connect, or the development sign-in).',
  },
  {
    name: 'Widget',
    description:
      'The embeddable customer widget `<circletel-referrals>` (an ES module the service serves itself), and its demo page outside production.',
  },
  {
    name: 'Development',
    description: 'Only outside production: a sign-in that mints short-lived development tokens for the demo pages.',
  },
];

const DESCRIPTION = `Referral codes, attribution of signups, fraud review, rewards and free-month credit notes for CircleTel.

**Getting a token.** Customer-app and admin-portal operations take a JWT: \`Authorization: Bearer <token>\`,
signed HS256 with the service's \`JWT_SECRET\` (or RS256, verified with \`JWT_PUBLIC_KEY\`), with the claims
\`sub\` (the customer id, or the admin's user id), \`role\` (\`customer\` or \`admin\`), for admins
\`permissions\` (any of \`referrals:view\`, \`referrals:manage\`, \`reconciliation:run\`), \`exp\`, and \`iss\` / \`aud\`
when the service sets \`JWT_ISSUER\` / \`JWT_AUDIENCE\`. In production the customer app and the admin portal get
them from CircleTel's identity provider. On a development service, mint one in the project folder:

    npm run -s dev:token -- customer cus_thandi
    npm run -s dev:token -- admin admin-1 referrals:view,referrals:manage,reconciliation:run

then press **Authorize** and paste it. Each operation's description says which role and permission it needs.

**Errors** are RFC 9457 \`application/problem+json\` with a stable upper-case \`code\`; bad input is 400
\`VALIDATION_FAILED\` with \`errors: [{ field, message }]\`, and nothing is half-written.

**Admin writes** accept an \`Idempotency-Key\` header: repeating a request with the same key returns the first
response without doing it again.

**Billing webhooks** are not called with a token but signed: \`CircleTel-Signature: t=<unix seconds>,v1=<hex
HMAC-SHA256(BILLING_WEBHOOK_SECRET, "<t>.<raw body>")>\`; \`npm run -s dev:event\` sends signed test events.`;

/** The OpenAPI document served at /docs and /docs-json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('CircleTel Referral & Rewards')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'CircleTel-Signature' }, 'webhook-signature');
  for (const tag of API_TAGS) builder.addTag(tag.name, tag.description);
  return describeAccess(SwaggerModule.createDocument(app, builder.build()));
}

interface Parameter {
  name: string;
  in: string;
  [key: string]: unknown;
}

interface Operation {
  description?: string;
  parameters?: Parameter[];
  responses: Record<string, { description?: string; [key: string]: unknown }>;
  security?: Record<string, string[]>[];
  'x-required-role'?: 'customer' | 'admin';
  'x-required-permissions'?: string[];
}

const ACCESS_MARK = '**Access:**';

/**
 * What the guard enforces, written into each operation's description (Swagger UI does not show
 * the `x-required-*` extensions), and the `Idempotency-Key` header on every admin write (the
 * idempotency interceptor is global). Both come from the same metadata the guard and the
 * interceptor read (@CustomerOnly(), @Permissions()), so the documentation cannot drift.
 */
export function describeAccess(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item as Record<string, unknown>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const op = value as Operation;
      const access = accessText(op, path);
      if (access && !op.description?.includes(ACCESS_MARK)) {
        op.description = op.description ? `${op.description}\n\n${access}` : access;
      }
      if (op['x-required-role'] === 'admin' && method !== 'get') documentIdempotencyKey(op);
    }
  }
  return document;
}

function accessText(op: Operation, path: string): string | undefined {
  const role = op['x-required-role'];
  if (role === 'customer') {
    return `${ACCESS_MARK} customer app — a JWT with \`role: customer\`; acts on the customer in its \`sub\`.`;
  }
  if (role === 'admin') {
    const perms = op['x-required-permissions'] ?? [];
    const which = perms.length
      ? ` and the permission${perms.length > 1 ? 's' : ''} ${perms.map((p) => `\`${p}\``).join(', ')}`
      : '';
    return `${ACCESS_MARK} admin portal — a JWT with \`role: admin\`${which}.`;
  }
  if (op.security?.some((s) => 'webhook-signature' in s)) {
    return `${ACCESS_MARK} the billing system — no token; the body is signed in \`CircleTel-Signature\`.`;
  }
  if (path.startsWith('/api/')) return `${ACCESS_MARK} public — no token.`;
  return undefined;
}

function documentIdempotencyKey(op: Operation): void {
  op.parameters ??= [];
  if (!op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === IDEMPOTENCY_KEY_HEADER.toLowerCase())) {
    op.parameters.push({
      name: IDEMPOTENCY_KEY_HEADER,
      in: 'header',
      required: false,
      description:
        'Optional, 1–255 printable characters, unique per change (e.g. a UUID). Repeating a request with the same key ' +
        'and body returns the first response (header `Idempotent-Replayed: true`) without doing it again; the same ' +
        'key with another body is 422 IDEMPOTENCY_KEY_REUSED; while the first is still running, 409 ' +
        'IDEMPOTENCY_KEY_IN_PROGRESS.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
      example: '0f7c2b9e-4d1a-4c3e-9a57-3b8e2f6d1c40',
    });
  }
  addResponse(op, '422', 'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used for a different request');
  addResponse(op, '409', 'IDEMPOTENCY_KEY_IN_PROGRESS: the first request with this Idempotency-Key is still running');
}

function addResponse(op: Operation, status: string, description: string): void {
  const code = description.split(':')[0]!;
  const existing = op.responses[status];
  if (!existing) {
    op.responses[status] = {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } },
    };
  } else if (!existing.description?.includes(code)) {
    existing.description = `${existing.description ?? ''}; ${description}`;
  }
}
