/**
 * <circletel-referrals> — the customer referral widget (SPEC §13). An ES module served at
 * /widget/referrals.js; everything it shows comes from the customer API at `api-base`.
 *
 *   <script type="module" src="https://referrals.circletel.co.za/widget/referrals.js"></script>
 *   <circletel-referrals></circletel-referrals>
 *   <script>document.querySelector('circletel-referrals').tokenProvider = () => myApp.customerJwt();</script>
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiClient, ApiError, type Problem, type TokenProvider } from './api-client.js';
import './copy-field.js';
import { define } from './define.js';
import './referral-list.js';
import './referral-progress.js';
import './referral-qr.js';
import './reward-summary.js';
import './share-buttons.js';
import { base } from './styles.js';
import type { MyReferral, MyReferralCode, MyReferralsPage, ReferralBalance } from './types.js';

/** The origin this module was loaded from: the default `api-base`. */
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;
const PAGE_SIZE = 20;

type View =
  | { kind: 'signed-out' }
  | { kind: 'loading' }
  | { kind: 'error'; problem: Problem }
  | {
      kind: 'ready';
      code: MyReferralCode;
      referrals: MyReferral[];
      nextCursor: string | null;
      balance: ReferralBalance;
    };

export class CircletelReferrals extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        max-width: 760px;
        container-type: inline-size;
      }
      :host([hidden]) {
        display: none;
      }
      .card {
        border: 1px solid var(--_line);
        border-radius: var(--_radius);
        background: #fff;
        overflow: hidden;
      }
      header {
        padding: 1.1rem 1.25rem 1rem;
        background: var(--_ink);
        color: #fff;
        border-bottom: 4px solid var(--_accent);
      }
      header h2 {
        font-size: 1.25rem;
        line-height: 1.25;
      }
      header p {
        margin-top: 0.25rem;
        color: #e5e7eb;
        font-size: 0.9375rem;
      }
      section {
        padding: 1rem 1.25rem;
        border-top: 1px solid var(--_line);
      }
      header + section {
        border-top: 0;
      }
      h3 {
        margin-bottom: 0.6rem;
        font-size: 1rem;
      }
      .share {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 1rem 1.5rem;
        align-items: start;
      }
      .share .fields {
        display: grid;
        gap: 0.75rem;
        min-width: 0;
      }
      @container (max-width: 520px) {
        .share {
          grid-template-columns: minmax(0, 1fr);
        }
        header,
        section {
          padding-left: 1rem;
          padding-right: 1rem;
        }
      }
      .state {
        padding: 1.25rem;
        display: grid;
        gap: 0.75rem;
        justify-items: start;
      }
      .problem {
        border-left: 4px solid #b91c1c;
        background: #fef2f2;
      }
      .problem .title {
        font-weight: 700;
        color: #991b1b;
      }
      .skeleton {
        display: grid;
        gap: 0.6rem;
        width: 100%;
      }
      .skeleton span {
        display: block;
        height: 0.9rem;
        border-radius: 6px;
        background: #f3f4f6;
      }
      .skeleton span:nth-child(2) {
        width: 70%;
      }
      .skeleton span:nth-child(3) {
        width: 45%;
      }
      @media (prefers-reduced-motion: no-preference) {
        .skeleton span {
          animation: pulse 1.2s ease-in-out infinite alternate;
        }
        @keyframes pulse {
          to {
            background: #e5e7eb;
          }
        }
      }
      .more {
        margin-top: 0.75rem;
      }
    `,
  ];

  /** Where the customer API is; default: the origin this script was loaded from. */
  @property({ attribute: 'api-base' }) apiBase = '';
  /** The customer's JWT. */
  @property({ attribute: false }) token: string | null = null;
  /** Returns the customer's JWT; called again (once) when the API answers 401. Wins over `token`. */
  @property({ attribute: false }) tokenProvider: TokenProvider | null = null;

  @state() private view: View = { kind: 'signed-out' };
  @state() private loadingMore = false;

  private api?: ApiClient;
  private apiFor = '';
  private generation = 0;

  /** The API base without a trailing slash. */
  private get base(): string {
    return (this.apiBase || SCRIPT_ORIGIN).replace(/\/+$/, '');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('apiBase') || changed.has('token') || changed.has('tokenProvider')) {
      void this.load();
    }
  }

  /** (Re)loads everything: the code (created on first use), the first page of referrals, the balance. */
  async load(): Promise<void> {
    const generation = ++this.generation;
    if (!this.token && !this.tokenProvider) {
      this.view = { kind: 'signed-out' };
      return;
    }
    if (!this.api || this.apiFor !== this.base) {
      this.api = new ApiClient(this.base, () => ({ token: this.token, tokenProvider: this.tokenProvider }));
      this.apiFor = this.base;
    }
    const api = this.api;
    api.reset();
    this.view = { kind: 'loading' };
    try {
      const [code, page, balance] = await Promise.all([
        api.post<MyReferralCode>('/api/customer/referrals'),
        api.get<MyReferralsPage>(`/api/customer/referrals?limit=${PAGE_SIZE}`),
        api.get<ReferralBalance>('/api/customer/referral-balance'),
      ]);
      if (generation !== this.generation) return;
      this.view = { kind: 'ready', code, referrals: page.items, nextCursor: page.nextCursor, balance };
    } catch (e) {
      if (generation !== this.generation) return;
      this.view = { kind: 'error', problem: this.problemOf(e) };
    }
  }

  private problemOf(e: unknown): Problem {
    return e instanceof ApiError
      ? e.problem
      : { status: 0, code: 'WIDGET_ERROR', detail: 'Something went wrong on this page. Try again.' };
  }

  private async loadMore(): Promise<void> {
    const view = this.view;
    if (view.kind !== 'ready' || !view.nextCursor || !this.api) return;
    this.loadingMore = true;
    try {
      const page = await this.api.get<MyReferralsPage>(
        `/api/customer/referrals?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(view.nextCursor)}`,
      );
      if (this.view === view) {
        this.view = { ...view, referrals: [...view.referrals, ...page.items], nextCursor: page.nextCursor };
      }
    } catch (e) {
      this.view = { kind: 'error', problem: this.problemOf(e) };
    } finally {
      this.loadingMore = false;
    }
  }

  private renderState() {
    const view = this.view;
    switch (view.kind) {
      case 'signed-out':
        return html`<div class="state" role="status"><p>Sign in to see your referrals.</p></div>`;
      case 'loading':
        return html`<div class="state" role="status" aria-busy="true">
          <p>Loading your referrals…</p>
          <div class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
        </div>`;
      case 'error':
        return html`<div class="state problem" role="alert">
          <p class="title">${view.problem.status === 401 ? 'You are signed out' : 'We couldn’t load your referrals'}</p>
          <p>${view.problem.detail}</p>
          <button class="button" type="button" @click=${() => this.load()}>Try again</button>
        </div>`;
      case 'ready':
        return this.renderReady(view);
    }
  }

  private renderReady(view: Extract<View, { kind: 'ready' }>) {
    const { code, referrals, nextCursor, balance } = view;
    const total = view.code.stats.total;
    return html`<section aria-labelledby="share-heading">
        <h3 id="share-heading">Share your code</h3>
        <div class="share">
          <div class="fields">
            <ct-copy-field
              label="Your referral code"
              .value=${code.referralCode}
              button-label="Copy code"
              confirmation="Referral code copied"
              big
            ></ct-copy-field>
            <ct-copy-field
              label="Your referral link"
              .value=${code.referralLink}
              button-label="Copy link"
              confirmation="Referral link copied"
            ></ct-copy-field>
            <ct-share-buttons .link=${code.referralLink} .code=${code.referralCode}></ct-share-buttons>
          </div>
          <ct-referral-qr .link=${code.referralLink}></ct-referral-qr>
        </div>
      </section>
      <section aria-labelledby="progress-heading">
        <h3 id="progress-heading">Your progress</h3>
        <ct-referral-progress
          .qualified=${code.progress.qualified}
          .required=${code.progress.required}
          .label=${code.progress.label}
        ></ct-referral-progress>
      </section>
      <section aria-labelledby="rewards-heading">
        <h3 id="rewards-heading">Your free months</h3>
        <ct-reward-summary .balance=${balance}></ct-reward-summary>
      </section>
      <section aria-labelledby="list-heading">
        <h3 id="list-heading">Friends you referred${total ? ` (${total})` : ''}</h3>
        <ct-referral-list .referrals=${referrals}></ct-referral-list>
        ${
          nextCursor
            ? html`<button
                class="button secondary more"
                type="button"
                ?disabled=${this.loadingMore}
                @click=${() => this.loadMore()}
              >
                ${this.loadingMore ? 'Loading…' : 'Show more friends'}
              </button>`
            : nothing
        }
      </section>`;
  }

  override render() {
    return html`<article class="card" aria-labelledby="title">
      <header>
        <h2 id="title">Refer a friend, get a free month</h2>
        <p>When two friends you refer get connected and stay connected, your next month is on us.</p>
      </header>
      ${this.renderState()}
    </article>`;
  }
}

define('circletel-referrals', CircletelReferrals);

declare global {
  interface HTMLElementTagNameMap {
    'circletel-referrals': CircletelReferrals;
  }
}
