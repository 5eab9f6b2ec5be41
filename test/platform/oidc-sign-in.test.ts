import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { adminToken, bearer } from '../support/auth.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';

/**
 * SPEC §14 sign-in, API side: with OIDC_ISSUER set, access tokens from a real OpenID provider
 * (oidc-provider, in this process; tokens obtained through authorization code + PKCE) are
 * accepted, verified against the provider's discovered JWKS, with rotated keys picked up.
 */
const FLAGGED = '/api/admin/referrals/flagged';
const ALL = ['referrals:view', 'referrals:manage', 'reconciliation:run'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let op: TestOidcProvider;
let t: TestApp;

beforeAll(async () => {
  op = await startOidcProvider({
    accounts: {
      'ops-admin': { role: 'admin', permissions: ALL },
      finance: { role: 'admin', permissions: ['reconciliation:run'] },
      'capital-admin': { role: 'Admin', permissions: ALL },
      keycloakish: { realm_access: { roles: ['offline_access', 'admin'] }, scp: 'referrals:view reconciliation:run' },
    },
  });
  t = await startTestApp({
    env: {
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_AUDIENCE: op.resource,
      OIDC_JWKS_COOLDOWN_SECONDS: '1',
    },
  });
});

afterAll(async () => {
  await t?.close();
  await op?.stop();
});

const get = (token: string, path = FLAGGED) => request(t.server).get(path).set(bearer(token));

describe('OpenID Connect access tokens on the admin API', () => {
  it('the service starts without asking the provider anything (discovery waits for the first token)', () => {
    expect(op.requests).toEqual({ discovery: 0, jwks: 0 });
  });

  it('tells the console where to sign in, without secrets', async () => {
    const res = await request(t.server).get('/api/admin/console-config').expect(200);
    expect(res.body).toEqual({
      oidc: { issuer: op.issuer, clientId: op.clientId, scopes: 'openid profile', audience: op.resource },
      devSignIn: false,
      production: false,
    });
  });

  it('an admin signed in at the provider with referrals:view reads the review queue (200)', async () => {
    const { accessToken } = await op.signIn('ops-admin');
    const res = await get(accessToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
    expect(op.requests).toEqual({ discovery: 1, jwks: 1 });
    // Cached: more requests with the same key fetch nothing more.
    await get(accessToken).expect(200);
    await get((await op.signIn('ops-admin')).accessToken).expect(200);
    expect(op.requests).toEqual({ discovery: 1, jwks: 1 });
  });

  it('an admin without the permission is refused with 403 problem+json', async () => {
    const res = await get((await op.signIn('finance')).accessToken);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('a provider token whose role is "Admin" is refused with 403', async () => {
    const res = await get((await op.signIn('capital-admin')).accessToken);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('a token of another issuer is refused with 401 problem+json, even for the same resource', async () => {
    const other = await startOidcProvider({ accounts: { 'ops-admin': { role: 'admin', permissions: ALL } } });
    try {
      const res = await get((await other.signIn('ops-admin')).accessToken);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(other.requests).toEqual({ discovery: 0, jwks: 0 });
    } finally {
      await other.stop();
    }
  });

  it('a token issued for another resource (wrong audience) is refused with 401', async () => {
    const { accessToken } = await op.signIn('ops-admin', { resource: 'https://billing.circletel.test/api' });
    expect(jwt.decode(accessToken)).toMatchObject({ aud: 'https://billing.circletel.test/api' });
    expect((await get(accessToken)).status).toBe(401);
  });

  it("the console's ID token is not an access token (401)", async () => {
    const { idToken } = await op.signIn('ops-admin');
    expect(jwt.decode(idToken!)).toMatchObject({ role: 'admin', aud: op.clientId });
    expect((await get(idToken!)).status).toBe(401);
  });

  it('a provider token is accepted until it expires, then refused with 401', async () => {
    op.setAccessTokenTtl(2);
    try {
      const { accessToken } = await op.signIn('ops-admin');
      const { exp } = jwt.decode(accessToken) as { exp: number };
      await get(accessToken).expect(200);
      await sleep(exp * 1000 - Date.now() + 50);
      expect((await get(accessToken)).status).toBe(401);
    } finally {
      op.setAccessTokenTtl(3600);
    }
  });

  it('a tampered provider token (permissions added to its payload) is refused with 401', async () => {
    const { accessToken } = await op.signIn('finance');
    const [head, body, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, permissions: ALL })).toString('base64url');
    expect((await get(`${head}.${forged}.${signature}`)).status).toBe(401);
  });

  it('a token with the issuer and a known kid but signed HS256 or with another key is refused with 401', async () => {
    const { accessToken } = await op.signIn('ops-admin');
    const { header, payload } = jwt.decode(accessToken, { complete: true }) as {
      header: { kid: string };
      payload: Record<string, unknown>;
    };
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const resigned = jwt.sign(payload, stranger, { algorithm: 'RS256', keyid: header.kid });
    expect((await get(resigned)).status).toBe(401);
    const hmac = jwt.sign(payload, 'some-shared-secret-0123456789', { algorithm: 'HS256', keyid: header.kid });
    expect((await get(hmac)).status).toBe(401);
    const none = jwt.sign(payload, '', { algorithm: 'none', keyid: header.kid } as jwt.SignOptions);
    expect((await get(none)).status).toBe(401);
  });

  it('HS256 tokens signed with JWT_SECRET keep working beside the provider', async () => {
    await get(adminToken(['referrals:view'])).expect(200);
  });

  it('after the provider rotates its signing key, a token signed with the new key is accepted without a restart', async () => {
    const before = await op.signIn('ops-admin');
    await get(before.accessToken).expect(200);
    const fetchesBefore = op.requests.jwks;
    const kid = await op.rotateKeys();
    const after = await op.signIn('ops-admin');
    expect(jwt.decode(after.accessToken, { complete: true })?.header.kid).toBe(kid);
    await sleep(1100); // the refetch cooldown (OIDC_JWKS_COOLDOWN_SECONDS=1) since the last fetch
    await get(after.accessToken).expect(200);
    expect(op.requests.jwks).toBe(fetchesBefore + 1);
    // The previous key is still published, so tokens signed before the rotation stay valid.
    await get(before.accessToken).expect(200);
  });

  it('a flood of tokens naming unknown kids is refused with 401 and fetches the key set at most once per cooldown', async () => {
    const { accessToken } = await op.signIn('ops-admin');
    const payload = jwt.decode(accessToken) as Record<string, unknown>;
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = Array.from({ length: 30 }, (_, i) =>
      jwt.sign(payload, stranger, { algorithm: 'RS256', keyid: `unknown-kid-${i}` }),
    );
    const fetchesBefore = op.requests.jwks;
    const started = Date.now();
    const statuses = await Promise.all(forged.map(async (token) => (await get(token)).status));
    const elapsed = Date.now() - started;
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(op.requests.jwks - fetchesBefore).toBeLessThanOrEqual(1 + Math.ceil(elapsed / 1000));
    expect(op.requests.jwks - fetchesBefore).toBeLessThan(forged.length / 3);
  });
});

describe('claim names and a provider that is not there', () => {
  it('reads the role and permissions from the configured claims (a dotted path and a space-separated string)', async () => {
    const app = await startTestApp({
      env: {
        OIDC_ISSUER: op.issuer,
        OIDC_CLIENT_ID: op.clientId,
        OIDC_ROLE_CLAIM: 'realm_access.roles',
        OIDC_PERMISSIONS_CLAIM: 'scp',
      },
    });
    try {
      const call = (token: string) => request(app.server).get(FLAGGED).set(bearer(token));
      const { accessToken, idToken } = await op.signIn('keycloakish');
      await call(accessToken).expect(200);
      // referrals:view came from the space-separated claim; referrals:manage was not in it.
      const grant = await request(app.server)
        .post('/api/admin/customers/cus_1/referrals/grant')
        .set(bearer(accessToken))
        .send({ reason: 'Goodwill for the outage' });
      expect(grant.status).toBe(403);
      // The default claims mean nothing here: `role: "admin"` at the top level is not the configured claim.
      expect((await call((await op.signIn('ops-admin')).accessToken)).status).toBe(403);
      // Without OIDC_AUDIENCE, the console's ID token (audience: the console) is still refused.
      expect((await call(idToken!)).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('while the provider is unreachable its tokens get 401 (not 500) and readiness is unaffected; once it is back they are accepted, and keys fetched before outlive a later outage', async () => {
    const es = await startOidcProvider({
      signingAlg: 'ES256',
      accounts: { 'ops-admin': { role: 'admin', permissions: ALL } },
    });
    const { issuer, port } = es;
    const early = await es.signIn('ops-admin');
    await es.stop();
    const app = await startTestApp({
      env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: es.clientId, OIDC_JWKS_COOLDOWN_SECONDS: '1' },
    });
    let back: TestOidcProvider | undefined;
    try {
      const call = (token: string) => request(app.server).get(FLAGGED).set(bearer(token));
      const refused = await call(early.accessToken);
      expect(refused.status).toBe(401);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      await request(app.server).get('/health/ready').expect(200);
      await call(adminToken(['referrals:view'])).expect(200);

      back = await startOidcProvider({
        port,
        signingAlg: 'ES256',
        accounts: { 'ops-admin': { role: 'admin', permissions: ALL } },
      });
      expect(back.issuer).toBe(issuer);
      const { accessToken } = await back.signIn('ops-admin');
      expect(jwt.decode(accessToken, { complete: true })?.header.alg).toBe('ES256');
      await sleep(1100); // the failure cooldown
      await call(accessToken).expect(200);

      // Down again: a token naming a new kid makes the service try the provider, which fails...
      await back.stop();
      await sleep(1100);
      const payload = jwt.decode(accessToken) as Record<string, unknown>;
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const unknownKid = jwt.sign(payload, stranger, { algorithm: 'ES256', keyid: 'rotated-while-down' });
      expect((await call(unknownKid)).status).toBe(401);
      // ...and the keys fetched before keep serving: signed-in admins are not logged out by the outage.
      await call(accessToken).expect(200);
    } finally {
      await app.close();
      await back?.stop().catch(() => undefined);
    }
  });
});
