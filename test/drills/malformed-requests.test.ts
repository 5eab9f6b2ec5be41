import type http from 'node:http';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { ProblemDetailsFilter } from '../../src/platform/http/problem-details.filter.js';
import { FORM_BODY_PATHS, FORM_MEDIA_TYPES } from '../../src/platform/http/json-only.js';
import { signPayload } from '../../src/platform/http/webhook-signature.js';
import { adminToken, bearer, customerToken, TEST_JWT_SECRET } from '../support/auth.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  BILLING_EVENTS_PATH,
  customerCreated,
  sendBillingEvent,
  serviceActivated,
  TEST_BILLING_SECRET,
  uniqueId,
} from '../support/billing.js';
import {
  anyValue,
  enc,
  invalidJsonText,
  type JsonSchema,
  type Known,
  pathSegment,
  queryValue,
  validObject,
  violatingObject,
  weirdString,
  withLoneSurrogate,
} from '../support/drill-fuzz.js';
import { mapConcurrently, rawClient, type RawClient, type RawResponse } from '../support/drill-http.js';
import type { Permission } from '../../src/platform/auth/principal.js';

/**
 * Failure drill (issue 5): 10 000 randomised malformed requests across every endpoint listed in
 * /docs-json. Every request is built to be refused — a body that breaks its schema in at least
 * one way, a path or query that is garbage, a bad token, a wrong method — or to be a read.
 * Asserted: no 5xx; every 4xx is application/problem+json with a `code`; nothing hangs; and the
 * database is exactly as before (every table's rows, not only their count).
 *
 * Seed: DRILL_SEED=<n> replays a run (the seed is printed in every failure message).
 */

const RUNS = Number(process.env.DRILL_RUNS ?? 10_000);
const SEED = Number(process.env.DRILL_SEED ?? Date.now() % 2 ** 31);
const IN_FLIGHT = 20;
const ALL: Permission[] = ['referrals:view', 'referrals:manage', 'reconciliation:run'];
/**
 * Tables a refused request may legitimately change, left out of the "nothing written" check:
 * - rate_limit_buckets counts requests, refused ones included (that is its job: the public
 *   code lookup is limited per IP before anything else runs).
 * idempotency_keys is NOT excluded: a claim made for a request that is then refused is
 * released, so the table must end exactly as it started.
 */
const CHANGES_ON_REFUSED_REQUESTS = new Set(['rate_limit_buckets']);

interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  role?: 'customer' | 'admin';
  params: Param[];
  body?: JsonSchema;
}
interface Sample {
  /** The documented operation it aims at (`POST /api/...`), or `other`. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Text, or raw bytes (a body that is not valid UTF-8). */
  body?: string | Buffer;
  /** Sign the body as the billing system would (at send time, with the app's clock). */
  sign?: boolean;
  /** The one status this request must get, when its class decides it (415, 431). */
  expect?: number;
}

/** A request body: its text and content type, and the status its class must get, if any. */
interface Body {
  text?: string | Buffer;
  contentType?: string;
  expect?: number;
}

let t: TestApp;
let client: RawClient;
const operations: Operation[] = [];
let components: Record<string, JsonSchema> = {};
let known: Known;
const seededEventBodies: string[] = [];
let validCursor = 'AAAA';

beforeAll(async () => {
  t = await startTestApp();
  if (process.env.DRILL_LOG) {
    // Diagnostics: print what turned into a 500 (the app's own logger is silent in tests).
    const original = ProblemDetailsFilter.prototype.toProblem;
    ProblemDetailsFilter.prototype.toProblem = function (this: ProblemDetailsFilter, exception, req) {
      const out = original.call(this, exception, req);
      if (out.status >= 500) console.error(req.method, req.url.slice(0, 200), exception);
      return out;
    };
  }
  await t.app.listen(0, '127.0.0.1');
  client = rawClient(t.server as unknown as http.Server, { maxSockets: IN_FLIGHT, deadlineMs: 30_000 });

  const doc = (await request(t.server).get('/docs-json').expect(200)).body as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  components = doc.components.schemas;
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)?.content;
      operations.push({
        method: method.toUpperCase(),
        path,
        role: op['x-required-role'] as Operation['role'],
        params: (op.parameters as Param[] | undefined) ?? [],
        body: content?.['application/json']?.schema,
      });
    }
  }

  known = await seed();
}, 120_000);

