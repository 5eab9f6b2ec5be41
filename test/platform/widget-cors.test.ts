import request from 'supertest';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { customerCreated, sendBillingEvent } from '../support/billing.js';

/**
 * SPEC §13: pages of the origins in WIDGET_ALLOWED_ORIGINS may use the widget cross-origin — CORS
 * on the widget's script, the customer routes and the public code route, and nowhere else.
 */
const DASHBOARD = 'https://my.circletel.co.za';
const STRANGER = 'https://evil.example';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { WIDGET_ALLOWED_ORIGINS: `${DASHBOARD}, http://localhost:5173` } });
  await sendBillingEvent(t.server, customerCreated({ customerId: 'cus_cors' }), { at: t.clock.now() }).expect(200);
});

afterAll(() => t.close());

const preflight = (path: string, origin: string, method = 'GET') =>
  request(t.server)
    .options(path)
    .set('Origin', origin)
    .set('Access-Control-Request-Method', method)
    .set('Access-Control-Request-Headers', 'authorization');

const WIDGET_ROUTES: [string, string][] = [
  ['GET', '/widget/referrals.js'],
  ['POST', '/api/customer/referrals'],
  ['GET', '/api/customer/referrals?limit=20'],
  ['GET', '/api/customer/referral-balance'],
  ['GET', '/api/referral-codes/CT-REF-ABCDEFGH'],
];

const OTHER_ROUTES: [string, string][] = [
  ['GET', '/api/admin/referrals/flagged'],
  ['POST', '/api/admin/reconciliation/runs'],
  ['GET', '/api/admin/customers/cus_cors/referrals'],
  ['POST', '/api/integrations/billing/events'],
  ['POST', '/api/dev/sign-in'],
  ['GET', '/widget/demo'],
  ['GET', '/health/ready'],
  ['GET', '/docs-json'],
  ['GET', '/metrics'],
];

describe('CORS for the widget', () => {
  it.each(WIDGET_ROUTES)(
    'answers the preflight of an allowed origin for %s %s: that origin, Authorization allowed, no credentials',
    async (method, path) => {
      const res = await preflight(path, DASHBOARD, method);
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(DASHBOARD);
      expect(res.headers['access-control-allow-methods']).toBe('GET,POST');
      expect(res.headers['access-control-allow-headers']).toBe('Authorization,Content-Type');
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers.vary).toMatch(/Origin/);
    },
  );

  it.each(WIDGET_ROUTES)('gives another origin no CORS header on %s %s, preflight or not', async (method, path) => {
    const pre = await preflight(path, STRANGER, method);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    // No CORS for a stranger: the preflight is an ordinary OPTIONS, which the route does not allow.
    expect(pre.status).toBe(405);
    expect(pre.headers['content-type']).toMatch(/^application\/problem\+json/);
    const res = await request(t.server)
      .get(path)
      .set('Origin', STRANGER)
      .set(bearer(customerToken('cus_cors')));
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('lets the allowed origin read the customer API answers, and their problem details', async () => {
    const ok = await request(t.server)
      .post('/api/customer/referrals')
      .set('Origin', 'http://localhost:5173')
      .set(bearer(customerToken('cus_cors')))
      .expect(201);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(ok.headers['access-control-expose-headers']).toBe('X-Request-Id,Retry-After');

    const unauthenticated = await request(t.server).get('/api/customer/referral-balance').set('Origin', DASHBOARD);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['access-control-allow-origin']).toBe(DASHBOARD);
  });

  it.each(OTHER_ROUTES)(
    'never answers CORS on %s %s (admin, billing, development, operations), even for an allowed origin',
    async (method, path) => {
      const pre = await preflight(path, DASHBOARD, method);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(pre.headers['access-control-allow-methods']).toBeUndefined();
      const token = path.startsWith('/api/admin') ? adminToken() : customerToken('cus_cors');
      const res = await (method === 'GET' ? request(t.server).get(path) : request(t.server).post(path).send({}))
        .set('Origin', DASHBOARD)
        .set(bearer(token));
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    },
  );

  it('does not mistake a look-alike path for a widget route', async () => {
    for (const path of ['/api/customerx/referrals', '/api/referral-codes-admin/x', '/widget/referrals.json']) {
      const res = await preflight(path, DASHBOARD);
      expect([path, res.headers['access-control-allow-origin']]).toEqual([path, undefined]);
    }
  });
});

describe('without WIDGET_ALLOWED_ORIGINS', () => {
  let closed: TestApp;
  beforeAll(async () => {
    closed = await startTestApp();
  });
  afterAll(() => closed.close());

  it('no origin gets CORS on any route', async () => {
    for (const [method, path] of WIDGET_ROUTES) {
      const res = await request(closed.server)
        .options(path)
        .set('Origin', DASHBOARD)
        .set('Access-Control-Request-Method', method);
      expect([path, res.headers['access-control-allow-origin']]).toEqual([path, undefined]);
    }
  });
});
