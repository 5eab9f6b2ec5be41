import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { Provider, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

/**
 * A real OpenID Connect provider (the `oidc-provider` package) in this process, for the API's
 * tests and the admin console's browser tests.
 *
 * - Issuer `http://127.0.0.1:<free port>`; discovery, JWKS, authorization code + PKCE (S256) for
 *   one public client (the console: `clientId`, the `redirectUris` the caller gives), refresh
 *   tokens with `offline_access`.
 * - Access tokens are JWTs (RFC 9068, `typ: at+jwt`) for the requested resource indicator (RFC
 *   8707): `aud` = the `resource` parameter, or `resource` (the API's identifier) when the client
 *   sends none. Signed RS256 (or ES256: `signingAlg`) with the current key.
 * - Accounts are the test's own (`accounts`, `setAccount`): the login form accepts any password
 *   for an account that exists; each account's claims (e.g. `{ role: 'admin', permissions: [...] }`
 *   or any other claim names) go into its access tokens, and into its ID token too.
 * - Sign-in in a browser: the authorization request shows the provider's development login form
 *   (`input[name=login]`, `input[name=password]`, `button[type=submit]`); consent is implied (a
 *   first-party console), so after the form the browser lands on the redirect URI with `code`.
 *   Without a browser, `signIn(accountId)` drives the same flow over HTTP and redeems the code.
 * - `rotateKeys()` swaps in a new signing key (the old one stays published unless told otherwise)
 *   without a restart: the issuer, port, sessions and grants stay.
 * - `requests` counts discovery and JWKS fetches (to prove caching and rate limits).
 */
export interface OidcProviderOptions {
  /** accountId → claims of that account (added to its access and ID tokens). */
  accounts?: Record<string, Record<string, unknown>>;
  /** The console's client id (default `referrals-console`). */
  clientId?: string;
  /** Where the console may be redirected after sign-in (default `http://127.0.0.1/callback`). */
  redirectUris?: string[];
  /** Where the console may be sent after sign-out (RP-initiated logout). */
  postLogoutRedirectUris?: string[];
  /** The API's resource identifier, used when the client names none (default `https://referrals.circletel.test/api`). */
  resource?: string;
  /** Scopes a resource server offers (default `referrals`); requested scopes outside them are dropped from access tokens. */
  resourceScopes?: string;
  /** Access-token lifetime in seconds (default 3600; `setAccessTokenTtl` changes it later). */
  accessTokenTtl?: number;
  /** Signature algorithm of access tokens (default RS256). */
  signingAlg?: 'RS256' | 'ES256';
  /** Listen on this port (default: a free one). */
  port?: number;
}

export interface SignInOptions {
  /** RFC 8707 resource indicator (default: none, i.e. the provider's default resource, the API). */
  resource?: string;
  /** Default `openid profile`. */
  scope?: string;
  /** Default: the first redirect URI. */
  redirectUri?: string;
}

export interface SignInResult {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  expiresIn: number;
  scope?: string;
}

export interface TestOidcProvider {
  /** `http://127.0.0.1:<port>` — what OIDC_ISSUER must be set to. */
  readonly issuer: string;
  readonly port: number;
  readonly clientId: string;
  readonly redirectUris: string[];
  /** The API's resource identifier: set OIDC_AUDIENCE to it. */
  readonly resource: string;
  /** Discovery documents and key sets served so far. */
  readonly requests: { discovery: number; jwks: number };
  /** Add or replace an account. */
  setAccount(accountId: string, claims: Record<string, unknown>): void;
  setAccessTokenTtl(seconds: number): void;
  /** kid of the key access tokens are signed with now. */
  signingKid(): string;
  /** A new signing key from now on; the previous keys stay in the JWKS unless `keepPrevious: false`. Returns its kid. */
  rotateKeys(options?: { keepPrevious?: boolean }): Promise<string>;
  /** The authorization code flow with PKCE over HTTP, as a browser would: log in as the account, redeem the code. */
  signIn(accountId: string, options?: SignInOptions): Promise<SignInResult>;
  stop(): Promise<void>;
}

interface KeyPair {
  rsa: JWK;
  ec: JWK;
}

let generation = 0;
function newKeys(): KeyPair {
  const n = ++generation;
  const stamp = `${Date.now().toString(36)}-${n}`;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as JWK;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK;
  return { rsa: { ...rsa, kid: `rsa-${stamp}`, use: 'sig' }, ec: { ...ec, kid: `ec-${stamp}`, use: 'sig' } };
}

const base64url = (b: Buffer) => b.toString('base64url');

export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<TestOidcProvider> {
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const clientId = options.clientId ?? 'referrals-console';
  const redirectUris = options.redirectUris ?? ['http://127.0.0.1/callback'];
  const resource = options.resource ?? 'https://referrals.circletel.test/api';
  const resourceScopes = options.resourceScopes ?? 'referrals';
  const signingAlg = options.signingAlg ?? 'RS256';
  let accessTokenTtl = options.accessTokenTtl ?? 3600;
  let keys: KeyPair[] = [newKeys()];
  const requests = { discovery: 0, jwks: 0 };

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const build = (): Provider => {
    const claimNames = new Set(['role', 'permissions']);
    for (const claims of accounts.values()) for (const name of Object.keys(claims)) claimNames.add(name);
    const configuration: Configuration = {
      clients: [
        {
          client_id: clientId,
          application_type: 'web',
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: redirectUris,
          post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        },
      ],
      jwks: { keys: keys.flatMap((k) => [k.rsa, k.ec]) as never },
      cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
      // Claims of an account's profile go into its ID token as well (not only /me), so a test can
      // show an ID token carrying the same role is still refused by the API.
      conformIdTokenClaims: false,
      claims: { openid: ['sub', ...claimNames] },
      scopes: ['openid', 'offline_access', 'profile', ...resourceScopes.split(' ')],
      pkce: { required: () => true },
      ttl: {
        AccessToken: () => accessTokenTtl,
        AuthorizationCode: 60,
        IdToken: 3600,
        Interaction: 3600,
        Session: 86400,
        Grant: 86400,
        RefreshToken: 86400,
      },
      async findAccount(_ctx, sub) {
        const claims = accounts.get(sub);
        if (!claims) return undefined;
        return { accountId: sub, claims: async () => ({ ...claims, sub }) };
      },
      async extraTokenClaims(_ctx, token) {
        const accountId = (token as { accountId?: string }).accountId;
        return accountId ? { ...accounts.get(accountId) } : undefined;
      },
      // A first-party console: whatever it asks for is granted, no consent screen.
      async loadExistingGrant(ctx: KoaContextWithOIDC) {
        const { oidc } = ctx;
        if (!oidc.session?.accountId || !oidc.client) return undefined;
        const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
        const grant =
          (grantId ? await oidc.provider.Grant.find(grantId) : undefined) ??
          new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
        const scopes = [...(oidc.requestParamOIDCScopes as Set<string>)];
        if (scopes.length) grant.addOIDCScope(scopes.join(' '));
        const claims = [...(oidc.requestParamClaims as Set<string>)];
        if (claims.length) grant.addOIDCClaims(claims);
        for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
          const wanted = [...(oidc.requestParamScopes as Set<string>)].filter((s) => server.scopes.has(s));
          if (wanted.length) grant.addResourceScope(indicator, wanted.join(' '));
        }
        await grant.save();
        return grant;
      },
      clientBasedCORS: (_ctx, origin, client) =>
        client.redirectUris?.some((u) => new URL(u).origin === origin) ?? false,
      renderError: (ctx, out) => {
        ctx.type = 'json';
        ctx.body = out;
      },
      features: {
        devInteractions: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: async (_ctx, _client, oneOf) => oneOf ?? resource,
          useGrantedResource: async () => true,
          getResourceServerInfo: async (_ctx, indicator) => ({
            scope: resourceScopes,
            audience: indicator,
            accessTokenFormat: 'jwt',
            accessTokenTTL: accessTokenTtl,
            jwt: { sign: { alg: signingAlg } },
          }),
        },
      },
    };
    return quietly(() => new Provider(issuer, configuration));
  };

  let provider = build();
  let handler = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/.well-known/openid-configuration') requests.discovery += 1;
    if (path === '/jwks') requests.jwks += 1;
    void handler(req, res);
  });
  const rebuild = () => {
    provider = build();
    handler = provider.callback();
  };

  const current = () => keys[0]!;
  return {
    issuer,
    port,
    clientId,
    redirectUris,
    resource,
    requests,
    setAccount(accountId, claims) {
      accounts.set(accountId, claims);
      rebuild(); // the ID token's claim list follows the accounts' claim names
    },
    setAccessTokenTtl(seconds) {
      accessTokenTtl = seconds;
    },
    signingKid: () => (signingAlg === 'ES256' ? current().ec.kid! : current().rsa.kid!),
    async rotateKeys({ keepPrevious = true } = {}) {
      keys = [newKeys(), ...(keepPrevious ? keys : [])];
      rebuild();
      return signingAlg === 'ES256' ? current().ec.kid! : current().rsa.kid!;
    },
    signIn: (accountId, signInOptions = {}) => signInOverHttp(issuer, clientId, redirectUris, accountId, signInOptions),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** The provider warns at construction that its login form and storage are for development: expected here. */
function quietly<T>(make: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /devInteractions|in-memory adapter/.test(args[0])) return;
    warn(...args);
  };
  try {
    return make();
  } finally {
    console.warn = warn;
  }
}

