import request from 'supertest';
import { adminToken, bearer } from '../support/auth.js';
import { startTestApp, type TestApp } from '../support/app.js';

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
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

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
