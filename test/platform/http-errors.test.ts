import net from 'node:net';
import request from 'supertest';
import { signPayload } from '../../src/platform/http/webhook-signature.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { BILLING_EVENTS_PATH, customerCreated, TEST_BILLING_SECRET, uniqueId } from '../support/billing.js';

/** Every route of SPEC §3 and §10. */
const SPEC_ROUTES = [
  'POST /api/integrations/billing/events',
  'POST /api/customer/referrals',
  'GET /api/customer/referrals',
  'GET /api/customer/referral-balance',
  'GET /api/referral-codes/{code}',
  'GET /api/admin/customers/{id}/referrals',
  'POST /api/admin/customers/{id}/referrals/grant',
  'POST /api/admin/customers/{id}/referrals/revoke',
  'GET /api/admin/referrals/flagged',
  'POST /api/admin/referrals/{id}/review',
  'GET /api/admin/customers/{id}/audit-log',
  'POST /api/admin/reconciliation/runs',
  'GET /api/admin/reconciliation/runs',
  'GET /api/admin/reconciliation/runs/{id}',
  'GET /api/admin/customers/{id}/credit-notes',
];

/** SPEC §1: every error is RFC 9457 problem+json with a stable code; no internals leak. */
let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  port = (t.app.getHttpServer().address() as net.AddressInfo).port;
});
afterAll(() => t.close());

