/**
 * The admin console (SPEC §14): <circletel-admin>, a single-page app served at /admin by the
 * service. Routes live in the path (deep links work: the service answers every /admin/* path
 * with the same page); each page is its own element under pages/.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiClient, ApiError } from './api.js';
import { define, messageOf } from './base.js';
import './pages/customer-page.js';
import './pages/link-page.js';
import './pages/reconciliation-page.js';
import './pages/reports-page.js';
import './pages/review-page.js';
import './pages/search-page.js';
import { loadConfig, PERMISSIONS, SignIn, type Admin, type ConsoleConfig, type Credentials } from './session.js';

type View =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'signed-out'; message?: string }
  | { kind: 'signed-in'; admin: Admin };

interface NavItem {
  path: string;
  label: string;
  visible: (admin: Admin) => boolean;
}

const has = (admin: Admin, p: string) => admin.permissions.includes(p);

const PERMISSION_HINTS: Record<(typeof PERMISSIONS)[number], string> = {
  'referrals:view': '— search, customers, review queue, runs, reports',
  'referrals:manage': '— grant and revoke free months, review, link referrals',
  'reconciliation:run': '— dry runs and runs of the reconciliation',
};

const NAV: NavItem[] = [
  { path: '/admin', label: 'Customers', visible: (a) => has(a, 'referrals:view') },
  { path: '/admin/review', label: 'Review queue', visible: (a) => has(a, 'referrals:view') },
  { path: '/admin/link', label: 'Link a referral', visible: (a) => has(a, 'referrals:manage') },
  { path: '/admin/reconciliation', label: 'Reconciliation', visible: (a) => has(a, 'referrals:view') },
  { path: '/admin/reports', label: 'Reports', visible: (a) => has(a, 'referrals:view') },
];

export class CircletelAdmin extends LitElement {
  @state() private view: View = { kind: 'loading' };
  @state() private path = location.pathname;
  @state() private devBusy = false;
  @state() private devError = '';
  private config: ConsoleConfig | null = null;
  private signIn: SignIn | null = null;
  private credentials: Credentials | null = null;
  private readonly api = new ApiClient(
    () => this.credentials?.accessToken ?? null,
    () => this.expired(),
  );
  private focusAfterRender = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.addEventListener('click', this.onClick);
    this.addEventListener('navigate', this.onNavigate as EventListener);
    void this.start();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onPopState);
    super.disconnectedCallback();
  }

  private async start(): Promise<void> {
    try {
      this.config = await loadConfig();
      this.signIn = new SignIn(this.config);
      this.credentials = await this.signIn.current();
      this.path = location.pathname;
      if (!this.credentials) {
        this.view = { kind: 'signed-out' };
        return;
      }
      await this.loadAdmin();
    } catch (e) {
      this.view = { kind: 'failed', message: messageOf(e) };
    }
  }

  private async loadAdmin(): Promise<void> {
    try {
      const admin = await this.api.get<Admin>('/api/admin/me');
      this.view = { kind: 'signed-in', admin };
    } catch (e) {
      if (e instanceof ApiError && e.problem.status === 401) return; // expired() has shown the sign-in
      this.credentials = null;
      await this.signIn?.signOut();
      this.view = {
        kind: 'signed-out',
        message:
          e instanceof ApiError && e.problem.status === 403
            ? 'This account is not a referrals administrator (its token has no admin role). Sign in with another account.'
            : messageOf(e),
      };
    }
  }

  private expired(): void {
    this.credentials = null;
    void this.signIn?.signOut();
    this.view = { kind: 'signed-out', message: 'Your session has ended. Sign in again to continue.' };
  }

  private readonly onPopState = () => {
    this.path = location.pathname;
    this.focusAfterRender = true;
  };

  private readonly onNavigate = (e: CustomEvent<string>) => this.navigate(e.detail);

  /** Links to console pages stay in the app (a plain click; new tabs and downloads are left alone). */
  private readonly onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element).closest('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/admin')) return;
    e.preventDefault();
    this.navigate(url.pathname + url.search);
  };

  private navigate(to: string): void {
    if (to !== location.pathname + location.search) history.pushState(null, '', to);
    this.path = location.pathname;
    this.focusAfterRender = true;
    this.requestUpdate();
  }

  protected override async updated(): Promise<void> {
    if (!this.focusAfterRender) return;
    this.focusAfterRender = false;
    const page = this.querySelector('main > *') as LitElement | null;
    await page?.updateComplete;
    const heading = this.querySelector<HTMLElement>('main h1');
    heading?.focus();
  }

  private async devSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    if (!form.reportValidity() || this.devBusy) return;
    const data = new FormData(form);
    const permissions = data.getAll('permissions').map(String);
    if (!permissions.length) {
      this.devError = 'Choose at least one permission.';
      return;
    }
    this.devBusy = true;
    this.devError = '';
    try {
      this.credentials = await this.signIn!.devSignIn(String(data.get('sub')).trim(), permissions);
      this.focusAfterRender = true;
      await this.loadAdmin();
    } catch (e) {
      this.devError = messageOf(e);
    } finally {
      this.devBusy = false;
    }
  }

  private async signOut(): Promise<void> {
    this.credentials = null;
    await this.signIn?.signOut();
    this.view = { kind: 'signed-out', message: 'You are signed out.' };
  }

  protected override render(): TemplateResult {
    switch (this.view.kind) {
      case 'loading':
        return html`<main><p role="status">Loading the console…</p></main>`;
      case 'failed':
        return html`<main>
          <h1>Referrals admin</h1>
          <div class="error" role="alert">${this.view.message}</div>
          <p><a href="/admin" target="_self">Start again</a></p>
        </main>`;
      case 'signed-out':
        return this.renderSignIn(this.view.message);
      case 'signed-in':
        return this.renderConsole(this.view.admin);
    }
  }

  private renderSignIn(message?: string): TemplateResult {
    const config = this.config!;
    let body: TemplateResult;
    if (config.oidc) {
      body = html`<p>Sign in with your CircleTel staff account.</p>
        <button type="button" @click=${() => void this.signIn!.redirectToProvider()}>Sign in</button>`;
    } else if (config.devSignIn) {
      body = html`<p>
          No OpenID provider is configured (<code>OIDC_ISSUER</code> is not set), so this development sign-in is
          offered. It is never available in production.
        </p>
        <form @submit=${this.devSubmit}>
          <div class="field">
            <label for="dev-sub">Admin user id</label>
            <input id="dev-sub" name="sub" required maxlength="128" value="dev-admin" autocomplete="username" />
          </div>
          <fieldset>
            <legend>Permissions</legend>
            ${PERMISSIONS.map(
              (p) =>
                html`<div>
                  <input type="checkbox" id="perm-${p}" name="permissions" value=${p} checked />
                  <label for="perm-${p}">${p}</label>
                  <span class="hint">${PERMISSION_HINTS[p]}</span>
                </div>`,
            )}
          </fieldset>
          ${this.devError ? html`<div class="error" role="alert">${this.devError}</div>` : nothing}
          <button type="submit" ?disabled=${this.devBusy}>
            ${this.devBusy ? 'Signing in…' : 'Sign in for development'}
          </button>
        </form>`;
    } else {
      body = html`<div class="error" role="alert">Sign-in is not configured.</div>
        <p>The console signs in with your organisation's OpenID Connect provider. Set, and restart the service:</p>
        <dl class="facts">
          <dt><code>OIDC_ISSUER</code></dt>
          <dd>The provider's issuer URL, as in its discovery document.</dd>
          <dt><code>OIDC_CLIENT_ID</code></dt>
          <dd>A public client (authorization code with PKCE) for this console.</dd>
          <dt><code>OIDC_AUDIENCE</code></dt>
          <dd>This API's identifier at the provider (the access tokens' audience).</dd>
          <dt>Redirect URI</dt>
          <dd>Register <code>${location.origin}/admin/callback</code> for that client.</dd>
          <dt>Claims</dt>
          <dd>
            Admins need <code>role: admin</code> and their permissions in the token (claim names:
            <code>OIDC_ROLE_CLAIM</code>, <code>OIDC_PERMISSIONS_CLAIM</code>).
          </dd>
        </dl>`;
    }
    return html`<header class="top"><span class="brand">CircleTel referrals admin</span></header>
      <main id="main">
        <h1 tabindex="-1">Sign in</h1>
        ${message ? html`<p class="success" role="status">${message}</p>` : nothing}
        <div class="card">${body}</div>
      </main>`;
  }

  private renderConsole(admin: Admin): TemplateResult {
    const items = NAV.filter((n) => n.visible(admin));
    const current = (path: string) =>
      path === '/admin'
        ? this.path === '/admin' || this.path === '/admin/' || this.path.startsWith('/admin/customers')
        : this.path.startsWith(path);
    return html`<a class="skip" href="#main" @click=${this.skip}>Skip to content</a>
      <header class="top">
        <span class="brand">CircleTel referrals admin</span>
        <span class="who">
          <span>Signed in as <strong>${admin.sub}</strong></span>
          <button type="button" @click=${this.signOut}>Sign out</button>
        </span>
      </header>
      <nav class="main" aria-label="Console">
        <ul>
          ${items.map(
            (n) => html`<li><a href=${n.path} aria-current=${current(n.path) ? 'page' : 'false'}>${n.label}</a></li>`,
          )}
        </ul>
      </nav>
      <main id="main">${this.page(admin)}</main>`;
  }

  private skip(e: Event): void {
    e.preventDefault();
    this.querySelector<HTMLElement>('main h1')?.focus();
  }

  private page(admin: Admin): TemplateResult {
    const p = this.path.replace(/\/+$/, '') || '/admin';
    const customer = /^\/admin\/customers\/([^/]+)(?:\/([a-z-]+))?$/.exec(p);
    if (!has(admin, 'referrals:view') && p !== '/admin/link') {
      return html`<h1 tabindex="-1">Nothing to show</h1>
        <p>Your account may not view referrals (it lacks <code>referrals:view</code>).</p>`;
    }
    if (customer) {
      return html`<ct-customer-page
        .api=${this.api}
        .admin=${admin}
        .customerId=${decodeURIComponent(customer[1]!)}
        .tab=${customer[2] ?? 'referrals'}
      ></ct-customer-page>`;
    }
    switch (p) {
      case '/admin':
      case '/admin/callback':
        return html`<ct-search-page .api=${this.api} .admin=${admin}></ct-search-page>`;
      case '/admin/review':
        return html`<ct-review-page .api=${this.api} .admin=${admin}></ct-review-page>`;
      case '/admin/link':
        return html`<ct-link-page .api=${this.api} .admin=${admin}></ct-link-page>`;
      case '/admin/reconciliation':
        return html`<ct-reconciliation-page .api=${this.api} .admin=${admin}></ct-reconciliation-page>`;
      case '/admin/reports':
        return html`<ct-reports-page .api=${this.api} .admin=${admin}></ct-reports-page>`;
      default:
        return html`<h1 tabindex="-1">Page not found</h1>
          <p><a href="/admin">Back to the customer search</a></p>`;
    }
  }
}
define('circletel-admin', CircletelAdmin);