afterAll(async () => {
  client?.close();
  await t?.close();
});

/** Real rows for the generators to aim at: a referrer with a code, referrals (one flagged), a reward, a run. */
async function seed(): Promise<Known> {
  const at = { at: t.clock.now() };
  const send = async (event: Parameters<typeof sendBillingEvent>[1]) => {
    const id = uniqueId('evt_seed');
    const res = await sendBillingEvent(t.server, { ...event, id }, at);
    expect([res.status, res.body]).toEqual([200, expect.objectContaining({ received: true })]);
    seededEventBodies.push(JSON.stringify({ id, ...event }));
  };
  const referrer = uniqueId('cus_ref');
  await send(customerCreated({ customerId: referrer, email: `${referrer}@example.com` }, '2026-04-01T08:00:00.000Z'));
  await send(serviceActivated(referrer, {}, '2026-04-01T09:00:00.000Z'));
  const codeRes = await request(t.server)
    .post('/api/customer/referrals')
    .set(bearer(customerToken(referrer)))
    .expect(201);
  const code = codeRes.body.referralCode as string;

  const referred = uniqueId('cus_new');
  await send(
    customerCreated(
      {
        customerId: referred,
        name: 'Sipho Dlamini',
        email: `${referred}@example.org`,
        referralCode: code,
        referralSource: 'url_param',
      },
      '2026-04-10T08:00:00.000Z',
    ),
  );
  await send(serviceActivated(referred, {}, '2026-04-12T08:00:00.000Z'));
  const flagged = uniqueId('cus_flag');
  await send(
    customerCreated(
      { customerId: flagged, name: 'Lerato M', email: `${flagged}@mailinator.com`, referralCode: code },
      '2026-06-10T08:00:00.000Z',
    ),
  );

  const admin = bearer(adminToken(ALL));
  await request(t.server).post('/api/admin/reconciliation/runs').set(admin).send({ asOf: '2026-06-14' }).expect(201);
  await request(t.server)
    .post(`/api/admin/customers/${referrer}/referrals/grant`)
    .set(admin)
    .send({ reason: 'Seed: goodwill grant' })
    .expect(201);
  const page = await request(t.server).get('/api/admin/reconciliation/runs?limit=1').set(admin).expect(200);
  if (typeof page.body.nextCursor === 'string') validCursor = page.body.nextCursor;

  const ids = async (sql: string) => (await t.sql.query<{ id: string }>(sql)).rows.map((r) => r.id);
  const uuids = [
    ...(await ids('SELECT id::text AS id FROM referrals')),
    ...(await ids('SELECT id::text AS id FROM rewards')),
    ...(await ids('SELECT id::text AS id FROM reconciliation_runs')),
  ];
  expect(uuids.length).toBeGreaterThanOrEqual(4);
  expect(await ids('SELECT status AS id FROM referrals ORDER BY status')).toContain('flagged');
  return {
    customerIds: [referrer, referred, flagged],
    uuids: [...uuids, ...uuids.map((u) => u.toUpperCase())],
    codes: [code, ` ${code.toLowerCase()} `, 'CT-REF-ZZZZZZZZ', 'CT-REF-IIIIIIII'],
  };
}

/** Every table's row count and a digest of all its rows. */
async function snapshot(): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = (
    await t.sql.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).rows.map((r) => r.name);
  const out: Record<string, { rows: number; digest: string }> = {};
  for (const name of tables) {
    if (CHANGES_ON_REFUSED_REQUESTS.has(name)) continue;
    const q = `SELECT count(*)::int AS rows, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS digest FROM "${name}" x`;
    out[name] = (await t.sql.query<{ rows: number; digest: string }>(q)).rows[0]!;
  }
  return out;
}

// ───────────────────────── generators ─────────────────────────

