import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ActionKey } from '../api.js';
import { creditNoteTable } from '../credit-note-table.js';
import { ConsoleElement, define, errorBox, messageOf, type ReasonDialog } from '../base.js';
import '../base.js';
import './explanation-view.js';
import {
  actionWords,
  count,
  formatDateTime,
  REFERRAL_STATUSES,
  rewardStatusWords,
  ruleWords,
  statusWords,
} from '../format.js';
import type { AdminReferral, AdminReward, AuditEntry, CreditNote, Overview } from '../types.js';

const TABS = [
  { id: 'referrals', label: 'Referrals' },
  { id: 'rewards', label: 'Rewards' },
  { id: 'credit-notes', label: 'Credit notes' },
  { id: 'audit-log', label: 'Audit log' },
] as const;

/** One customer: Referrals, Rewards (grant, revoke), Credit notes and Audit log tabs (deep-linkable). */
export class CustomerPage extends ConsoleElement {
  @property({ attribute: false }) customerId = '';
  @property({ attribute: false }) tab = 'referrals';
  @state() private overview: Overview | null = null;
  @state() private status = '';
  @state() private error = '';
  @state() private notice = '';
  @state() private busy = false;
  @state() private explained = new Set<string>();
  @state() private notes: { items: CreditNote[]; nextCursor: string | null } | null = null;
  @state() private audit: { items: AuditEntry[]; nextCursor: string | null } | null = null;
  @query('ct-reason-dialog') private dialog!: ReasonDialog;
  private readonly grantKey = new ActionKey();
  private readonly revokeKey = new ActionKey();
  private loadedFor = '';

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('customerId') && this.customerId !== this.loadedFor) {
      this.loadedFor = this.customerId;
      this.overview = null;
      this.notes = null;
      this.audit = null;
      this.notice = '';
      void this.loadOverview();
    }
    if (changed.has('tab') || changed.has('customerId')) {
      if (this.tab === 'credit-notes' && !this.notes) void this.loadNotes(false);
      if (this.tab === 'audit-log') void this.loadAudit(false);
    }
  }

  private get base(): string {
    return `/api/admin/customers/${encodeURIComponent(this.customerId)}`;
  }

  private async loadOverview(more = false): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const page = await this.api.get<Overview>(`${this.base}/referrals`, {
        status: this.status || undefined,
        cursor: more ? this.overview?.nextCursor : undefined,
      });
      this.overview =
        more && this.overview ? { ...page, referrals: [...this.overview.referrals, ...page.referrals] } : page;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
    }
  }

  private async loadNotes(more: boolean): Promise<void> {
    try {
      const page = await this.api.get<{ items: CreditNote[]; nextCursor: string | null }>(`${this.base}/credit-notes`, {
        cursor: more ? this.notes?.nextCursor : undefined,
      });
      this.notes = more && this.notes ? { ...page, items: [...this.notes.items, ...page.items] } : page;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private async loadAudit(more: boolean): Promise<void> {
    try {
      const page = await this.api.get<{ items: AuditEntry[]; nextCursor: string | null }>(`${this.base}/audit-log`, {
        cursor: more ? this.audit?.nextCursor : undefined,
      });
      this.audit = more && this.audit ? { ...page, items: [...this.audit.items, ...page.items] } : page;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private filter(event: Event): void {
    this.status = (event.target as HTMLSelectElement).value;
    void this.loadOverview();
  }

  private toggleExplain(id: string): void {
    const next = new Set(this.explained);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.explained = next;
  }

  private grant(): void {
    const name = this.overview?.customer.name ?? this.customerId;
    void this.dialog.open({
      heading: `Grant a free month to ${name}`,
      confirmLabel: 'Grant free month',
      body: html`<p>A free month is added to their pending rewards and credited on a coming bill.</p>`,
      action: async (reason) => {
        const body = { reason };
        const res = await this.api.json<{ rewardId: string; expiresAt: string }>(
          'POST',
          `${this.base}/referrals/grant`,
          {
            body,
            idempotencyKey: this.grantKey.for(body),
          },
        );
        this.grantKey.done();
        this.audit = null;
        await this.loadOverview();
        this.notice = `Free month granted. It expires on ${formatDateTime(res.expiresAt)} if not used.`;
      },
    });
  }

  private revoke(reward: AdminReward): void {
    void this.dialog.open({
      heading: 'Revoke this free month?',
      confirmLabel: 'Revoke free month',
      danger: true,
      body: html`<p>
        The free month earned on ${formatDateTime(reward.earnedAt)} will not be credited. This cannot be undone.
      </p>`,
      action: async (reason) => {
        const body = { rewardId: reward.id, reason };
        await this.api.json('POST', `${this.base}/referrals/revoke`, {
          body,
          idempotencyKey: this.revokeKey.for(body),
        });
        this.revokeKey.done();
        this.audit = null;
        await this.loadOverview();
        this.notice = 'Free month revoked.';
      },
    });
  }

  protected override render() {
    const o = this.overview;
    const path = `/admin/customers/${encodeURIComponent(this.customerId)}`;
    return html`<p><a href="/admin">← Customer search</a></p>
      <h1 tabindex="-1">${o ? o.customer.name : `Customer ${this.customerId}`}</h1>
      ${
        o
          ? html`<div class="card">
              <dl class="facts">
                <dt>Customer id</dt>
                <dd>${o.customer.id}</dd>
                <dt>E-mail</dt>
                <dd>${o.customer.email}</dd>
                <dt>Referral code</dt>
                <dd>${o.customer.referralCode ?? 'None yet'}</dd>
              </dl>
              <ul class="stats" aria-label="Programme totals">
                <li>${count(o.stats.totalReferrals, 'referral')}</li>
                <li>${o.stats.activeReferrals} active</li>
                <li>${o.stats.qualifiedReferrals} qualified</li>
                <li>${count(o.stats.rewardsEarned, 'free month')} earned</li>
                <li>${o.stats.rewardsPending} pending</li>
                <li>${o.stats.rewardsApplied} applied</li>
                <li>${o.stats.rewardsRevoked} revoked</li>
                <li>${o.stats.rewardsExpired} expired</li>
              </ul>
            </div>`
          : nothing
      }
      ${errorBox(this.error)} ${this.notice ? html`<p class="success" role="status">${this.notice}</p>` : nothing}
      <nav class="tabs" aria-label="Customer sections">
        <ul>
          ${TABS.map(
            (t) =>
              html`<li>
                <a href="${path}/${t.id}" aria-current=${this.tab === t.id ? 'page' : 'false'}>${t.label}</a>
              </li>`,
          )}
        </ul>
      </nav>
      <section aria-labelledby="tab-heading">${this.renderTab()}</section>
      <ct-reason-dialog></ct-reason-dialog>`;
  }

  private renderTab(): TemplateResult {
    switch (this.tab) {
      case 'rewards':
        return this.renderRewards();
      case 'credit-notes':
        return this.renderNotes();
      case 'audit-log':
        return this.renderAudit();
      default:
        return this.renderReferrals();
    }
  }

  private renderReferrals(): TemplateResult {
    const o = this.overview;
    return html`<h2 id="tab-heading">Referrals</h2>
      <div class="field">
        <label for="status-filter">Status</label>
        <select id="status-filter" @change=${this.filter} .value=${this.status}>
          <option value="">All statuses</option>
          ${REFERRAL_STATUSES.map((s) => html`<option value=${s} ?selected=${this.status === s}>${statusWords(s)}</option>`)}
        </select>
      </div>
      ${
        !o
          ? html`<p role="status">Loading…</p>`
          : o.referrals.length === 0
            ? html`<p>No referrals${this.status ? ` with status “${statusWords(this.status)}”` : ''}.</p>`
            : html`<ul class="plain" aria-label="Referrals" style="list-style:none;padding:0">
                ${o.referrals.map((r) => html`<li>${this.renderReferral(r)}</li>`)}
              </ul>`
      }
      ${
        o?.nextCursor
          ? html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.loadOverview(true)}>
              More referrals
            </button>`
          : nothing
      }`;
  }

  private renderReferral(r: AdminReferral): TemplateResult {
    const open = this.explained.has(r.id);
    return html`<article class="card" aria-labelledby="ref-${r.id}">
      <h3 id="ref-${r.id}">${r.referredName} <span class="badge ${r.status}">${statusWords(r.status)}</span></h3>
      <dl class="facts">
        <dt>Friend</dt>
        <dd><a href="/admin/customers/${encodeURIComponent(r.referredId)}">${r.referredId}</a> · ${r.referredEmail}</dd>
        <dt>Code</dt>
        <dd>${r.code} (${r.source ?? 'unknown source'})</dd>
        <dt>Signed up</dt>
        <dd>${formatDateTime(r.referredAt)}</dd>
        <dt>Connected</dt>
        <dd>${formatDateTime(r.activatedAt)}</dd>
        <dt>Qualified</dt>
        <dd>${formatDateTime(r.qualifiedAt)}</dd>
        ${
          r.review !== 'none'
            ? html`<dt>Review</dt>
                <dd>${r.review}</dd>`
            : nothing
        }
      </dl>
      ${
        r.fraudFlags.length
          ? html`<h4>Fraud findings</h4>
              <ul class="flags">
                ${r.fraudFlags.map(
                  (f) =>
                    html`<li>
                      <strong>${ruleWords(f.rule)}</strong> (${f.outcome === 'reject' ? 'rejected' : 'flagged'}):
                      ${f.detail}
                    </li>`,
                )}
              </ul>`
          : nothing
      }
      <div class="actions">
        <button
          type="button"
          class="secondary"
          aria-expanded=${open}
          aria-controls="explain-${r.id}"
          @click=${() => this.toggleExplain(r.id)}
        >
          ${open ? 'Hide explanation' : 'Explain'}<span class="skip"> referral of ${r.referredName}</span>
        </button>
      </div>
      <div id="explain-${r.id}">
        ${open ? html`<ct-explanation .api=${this.api} .referralId=${r.id}></ct-explanation>` : nothing}
      </div>
    </article>`;
  }

  private renderRewards(): TemplateResult {
    const o = this.overview;
    const manage = this.can('referrals:manage');
    return html`<h2 id="tab-heading">Rewards</h2>
      ${
        manage
          ? html`<div class="actions"><button type="button" @click=${this.grant}>Grant a free month</button></div>`
          : nothing
      }
      ${
        !o
          ? html`<p role="status">Loading…</p>`
          : o.rewards.length === 0
            ? html`<p>No free months yet.</p>`
            : html`<div class="scroll">
                <table>
                  <caption class="skip">
                    Free months
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Status</th>
                      <th scope="col">Earned</th>
                      <th scope="col">Expires</th>
                      <th scope="col">How</th>
                      <th scope="col">Notes</th>
                      ${manage ? html`<th scope="col">Action</th>` : nothing}
                    </tr>
                  </thead>
                  <tbody>
                    ${o.rewards.map(
                      (w) =>
                        html`<tr>
                          <td><span class="badge ${w.status}">${rewardStatusWords(w.status)}</span></td>
                          <td>${formatDateTime(w.earnedAt)}</td>
                          <td>${formatDateTime(w.expiresAt)}</td>
                          <td>
                            ${w.manuallyGranted ? 'Granted by hand' : `Earned by ${count(w.referralIds.length, 'referral')}`}
                          </td>
                          <td>
                            ${w.grantReason ? html`<div>Granted: ${w.grantReason}</div>` : nothing}
                            ${w.revokedAt ? html`<div>Revoked ${formatDateTime(w.revokedAt)}: ${w.revokeReason}</div>` : nothing}
                            ${w.appliedAt ? html`<div>Applied ${formatDateTime(w.appliedAt)}</div>` : nothing}
                          </td>
                          ${
                            manage
                              ? html`<td>
                                  ${
                                    w.status === 'pending'
                                      ? html`<button type="button" class="danger" @click=${() => this.revoke(w)}>
                                          Revoke<span class="skip">
                                            free month earned ${formatDateTime(w.earnedAt)}</span
                                          >
                                        </button>`
                                      : nothing
                                  }
                                </td>`
                              : nothing
                          }
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
      }`;
  }

  private renderNotes(): TemplateResult {
    const n = this.notes;
    return html`<h2 id="tab-heading">Credit notes</h2>
      ${
        !n
          ? html`<p role="status">Loading…</p>`
          : n.items.length === 0
            ? html`<p>No credit notes issued to this customer.</p>`
            : creditNoteTable(n.items, {
                name: { caption: 'Credit notes' },
                column: { heading: 'Service', cell: (c) => c.serviceId },
              })
      }
      ${
        n?.nextCursor
          ? html`<button type="button" class="secondary" @click=${() => this.loadNotes(true)}>
              More credit notes
            </button>`
          : nothing
      }`;
  }

  private renderAudit(): TemplateResult {
    const a = this.audit;
    const json = (v: unknown) => (v == null ? '—' : JSON.stringify(v, null, 1));
    return html`<h2 id="tab-heading">Audit log</h2>
      ${
        !a
          ? html`<p role="status">Loading…</p>`
          : a.items.length === 0
            ? html`<p>No admin action on this customer yet.</p>`
            : html`<ol aria-label="Audit log, newest first" style="list-style:none;padding:0">
                ${a.items.map(
                  (e) =>
                    html`<li class="card">
                      <h3>${actionWords(e.action)}</h3>
                      <dl class="facts">
                        <dt>When</dt>
                        <dd>${formatDateTime(e.at)}</dd>
                        <dt>By</dt>
                        <dd>${e.actor}</dd>
                        <dt>Subject</dt>
                        <dd>${e.subjectId}</dd>
                        <dt>Reason</dt>
                        <dd>${e.reason ?? '—'}</dd>
                        <dt>Before</dt>
                        <dd><pre>${json(e.before)}</pre></dd>
                        <dt>After</dt>
                        <dd><pre>${json(e.after)}</pre></dd>
                      </dl>
                    </li>`,
                )}
              </ol>`
      }
      ${
        a?.nextCursor
          ? html`<button type="button" class="secondary" @click=${() => this.loadAudit(true)}>More entries</button>`
          : nothing
      }`;
  }
}
define('ct-customer-page', CustomerPage);
