import jwt from 'jsonwebtoken';
import request from 'supertest';
import { bearer, TEST_JWT_SECRET } from '../support/auth.js';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * POST /api/dev/sign-in: development tokens for the widget demo and the admin console, outside
 * production only, signed exactly as the API verifies them (the same code as `npm run dev:token`).
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    env: { JWT_ISSUER: 'https://auth.test.circletel.co.za/', JWT_AUDIENCE: 'circletel-referrals' },
  });
});

afterAll(() => t.close());

const signIn = (body: unknown) =>
  request(t.server)
    .post('/api/dev/sign-in')
    .send(body as object);

describe('POST /api/dev/sign-in outside production', () => {
  it('signs a customer in: an HS256 token for that customer, valid for one hour, that the customer API accepts', async () => {
    const before = Date.now();
    const res = await signIn({ role: 'customer', customerId: 'cus_dev_1' }).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'token']);

    const decoded = jwt.verify(res.body.token, TEST_JWT_SECRET, { algorithms: ['HS256'], complete: true });
    const claims = decoded.payload as jwt.JwtPayload;
    expect(decoded.header.alg).toBe('HS256');
    expect(claims).toMatchObject({
      sub: 'cus_dev_1',
      role: 'customer',
      iss: 'https://auth.test.circletel.co.za/',
      aud: 'circletel-referrals',
    });
    expect(claims).not.toHaveProperty('permissions');
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(new Date(res.body.expiresAt).getTime()).toBe(claims.exp! * 1000);
    expect(claims.exp! * 1000).toBeGreaterThanOrEqual(before + 3_599_000);

    await request(t.server).get('/api/customer/referral-balance').set(bearer(res.body.token)).expect(200);
    await request(t.server).get('/api/admin/referrals/flagged').set(bearer(res.body.token)).expect(403);
  });

  it('signs an admin in with exactly the permissions asked for', async () => {
    const res = await signIn({ role: 'admin', sub: 'support-agent-7', permissions: ['referrals:view'] }).expect(200);
    const claims = jwt.verify(res.body.token, TEST_JWT_SECRET) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: 'support-agent-7', role: 'admin', permissions: ['referrals:view'] });

    await request(t.server).get('/api/admin/referrals/flagged').set(bearer(res.body.token)).expect(200);
    const refused = await request(t.server)
      .post('/api/admin/reconciliation/runs')
      .set(bearer(res.body.token))
      .send({ dryRun: true });
    expect(refused.status).toBe(403);
  });

  it.each([
    ['no body fields', {}, ['role']],
    ['a role of the wrong case', { role: 'Admin', sub: 'a', permissions: ['referrals:view'] }, ['role']],
    ['a customer without an id', { role: 'customer' }, ['customerId']],
    ['a customer id billing could not have sent', { role: 'customer', customerId: 'cus 1/../x' }, ['customerId']],
    ['an admin field on a customer', { role: 'customer', customerId: 'cus_1', sub: 'admin-1' }, ['sub']],
    ['an unknown field', { role: 'customer', customerId: 'cus_1', expiresIn: '10y' }, ['expiresIn']],
    ['an admin without permissions', { role: 'admin', sub: 'admin-1' }, ['permissions']],
    ['an admin with no permission at all', { role: 'admin', sub: 'admin-1', permissions: [] }, ['permissions']],
    [
      'an unknown permission',
      { role: 'admin', sub: 'admin-1', permissions: ['referrals:view', 'billing:write'] },
      ['permissions'],
    ],
    [
      'an admin sub with control characters',
      { role: 'admin', sub: 'a\u0007b', permissions: ['referrals:view'] },
      ['sub'],
    ],
    [
      'a customer field on an admin',
      { role: 'admin', sub: 'admin-1', permissions: ['referrals:view'], customerId: 'cus_1' },
      ['customerId'],
    ],
  ])('refuses %s with 400 and the field named', async (_what, body, fields) => {
    const res = await signIn(body).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect([...new Set((res.body.errors as { field: string }[]).map((e) => e.field))]).toEqual(fields);
  });

  it('is documented in OpenAPI as a public route with both forms of its body', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body;
    const op = doc.paths['/api/dev/sign-in'].post;
    expect(op.summary).toMatch(/Development sign-in/);
    expect(op.requestBody.content['application/json'].schema.oneOf).toHaveLength(2);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '415']);
  });
});

describe('in production', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await startTestApp({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => prod.close());

  it('the development sign-in and the widget demo do not exist (404 problem+json) and are not documented', async () => {
    const signInRes = await request(prod.server)
      .post('/api/dev/sign-in')
      .send({ role: 'admin', sub: 'intruder', permissions: ['referrals:manage'] });
    expect([signInRes.status, signInRes.headers['content-type']]).toEqual([
      404,
      expect.stringMatching(/problem\+json/),
    ]);
    for (const route of ['/widget/demo', '/widget/demo.js']) {
      const res = await request(prod.server).get(route);
      expect([route, res.status, res.headers['content-type']]).toEqual([
        route,
        404,
        expect.stringMatching(/problem\+json/),
      ]);
    }
    const doc = (await request(prod.server).get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/dev') || p.startsWith('/widget/demo'))).toEqual([]);
    expect(doc.paths).toHaveProperty(['/widget/referrals.js']);
  });
});