function tokens() {
  const sign = (payload: object, opts: jwt.SignOptions = { expiresIn: '1h' }, secret = TEST_JWT_SECRET) =>
    jwt.sign(payload, secret, { algorithm: 'HS256', ...opts });
  const weirdSubs = ['\u0000', 'x'.repeat(600), "' OR 1=1 --", '🦄', 'cus_unknown_drill', '../admin', ''];
  return {
    admin: ['admin-1', 'admin-\u0000', 'a'.repeat(600), '🦄 admin'].map((sub) => `Bearer ${adminToken(ALL, sub)}`),
    // Never the referred customers: they have no code yet, and POST /api/customer/referrals would create one.
    customer: [known.customerIds[0]!, ...weirdSubs].map((sub) => `Bearer ${customerToken(sub)}`),
    bad: [
      undefined,
      'Bearer',
      'Bearer ',
      'Bearer not.a.jwt',
      'Basic YWRtaW46YWRtaW4=',
      `Bearer ${sign({ sub: 'cus_1', role: 'customer' }, { expiresIn: -10 })}`,
      `Bearer ${sign({ sub: 'cus_1', role: 'admin', permissions: 'all' })}`,
      `Bearer ${sign({ sub: 'cus_1', role: 'superuser' })}`,
      `Bearer ${sign({ sub: 'cus_1', role: 'customer' }, { expiresIn: '1h' }, 'wrong-secret-0123456789abcdef')}`,
      `Bearer ${jwt.sign({ sub: 'x', role: 'admin', permissions: ALL, exp: 4102444800 }, '', { algorithm: 'none' })}`,
      `Bearer ${adminToken([])}`,
      `Bearer ${customerToken(known.customerIds[0]!)}`,
      `Bearer ${adminToken(ALL)}`,
      `Bearer ${'a'.repeat(4000)}`,
    ],
  };
}

function authFor(op: Operation | undefined, tk: ReturnType<typeof tokens>): fc.Arbitrary<string | undefined> {
  const good = op?.role === 'admin' ? tk.admin : op?.role === 'customer' ? tk.customer : [...tk.admin, ...tk.customer];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...good), weight: 4 },
    { arbitrary: fc.constantFrom(...tk.bad), weight: 1 },
  );
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
  'APPLICATION/JSON',
];
/** Not JSON: every request with such a body is 415 UNSUPPORTED_MEDIA_TYPE, whatever the route (SPEC §1). */
const OTHER_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'multipart/form-data; boundary=drill',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  'application/octet-stream',
  'application/jsonx',
  'text/json',
];

/** Any text sent with a content type that is not JSON (or none): 415, before anything reads it. */
function notJsonBody(text: fc.Arbitrary<string>): fc.Arbitrary<Body> {
  return fc
    .tuple(text, fc.constantFrom<string | undefined>(...OTHER_TYPES, undefined))
    .map(([t, contentType]) => ({ text: t || '{}', contentType, expect: 415 }));
}

/** A body for `op` that cannot be a valid request, with a content type. */
function bodyFor(op: Operation): fc.Arbitrary<Body> {
  const schemas = bodySchemas(op.body!);
  const emptyIsInvalid = schemas.every((s) => (s.required ?? []).length > 0);
  const violating = fc.constantFrom(...schemas).chain((s) => violatingObject(s, components, known));
  const valid = fc.constantFrom(...schemas).chain((s) => validObject(s, components, known));
  const json = (v: fc.Arbitrary<unknown>) => v.map((x) => JSON.stringify(x) ?? 'null');
  const kinds: fc.WeightedArbitrary<Body>[] = [
    {
      arbitrary: fc
        .tuple(json(violating), fc.constantFrom(...JSON_TYPES))
        .map(([text, contentType]) => ({ text, contentType })),
      weight: 12,
    },
    {
      // Valid in every way but one lone surrogate in one string (value or key, any depth): only
      // the edge's Unicode check stands between it and the database (it was a 500, or stored as
      // U+FFFD). Sent as a JSON escape, or as raw bytes that are not UTF-8 (read as U+FFFD before).
      arbitrary: fc
        .tuple(json(withLoneSurrogate(valid)), fc.constantFrom(...JSON_TYPES), fc.boolean())
        .map(([text, contentType, asBytes]) => ({ text: asBytes ? surrogateEscapesAsBytes(text) : text, contentType })),
      weight: 6,
    },
    {
      arbitrary: fc
        .tuple(
          json(
            fc.oneof(
              fc.array(anyValue, { maxLength: 3 }),
              fc.array(violating, { minLength: 1, maxLength: 2 }),
              weirdString,
              fc.integer(),
              fc.constant(null),
              fc.constant(true),
            ),
          ),
          fc.constantFrom(...JSON_TYPES),
        )
        .map(([text, contentType]) => ({ text, contentType })),
      weight: 3,
    },
    { arbitrary: invalidJsonText.map((text) => ({ text, contentType: 'application/json' })), weight: 3 },
    // Over the 256 kB body limit.
    {
      arbitrary: fc.constant({
        text: JSON.stringify({ reason: 'r'.repeat(300_000) }),
        contentType: 'application/json',
      }),
      weight: 1,
    },
    // A body, even a valid one, that is not sent as JSON.
    { arbitrary: notJsonBody(fc.oneof(json(valid), json(violating))), weight: 3 },
    {
      // Form-encoded, with prototype-pollution keys a form parser would have read.
      arbitrary: violating.map((o) => ({
        text:
          new URLSearchParams(
            Object.entries(o).map(([k, v]): [string, string] => [
              k,
              typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
            ]),
          ).toString() + '&drill_extra=1&__proto__[polluted]=1&constructor[prototype][polluted]=1',
        contentType: 'application/x-www-form-urlencoded',
        expect: 415,
      })),
      weight: 1,
    },
  ];
  if (emptyIsInvalid) {
    // Without a JSON body the request has no (or an empty) body, which these routes refuse.
    kinds.push({
      arbitrary: fc.constantFrom<Body>({}, { text: '', contentType: 'application/json' }, { text: '' }),
      weight: 1,
    });
  }
  return fc.oneof(...kinds);
}

