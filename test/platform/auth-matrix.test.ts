import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { adminToken, bearer, customerToken, TEST_JWT_SECRET } from '../support/auth.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { Permission } from '../../src/platform/auth/principal.js';

/**
 * SPEC §2 for every route the service documents: the matrix is read from /docs-json, so a
 * route added later is covered without touching this file. Missing or bad token → 401; valid
 * token, wrong role or missing permission → 403.
 */
interface Operation {
  method: string;
  path: string;
  role?: 'customer' | 'admin';
  permissions: Permission[];
}

const ALL: Permission[] = ['referrals:view', 'referrals:manage', 'reconciliation:run'];
const PUBLIC_PATHS = [
  '/api/referral-codes/{code}',
  '/api/integrations/billing/events',
  '/api/admin/console-config',
  '/api/dev/sign-in',
  // RFC 8058 one-click unsubscribe: the signed token in the link is the credential (SPEC §15).
  '/api/notifications/unsubscribe',
];

function concretePath(path: string): string {
  return path
    .replace('{id}', '7b0f9c5e-8d7a-4a51-9b1e-0d3f2c8a6e11')
    .replace('{code}', 'CT-REF-ABCDEFGH')
    .replace(/\{[^}]+\}/g, 'x');
}

let t: TestApp;
const operations: Operation[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const doc = (await request(t.server).get('/docs-json').expect(200)).body as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      operations.push({
        method,
        path,
        role: op['x-required-role'] as Operation['role'],
        permissions: (op['x-required-permissions'] as Permission[] | undefined) ?? [],
      });
    }
  }
});

afterAll(() => t.close());

const call = (op: Operation, headers: Record<string, string>) =>
  (request(t.server) as unknown as Record<string, (p: string) => request.Test>)[op.method]!(concretePath(op.path))
    .set(headers)
    .send(op.method === 'get' ? undefined : {});