/** Sends raw bytes on a fresh connection; the whole answer once the server closes it. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to ${bytes.slice(0, 40)}`)));
  });
}

function parseRaw(answer: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) };
}

const runCount = async () => Number((await t.sql.query('SELECT count(*) AS n FROM reconciliation_runs')).rows[0].n);

describe('errors as problem+json', () => {
  it('a body that is not valid JSON is 400 MALFORMED_JSON without the parser message', async () => {
    const res = await request(t.server)
      .post('/api/admin/reconciliation/runs')
      .set(bearer(adminToken()))
      .set('Content-Type', 'application/json')
      .send('{"asOf": "2026-01-01",');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'https://api.circletel.co.za/problems/malformed-json',
      title: 'Bad Request',
      status: 400,
      detail: 'The request body is not valid JSON.',
      code: 'MALFORMED_JSON',
    });
  });

  it('a body over the size limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(t.server)
      .post('/api/admin/reconciliation/runs')
      .set(bearer(adminToken()))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ asOf: 'x'.repeat(300_000) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('an unknown route is 404 NOT_FOUND problem+json', async () => {
    const res = await request(t.server).get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('unknown body fields are rejected with the field named', async () => {
    const res = await request(t.server)
      .post('/api/admin/reconciliation/runs')
      .set(bearer(adminToken()))
      .send({ dryRun: true, surprise: 1 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'surprise' })]));
  });

  it('echoes a caller-supplied X-Request-Id, and makes one otherwise', async () => {
    const given = await request(t.server).get('/health/live').set('X-Request-Id', 'req-abc-123');
    expect(given.headers['x-request-id']).toBe('req-abc-123');
    const made = await request(t.server).get('/health/live');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a known path with a method it does not have is 405 METHOD_NOT_ALLOWED problem+json with Allow', async () => {
    const res = await request(t.server).put('/api/admin/reconciliation/runs').set(bearer(adminToken()));
    expect(res.status).toBe(405);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.body).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    const withParam = await request(t.server).delete('/api/admin/customers/cus_1/referrals');
    expect([withParam.status, withParam.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  it('serves the OpenAPI document with error schemas', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body;
    expect(doc.components.schemas.ProblemDetailsDto).toBeDefined();
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented).toEqual(expect.arrayContaining(SPEC_ROUTES));
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>)) {
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const codes = Object.keys(op.responses);
        expect([`${method} ${path}`, codes.some((c) => c.startsWith('2'))]).toEqual([`${method} ${path}`, true]);
        expect([`${method} ${path}`, codes.some((c) => c.startsWith('4'))]).toEqual([`${method} ${path}`, true]);
      }
    }
    const ui = await request(t.server).get('/docs/').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('reports readiness and exposes Prometheus metrics with the route latency histogram', async () => {
    await request(t.server).get('/health/ready').expect(200);
    const metrics = await request(t.server).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
    expect(metrics.text).toMatch(/route="\/health\/ready"/);
  });
});

describe('a body that is not JSON is 415 UNSUPPORTED_MEDIA_TYPE (SPEC §1)', () => {
  const NOT_JSON = [
    ['text/plain', '{"dryRun":true}'],
    ['application/x-www-form-urlencoded', 'dryRun=true'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="dryRun"\r\n\r\ntrue\r\n--x--'],
    ['application/xml', '<run dryRun="true"/>'],
  ];

  it.each(NOT_JSON)(
    'a run started with a %s body is 415 problem+json, and nothing runs (it ran with defaults)',
    async (type, body) => {
      const before = await runCount();
      const res = await request(t.server)
        .post('/api/admin/reconciliation/runs')
        .set(bearer(adminToken()))
        .set('Content-Type', type)
        .send(body);
      expect([res.status, res.headers['content-type']]).toEqual([
        415,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect(res.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported Media Type' });
      expect(await runCount()).toBe(before);
    },
  );

  it('a body without any Content-Type is 415', async () => {
    const res = await request(t.server)
      .post('/api/admin/referrals/6f1c1c8e-3a55-4f44-9f7b-8d2f3e6c2a10/review')
      .set(bearer(adminToken()))
      .set('Content-Type', '')
      .send(Buffer.from('{"decision":"approve","reason":"fine"}'));
    expect([res.status, res.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it.each(NOT_JSON)(
    'a correctly signed billing event sent as %s is 415, not 401 "missing body", and nothing is stored',
    async (type) => {
      const event = { ...customerCreated(), id: uniqueId('evt') };
      const body = JSON.stringify(event);
      const res = await request(t.server)
        .post(BILLING_EVENTS_PATH)
        .set('Content-Type', type)
        .set('CircleTel-Signature', signPayload(TEST_BILLING_SECRET, body, t.clock.now()))
        .send(body);
      expect([res.status, res.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      const stored = await t.sql.query('SELECT 1 FROM billing_inbound_events WHERE id = $1', [event.id]);
      expect(stored.rowCount).toBe(0);
    },
  );

  it('JSON by any of its names is read: application/json with a charset, and application/*+json', async () => {
    for (const type of ['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/merge-patch+json']) {
      const res = await request(t.server)
        .post('/api/admin/reconciliation/runs')
        .set(bearer(adminToken()))
        .set('Content-Type', type)
        .send('{"dryRun":true,"asOf":"2026-06-01"}');
      expect([type, res.status, res.body.dryRun]).toEqual([type, 201, true]);
    }
  });

  it('a request without a body needs no Content-Type', async () => {
    const res = await request(t.server)
      .post('/api/customer/referrals')
      .set(bearer(customerToken('cus_nobody')));
    expect(res.status).not.toBe(415);
    expect(res.status).toBeLessThan(500);
  });
});

describe('errors raised by the HTTP parser, before any request exists, are problem+json', () => {
  it('a header block over the limit is 431 problem+json (it was an empty 431)', async () => {
    const res = parseRaw(
      await rawExchange(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 431,
      code: 'REQUEST_HEADERS_TOO_LARGE',
      title: 'Request Header Fields Too Large',
    });
  });

  it.each([
    ['a bad request line', 'GARBAGE\r\n\r\n'],
    ['a header without a colon', 'GET /health/live HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n'],
    [
      'a Content-Length that is not a number',
      'POST /api/customer/referrals HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    ],
  ])('%s is 400 problem+json', async (_label, bytes) => {
    const res = parseRaw(await rawExchange(bytes));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
  });
});

describe('the OpenAPI document declares every error as application/problem+json', () => {
  it('every 4xx and 5xx response of every operation has problem+json content (and only that), with the problem schema', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>
      >;
    };
    const errors: string[] = [];
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (!/^[45]/.test(status)) continue;
          checked++;
          const types = Object.keys(response.content ?? {});
          if (types.length !== 1 || types[0] !== 'application/problem+json')
            errors.push(`${method.toUpperCase()} ${path} ${status}: ${types.join(', ') || 'no content'}`);
          else if (
            response.content!['application/problem+json']!.schema?.$ref !== '#/components/schemas/ProblemDetailsDto'
          )
            errors.push(`${method.toUpperCase()} ${path} ${status}: not the problem schema`);
        }
        if (method !== 'get' && !op.responses['415']) errors.push(`${method.toUpperCase()} ${path}: no 415`);
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(errors).toEqual([]);
  });
});