/** JSON text with each `\\udXXX` escape written as the three raw bytes of that code unit: invalid UTF-8. */
function surrogateEscapesAsBytes(text: string): Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of text.matchAll(/\\u(d[89a-f][0-9a-f]{2})/gi)) {
    const u = parseInt(m[1]!, 16);
    parts.push(
      Buffer.from(text.slice(last, m.index)),
      Buffer.from([0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]),
    );
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(text.slice(last)));
  return Buffer.concat(parts);
}

/** The body schema, or each of its `oneOf` alternatives (the billing events). */
function bodySchemas(body: JsonSchema): JsonSchema[] {
  const resolve = (s: JsonSchema) => (s.$ref ? components[s.$ref.split('/').pop()!]! : s);
  const root = resolve(body);
  return root.oneOf ? root.oneOf.map(resolve) : [root];
}

function validPathValue(p: Param): fc.Arbitrary<string> {
  if (p.name === 'code') return fc.constantFrom(...known.codes);
  if (p.schema?.format === 'uuid') return fc.oneof(fc.constantFrom(...known.uuids), fc.uuid());
  return fc.constantFrom(...known.customerIds, 'cus_unknown_drill');
}

function validQueryValue(p: Param): fc.Arbitrary<string> {
  if (p.name === 'limit') return fc.constantFrom('1', '20', '100');
  if (p.name === 'cursor') return fc.constantFrom(validCursor);
  if (p.schema?.enum) return fc.constantFrom(...(p.schema.enum as string[]));
  return fc.constantFrom('Sipho', 'a', 'example.org');
}

const RAW_QUERY_PAIRS = [
  'limit[]=1',
  'limit[a]=1',
  'limit=1&limit=2',
  'cursor[$ne]=x',
  'cursor=1&cursor=2',
  '__proto__[polluted]=1',
  'constructor[prototype][polluted]=1',
  'status[]=pending',
  'q[0]=a',
  'q=%00',
  'q=%25',
  'q=%',
  'cursor=%zz',
  'limit=%00',
  '=x',
  '&&&',
  'drill_unknown=1',
  // Percent-encoded bytes that are not UTF-8 (a lone surrogate's encoding, a cut sequence): invalid Unicode.
  'q=%ED%A0%80',
  'status=%FF',
  'q=a%C3',
  'cursor=%ED%B0%80',
  'limit=1%ED%A0%80',
];