describe('authentication and authorisation on every documented route', () => {
  it('every /api route is either public or declares the role it needs', () => {
    const undeclared = operations.filter(
      (o) => o.path.startsWith('/api/') && !o.role && !PUBLIC_PATHS.includes(o.path),
    );
    expect(undeclared).toEqual([]);
    const adminPaths = operations.filter((o) => o.path.startsWith('/api/admin/') && !PUBLIC_PATHS.includes(o.path));
    expect(adminPaths.every((o) => o.role === 'admin')).toBe(true);
    expect(operations.filter((o) => o.path.startsWith('/api/customer/')).every((o) => o.role === 'customer')).toBe(
      true,
    );
  });

  it('without a token every protected route answers 401 problem+json', async () => {
    for (const op of operations.filter((o) => o.role)) {
      const res = await call(op, {});
      expect([op.method, op.path, res.status]).toEqual([op.method, op.path, 401]);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('a customer token on an admin route answers 403, and an admin token on a customer route answers 403', async () => {
    for (const op of operations.filter((o) => o.role)) {
      const wrong = op.role === 'admin' ? customerToken('cus_matrix') : adminToken(ALL);
      const res = await call(op, bearer(wrong));
      expect([op.method, op.path, res.status]).toEqual([op.method, op.path, 403]);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('an admin missing the route permission gets 403; with it, the guard lets the request through', async () => {
    // Only "who am I" takes any admin, whatever their permissions (the console asks it to know what to offer).
    expect(operations.filter((o) => o.role === 'admin' && !o.permissions.length).map((o) => o.path)).toEqual([
      '/api/admin/me',
    ]);
    for (const op of operations.filter((o) => o.role === 'admin' && o.permissions.length)) {
      const others = ALL.filter((p) => !op.permissions.includes(p));
      const denied = await call(op, bearer(adminToken(others)));
      expect([op.method, op.path, denied.status]).toEqual([op.method, op.path, 403]);
      const allowed = await call(op, bearer(adminToken(op.permissions)));
      expect([op.method, op.path, allowed.status === 401 || allowed.status === 403]).toEqual([
        op.method,
        op.path,
        false,
      ]);
    }
  });

  it('the console configuration is public and, without OIDC_ISSUER outside production, offers the development sign-in', async () => {
    const res = await request(t.server).get('/api/admin/console-config').expect(200);
    expect(res.body).toEqual({ oidc: null, devSignIn: true, production: false });
  });

  it('public routes need no token', async () => {
    const res = await request(t.server).get('/api/referral-codes/CT-REF-ABCDEFGH');
    expect([401, 403]).not.toContain(res.status);
    await request(t.server).get('/health/live').expect(200);
  });
});

describe('JWT verification', () => {
  const customerRoute = '/api/customer/referrals';
  const sign = (payload: object, secret = TEST_JWT_SECRET, options: jwt.SignOptions = {}) =>
    jwt.sign(payload, secret, { algorithm: 'HS256', ...options });

  it.each([
    ['an expired token', () => sign({ sub: 'cus_1', role: 'customer' }, TEST_JWT_SECRET, { expiresIn: -10 })],
    ['a token without exp', () => sign({ sub: 'cus_1', role: 'customer' })],
    [
      'a token signed with another secret',
      () => sign({ sub: 'cus_1', role: 'customer' }, 'another-secret-0123456789', { expiresIn: 60 }),
    ],
    [
      'an alg:none token',
      () =>
        jwt.sign({ sub: 'cus_1', role: 'customer', exp: Math.floor(Date.now() / 1000) + 60 }, '', {
          algorithm: 'none',
        }),
    ],
    ['a garbage token', () => 'not.a.jwt'],
  ])('%s is refused with 401', async (_name, make) => {
    const res = await request(t.server).get(customerRoute).set(bearer(make()));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it.each([
    ['"Admin"', 'Admin'],
    ['"ADMIN"', 'ADMIN'],
    ['"superuser"', 'superuser'],
    ['" admin" (padded)', ' admin'],
    ['"customer"', 'customer'],
    ['a number', 1],
    ['["Admin"]', ['Admin']],
    ['no role at all', undefined],
  ])('a valid admin token whose role is %s is refused with 403 problem+json, not 401', async (_name, role) => {
    const token = sign({ sub: 'admin-1', role, permissions: ALL }, TEST_JWT_SECRET, { expiresIn: 60 });
    const res = await request(t.server).get('/api/admin/referrals/flagged').set(bearer(token));
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('a valid customer token whose role is "Customer" is refused with 403', async () => {
    const token = sign({ sub: 'cus_1', role: 'Customer' }, TEST_JWT_SECRET, { expiresIn: 60 });
    const res = await request(t.server).get(customerRoute).set(bearer(token));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  /** An HS256 JWT whose payload is exactly these bytes (JSON.stringify would escape a lone surrogate differently). */
  const signRaw = (payload: Buffer) => {
    const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = payload.toString('base64url');
    const mac = createHmac('sha256', TEST_JWT_SECRET).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${mac}`;
  };
  const exp = () => Math.floor(Date.now() / 1000) + 60;

  const grantAs = (token: string) =>
    request(t.server)
      .post('/api/admin/customers/cus_surrogate_target/referrals/grant')
      .set(bearer(token))
      .send({ reason: 'Goodwill for the outage' });
  const perms = JSON.stringify(ALL);

  it.each([
    [
      'an escaped lone surrogate (\\ud800)',
      () => Buffer.from(`{"sub":"adm\\ud800","role":"admin","permissions":${perms},"exp":${exp()}}`),
    ],
    [
      'a lone low surrogate (\\udc00)',
      () => Buffer.from(`{"sub":"\\udc00adm","role":"admin","permissions":${perms},"exp":${exp()}}`),
    ],
    [
      'the raw bytes of a surrogate (invalid UTF-8)',
      () =>
        Buffer.concat([
          Buffer.from('{"sub":"adm'),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from(`","role":"admin","permissions":${perms},"exp":${exp()}}`),
        ]),
    ],
  ])('an admin token whose sub holds %s is refused with 401, and nothing is audited', async (_name, payload) => {
    const res = await grantAs(signRaw(payload()));
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const audited = await t.sql.query(`SELECT count(*)::int AS n FROM audit_log WHERE strpos(actor, chr(65533)) > 0`);
    expect(audited.rows[0].n).toBe(0);
  });

  it('a customer token whose sub holds a lone surrogate is refused with 401', async () => {
    const token = signRaw(Buffer.from(`{"sub":"cus_1\\ud800","role":"customer","exp":${exp()}}`));
    const res = await request(t.server).get(customerRoute).set(bearer(token));
    expect(res.status).toBe(401);
  });

  it('the same token with a well-formed sub is let through (the surrogate is what is refused)', async () => {
    const token = signRaw(
      Buffer.from(`{"sub":"adm\\u00e9","role":"admin","permissions":["referrals:view"],"exp":${exp()}}`),
    );
    const res = await request(t.server).get('/api/admin/referrals/flagged').set(bearer(token));
    expect(res.status).toBe(200);
  });

  it('checks iss and aud when configured, and accepts RS256 with the configured public key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const app = await startTestApp({
      env: { JWT_PUBLIC_KEY: pem, JWT_ISSUER: 'https://auth.test/', JWT_AUDIENCE: 'referrals' },
    });
    try {
      const rs = (claims: object) =>
        jwt.sign({ sub: 'cus_rs', role: 'customer', ...claims }, privateKey, { algorithm: 'RS256', expiresIn: 60 });
      const ok = await request(app.server)
        .get(customerRoute)
        .set(bearer(rs({ iss: 'https://auth.test/', aud: 'referrals' })));
      expect([401, 403]).not.toContain(ok.status);
      const badIss = await request(app.server)
        .get(customerRoute)
        .set(bearer(rs({ iss: 'https://evil/', aud: 'referrals' })));
      expect(badIss.status).toBe(401);
      const badAud = await request(app.server)
        .get(customerRoute)
        .set(bearer(rs({ iss: 'https://auth.test/', aud: 'other' })));
      expect(badAud.status).toBe(401);
      // An RS256-signed token cannot be replayed as HS256 using the public key as the HMAC secret.
      const confused = jwt.sign({ sub: 'cus_rs', role: 'customer', iss: 'https://auth.test/', aud: 'referrals' }, pem, {
        algorithm: 'HS256',
        expiresIn: 60,
      });
      expect((await request(app.server).get(customerRoute).set(bearer(confused))).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
