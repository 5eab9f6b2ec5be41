/**
 * Who is signed in to the console, and how they got there (SPEC §14):
 * - with an OpenID provider (GET /api/admin/console-config names it): authorization code + PKCE
 *   through oidc-client-ts; the access token (not the ID token) is what the API accepts;
 * - without one, outside production: the development sign-in (POST /api/dev/sign-in);
 * - in production without one: nobody can sign in, and the page says how to configure it.
 * Tokens live in sessionStorage: one tab's session, gone when the tab closes.
 */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';

export interface ConsoleConfig {
  oidc: { issuer: string; clientId: string; scopes: string; audience: string | null } | null;
  devSignIn: boolean;
  production: boolean;
}

export const PERMISSIONS = ['referrals:view', 'referrals:manage', 'reconciliation:run'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The signed-in admin as the API reads the token (GET /api/admin/me). */
export interface Admin {
  sub: string;
  permissions: string[];
}

export interface Credentials {
  accessToken: string;
  expiresAt: Date | null;
  via: 'oidc' | 'dev';
}

const DEV_KEY = 'circletel-admin:dev-token';
export const CALLBACK_PATH = '/admin/callback';

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/api/admin/console-config', { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`The console's configuration could not be read (the service answered ${res.status}).`);
  return (await res.json()) as ConsoleConfig;
}

export class SignIn {
  private readonly users: UserManager | null;

  constructor(readonly config: ConsoleConfig) {
    const oidc = config.oidc;
    const resource = oidc?.audience ? { resource: oidc.audience } : undefined;
    this.users = oidc
      ? new UserManager({
          authority: oidc.issuer,
          client_id: oidc.clientId,
          redirect_uri: `${location.origin}${CALLBACK_PATH}`,
          response_type: 'code',
          scope: oidc.scopes,
          // RFC 8707: ask for an access token for this API (the provider's audience for it).
          extraQueryParams: resource,
          extraTokenParams: resource,
          loadUserInfo: false,
          automaticSilentRenew: false,
          monitorSession: false,
          userStore: new WebStorageStateStore({ store: sessionStorage }),
          stateStore: new WebStorageStateStore({ store: sessionStorage }),
        })
      : null;
  }

  /** The credentials of this tab, if any are still valid; finishes a sign-in on the callback path. */
  async current(): Promise<Credentials | null> {
    if (this.users) {
      if (location.pathname === CALLBACK_PATH) {
        const user = await this.users.signinRedirectCallback();
        const returnTo = (user.state as { returnTo?: string } | undefined)?.returnTo;
        history.replaceState(null, '', returnTo?.startsWith('/admin') ? returnTo : '/admin');
      }
      const user = await this.users.getUser();
      if (!user || user.expired) return null;
      return {
        accessToken: user.access_token,
        expiresAt: user.expires_at ? new Date(user.expires_at * 1000) : null,
        via: 'oidc',
      };
    }
    const stored = sessionStorage.getItem(DEV_KEY);
    if (!stored) return null;
    const dev = JSON.parse(stored) as { token: string; expiresAt: string };
    const expiresAt = new Date(dev.expiresAt);
    if (expiresAt.getTime() <= Date.now()) {
      sessionStorage.removeItem(DEV_KEY);
      return null;
    }
    return { accessToken: dev.token, expiresAt, via: 'dev' };
  }

  /** Off to the provider; back on /admin/callback, then to where the admin was. */
  async redirectToProvider(): Promise<void> {
    if (!this.users) throw new Error('No OpenID provider is configured.');
    const here = location.pathname === CALLBACK_PATH ? '/admin' : location.pathname + location.search;
    await this.users.signinRedirect({ state: { returnTo: here } });
  }

  /** Development only: a short-lived admin token for any user id and permissions. */
  async devSignIn(sub: string, permissions: string[]): Promise<Credentials> {
    const res = await fetch('/api/dev/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ role: 'admin', sub, permissions }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      token?: string;
      expiresAt?: string;
      detail?: string;
      errors?: { message: string }[];
    };
    if (!res.ok || !body.token || !body.expiresAt) {
      const why = body.errors?.map((e) => e.message).join('; ') || body.detail || `the service answered ${res.status}`;
      throw new Error(`Could not sign in: ${why}.`);
    }
    sessionStorage.setItem(DEV_KEY, JSON.stringify({ token: body.token, expiresAt: body.expiresAt }));
    return { accessToken: body.token, expiresAt: new Date(body.expiresAt), via: 'dev' };
  }

  async signOut(): Promise<void> {
    sessionStorage.removeItem(DEV_KEY);
    await this.users?.removeUser();
  }
}