function queryFor(op: Operation | undefined): fc.Arbitrary<string> {
  const documented = op?.params.filter((p) => p.in === 'query') ?? [];
  const pairs: fc.Arbitrary<string>[] = [fc.constantFrom(...RAW_QUERY_PAIRS)];
  if (documented.length) {
    pairs.push(
      fc
        .constantFrom(...documented)
        .chain((p) => queryValue(p.schema, validQueryValue(p)).map((v) => `${enc(p.name)}=${enc(v)}`)),
      fc
        .constantFrom(...documented)
        .chain((p) => queryValue(p.schema, validQueryValue(p)).map((v) => `${enc(p.name)}=${enc(v)}`)),
    );
  }
  return fc.array(fc.oneof(...pairs), { maxLength: 4 }).map((ps) => (ps.length ? `?${ps.join('&')}` : ''));
}

const commonHeaders = fc.record(
  {
    'X-Forwarded-For': fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('not-an-ip', '1.2.3.4, 5.6.7.8', '')),
    'X-Request-Id': fc.oneof(
      fc.constantFrom('drill', '../../x', 'a'.repeat(300)),
      fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
    ),
    Accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', ''),
  },
  { requiredKeys: [] },
);

const idempotencyKey = fc.oneof(
  fc.uuid().map((u) => `drill-${u}`),
  fc.constantFrom(
    'drill-shared-key',
    'x'.repeat(300),
    '',
    ' ',
    'key with spaces',
    'ключ'.replace(/[^\x20-\x7e]/g, '?'),
  ),
);

function operationRequest(op: Operation, tk: ReturnType<typeof tokens>): fc.Arbitrary<Sample> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const path = fc
    .tuple(...pathParams.map((p) => pathSegment(validPathValue(p)).map((v) => [p.name, v] as const)))
    .map((pairs) => pairs.reduce((acc, [name, v]) => acc.replace(`{${name}}`, v), op.path));
  const isBilling = op.path === BILLING_EVENTS_PATH;
  const body: fc.Arbitrary<Body | undefined> = op.body
    ? bodyFor(op)
    : fc.option(
        fc.oneof(
          {
            arbitrary: fc
              .tuple(json(anyValue), fc.constantFrom(...JSON_TYPES))
              .map(([text, contentType]): Body => ({ text, contentType })),
            weight: 3,
          },
          { arbitrary: notJsonBody(json(anyValue)), weight: 1 },
        ),
        { nil: undefined },
      );
  return fc
    .record({
      path,
      query: queryFor(op),
      auth: authFor(op, tk),
      body,
      extra: commonHeaders,
      idem:
        op.role === 'admin' && op.method !== 'GET'
          ? fc.option(idempotencyKey, { nil: undefined })
          : fc.constant(undefined),
      signature: isBilling
        ? fc.oneof(
            { arbitrary: fc.constant('sign' as const), weight: 8 },
            {
              arbitrary: fc.constantFrom(undefined, 't=1,v1=00', 'garbage', 't=abc,v1=', `t=${'9'.repeat(20)},v1=ab`),
              weight: 1,
            },
          )
        : fc.constant(undefined),
    })
    .map(({ path, query, auth, body, extra, idem, signature }) => {
      const headers: Record<string, string> = { ...extra };
      if (auth !== undefined && !isBilling) headers.Authorization = auth;
      if (body?.contentType !== undefined) headers['Content-Type'] = body.contentType;
      if (idem !== undefined) headers['Idempotency-Key'] = idem;
      if (signature !== undefined && signature !== 'sign') headers['CircleTel-Signature'] = signature;
      return {
        label: `${op.method} ${op.path}`,
        method: op.method,
        path: path + query,
        headers,
        body: body?.text,
        sign: signature === 'sign',
        // SPEC §15's one exception: the one-click unsubscribe POST takes form bodies (json-only.ts).
        expect: formBodyAccepted(op, body?.contentType) ? undefined : body?.expect,
      };
    });
}

/**
 * A request to any documented operation whose header block is over Node's limit (16 KiB): 431
 * problem+json from the HTTP parser, before any route (it was an empty 431). One big header or
 * many small ones; sizes just over the limit, so the server has read everything when it answers.
 */
function oversizedHeadersRequest(tk: ReturnType<typeof tokens>): fc.Arbitrary<Sample> {
  return fc
    .record({
      op: fc.constantFrom(...operations),
      size: fc.integer({ min: 17_000, max: 30_000 }),
      many: fc.boolean(),
      auth: authFor(undefined, tk),
    })
    .map(({ op, size, many, auth }) => {
      const headers: Record<string, string> = auth ? { Authorization: auth } : {};
      if (many) for (let i = 0; i < Math.ceil(size / 500); i++) headers[`X-Drill-${i}`] = 'h'.repeat(490);
      else headers['X-Drill-Padding'] = 'h'.repeat(size);
      return {
        label: 'other',
        method: op.method,
        path: op.path.replace(/\{[^}]+\}/g, known.customerIds[0]!),
        headers,
        expect: 431,
      };
    });
}