/**
 * Authorization code + PKCE over plain HTTP with a cookie jar, following the provider's redirects
 * and submitting its development login form, then redeeming the code at the token endpoint.
 */
async function signInOverHttp(
  issuer: string,
  clientId: string,
  redirectUris: string[],
  accountId: string,
  { resource, scope = 'openid profile', redirectUri = redirectUris[0]! }: SignInOptions,
): Promise<SignInResult> {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return res;
  };
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const state = base64url(randomBytes(12));
  const authorize = new URL('/auth', issuer);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state,
    nonce: base64url(randomBytes(12)),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(resource ? { resource } : {}),
  }).toString();

  let res = await send(authorize.href);
  for (let hops = 0; hops < 10; hops++) {
    const location = res.headers.get('location');
    if (!location) throw new Error(`sign-in stopped at ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const next = new URL(location, issuer);
    if (next.href.startsWith(redirectUri)) {
      const error = next.searchParams.get('error');
      if (error) throw new Error(`sign-in refused: ${error} ${next.searchParams.get('error_description') ?? ''}`);
      if (next.searchParams.get('state') !== state) throw new Error('sign-in returned another state');
      const code = next.searchParams.get('code')!;
      const token = await fetch(new URL('/token', issuer), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
          client_id: clientId,
        }),
      });
      const body = (await token.json()) as Record<string, unknown>;
      if (token.status !== 200) throw new Error(`token endpoint answered ${token.status}: ${JSON.stringify(body)}`);
      return {
        accessToken: body.access_token as string,
        idToken: body.id_token as string | undefined,
        refreshToken: body.refresh_token as string | undefined,
        expiresIn: body.expires_in as number,
        scope: body.scope as string | undefined,
      };
    }
    if (/^\/interaction\/[^/]+$/.test(next.pathname)) {
      const form = await (await send(next.href)).text();
      const prompt = /name="prompt" value="([a-z]+)"/.exec(form)?.[1];
      if (prompt !== 'login') throw new Error(`unexpected interaction: ${prompt ?? form.slice(0, 300)}`);
      res = await send(next.href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt: 'login', login: accountId, password: 'any' }).toString(),
      });
      continue;
    }
    res = await send(next.href);
  }
  throw new Error('sign-in did not reach the redirect URI');
}