const json = (v: fc.Arbitrary<unknown>) => v.map((x) => JSON.stringify(x) ?? 'null');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** A documented path with a method it does not have. */
function wrongMethodRequest(path: string, tk: ReturnType<typeof tokens>): fc.Arbitrary<Sample> {
  const documented = new Set(operations.filter((o) => o.path === path).map((o) => o.method));
  const op = operations.find((o) => o.path === path);
  return fc
    .record({
      method: fc.constantFrom(...METHODS.filter((m) => !documented.has(m) && !(m === 'HEAD' && documented.has('GET')))),
      auth: authFor(op, tk),
      body: fc.option(json(anyValue), { nil: undefined }),
    })
    .map(({ method, auth, body }) => ({
      label: 'other',
      method,
      path: path.replace(/\{[^}]+\}/g, known.customerIds[0]!),
      headers: {
        ...(auth ? { Authorization: auth } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body,
    }));
}

const UNKNOWN_PATHS = [
  '/',
  '/api',
  '/api/',
  '/api/admin',
  '/api/admin/customer',
  '/api/admin/customers/{id}',
  '/api/admin/customers/{id}/referrals/{id}',
  '/api/customer/referrals/{id}',
  '/api/integrations/billing',
  '/api/referral-codes',
  '/api//customer//referrals',
  '/api/customer/referral-balance/../referrals',
  '/%2e%2e/api/customer/referrals',
  '/api/admin/reconciliation/runs/{id}/cancel',
  '/docs-json/../api/admin/referrals/flagged',
  '/api/%00',
  '/api/customer/referrals%00',
];

function unknownPathRequest(tk: ReturnType<typeof tokens>): fc.Arbitrary<Sample> {
  return fc
    .record({
      path: fc.constantFrom(...UNKNOWN_PATHS),
      id: pathSegment(fc.constantFrom(...known.customerIds, ...known.uuids)),
      method: fc.constantFrom(...METHODS),
      auth: authFor(undefined, tk),
      body: fc.option(json(anyValue), { nil: undefined }),
    })
    .map(({ path, id, method, auth, body }) => ({
      label: 'other',
      method,
      path: path.replace(/\{id\}/g, id),
      headers: {
        ...(auth ? { Authorization: auth } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body,
    }));
}

/** A billing event we already processed, sent again exactly: acknowledged as a duplicate, no effect. */
function replayRequest(): fc.Arbitrary<Sample> {
  return fc.constantFrom(...seededEventBodies).map((body) => ({
    label: `POST ${BILLING_EVENTS_PATH}`,
    method: 'POST',
    path: BILLING_EVENTS_PATH,
    headers: { 'Content-Type': 'application/json' },
    body,
    sign: true,
  }));
}

function requests(): fc.Arbitrary<Sample> {
  const tk = tokens();
  const paths = [...new Set(operations.map((o) => o.path))];
  return fc.oneof(
    ...operations.map((op) => ({ arbitrary: operationRequest(op, tk), weight: 8 })),
    { arbitrary: fc.constantFrom(...paths).chain((p) => wrongMethodRequest(p, tk)), weight: 6 },
    { arbitrary: unknownPathRequest(tk), weight: 4 },
    { arbitrary: replayRequest(), weight: 1 },
    { arbitrary: oversizedHeadersRequest(tk), weight: 2 },
  );
}

// ───────────────────────── the drill ─────────────────────────

function formBodyAccepted(op: Operation, contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]!.trim().toLowerCase();
  return op.method === 'POST' && FORM_BODY_PATHS.includes(op.path) && FORM_MEDIA_TYPES.includes(type ?? '');
}

interface Finding {
  problem: string;
  sample: Sample;
  res?: RawResponse;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function check(sample: Sample, res: RawResponse): string | undefined {
  if (res.status >= 500) return `status ${res.status}`;
  if (sample.expect !== undefined && res.status !== sample.expect) return `status ${res.status}, not ${sample.expect}`;
  if (res.status < 400) {
    if (SAFE.has(sample.method) || res.status >= 300) return undefined;
    // A write accepted: only the no-op ones are expected (a known event again, an existing code).
    if (sample.label === `POST ${BILLING_EVENTS_PATH}` && /"duplicate":true/.test(res.text)) return undefined;
    if (sample.label === 'POST /api/customer/referrals' && res.status === 200) return undefined;
    return `write accepted with ${res.status}`;
  }
  const type = String(res.headers['content-type'] ?? '');
  if (!/^application\/problem\+json/.test(type)) return `4xx with content-type "${type}"`;
  if (sample.method === 'HEAD') return undefined;
  try {
    const body = JSON.parse(res.text) as { code?: unknown; status?: unknown };
    if (typeof body.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(body.code)) return '4xx problem without a code';
    if (body.status !== res.status) return `problem status ${String(body.status)} differs from HTTP ${res.status}`;
  } catch {
    return '4xx body is not JSON';
  }
  return undefined;
}

function explain(f: Finding): string {
  const s = f.sample;
  const cut = (x: string | undefined, n: number) =>
    x === undefined ? '' : x.length > n ? `${x.slice(0, n)}…(${x.length})` : x;
  return `${f.problem}: ${s.method} ${cut(s.path, 200)} headers=${cut(JSON.stringify(s.headers), 300)} body=${cut(Buffer.isBuffer(s.body) ? `<bytes> ${s.body.toString('latin1')}` : s.body, 300)} → ${cut(f.res?.text, 300)}`;
}

describe(`${RUNS} randomised malformed requests across every documented endpoint`, () => {
  it('answer no 5xx, only problem+json 4xx with a code, never hang, and write nothing', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(10);
    const before = await snapshot();
    const samples = fc.sample(requests(), { numRuns: RUNS, seed: SEED });

    const findings: Finding[] = [];
    const statusesByLabel = new Map<string, Map<number, number>>();
    const started = Date.now();
    await mapConcurrently(samples, IN_FLIGHT, async (sample) => {
      const headers = { ...sample.headers };
      if (sample.sign)
        headers['CircleTel-Signature'] = signPayload(TEST_BILLING_SECRET, sample.body ?? '', t.clock.now());
      let res: RawResponse;
      try {
        res = await client.send({ method: sample.method, path: sample.path, headers, body: sample.body });
      } catch (err) {
        findings.push({ problem: `no response (${(err as Error).message})`, sample });
        return;
      }
      const byStatus = statusesByLabel.get(sample.label) ?? new Map<number, number>();
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      statusesByLabel.set(sample.label, byStatus);
      const problem = check(sample, res);
      if (problem) findings.push({ problem, sample, res });
    });
    const elapsed = Date.now() - started;
    const after = await snapshot();

    if (process.env.DRILL_LOG) {
      console.log(
        `${RUNS} requests in ${elapsed} ms\n` +
          [...statusesByLabel]
            .map(([label, m]) => `${label}: ${JSON.stringify(Object.fromEntries([...m].sort()))}`)
            .join('\n'),
      );
    }

    expect({ seed: SEED, findings: findings.slice(0, 15).map(explain), total: findings.length }).toEqual({
      seed: SEED,
      findings: [],
      total: 0,
    });
    expect({ seed: SEED, after }).toEqual({ seed: SEED, after: before });
    // `__proto__` / `constructor.prototype` keys polluted nothing (the app runs in this process).
    expect(Object.prototype).not.toHaveProperty('polluted');

    // The fuzzing reached every documented operation, and past its guard.
    for (const op of operations) {
      const byStatus = statusesByLabel.get(`${op.method} ${op.path}`) ?? new Map<number, number>();
      const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
      const pastTheGuard = [...byStatus]
        .filter(([s]) => s !== 401 && s !== 403 && s !== 429)
        .reduce((a, [, n]) => a + n, 0);
      expect([op.method, op.path, total >= 100, pastTheGuard >= 20]).toEqual([op.method, op.path, true, true]);
      if (op.body || op.params.length)
        expect([op.method, op.path, (byStatus.get(400) ?? 0) > 0]).toEqual([op.method, op.path, true]);
    }
  }, 300_000);
});
