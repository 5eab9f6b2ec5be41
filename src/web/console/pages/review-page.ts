import { html, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import { ActionKey } from '../api.js';
import { ConsoleElement, define, errorBox, messageOf, type ReasonDialog } from '../base.js';
import { formatDateTime, ruleWords } from '../format.js';
import type { AdminReferral } from '../types.js';
import './explanation-view.js';

/** The review queue (GET /api/admin/referrals/flagged): evidence, approve or reject with a reason. */
export class ReviewPage extends ConsoleElement {
  @state() private items: AdminReferral[] | null = null;
  @state() private nextCursor: string | null = null;
  @state() private error = '';
  @state() private notice = '';
  @state() private explained = new Set<string>();
  @query('ct-reason-dialog') private dialog!: ReasonDialog;
  private readonly keys = new Map<string, ActionKey>();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(false);
  }

  private async load(more: boolean): Promise<void> {
    try {
      const page = await this.api.get<{ items: AdminReferral[]; nextCursor: string | null }>(
        '/api/admin/referrals/flagged',
        { cursor: more ? this.nextCursor : undefined },
      );
      this.items = more && this.items ? [...this.items, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private review(r: AdminReferral, decision: 'approve' | 'reject'): void {
    const key = this.keys.get(`${r.id}:${decision}`) ?? new ActionKey();
    this.keys.set(`${r.id}:${decision}`, key);
    void this.dialog.open({
      heading: `${decision === 'approve' ? 'Approve' : 'Reject'} the referral of ${r.referredName}?`,
      confirmLabel: decision === 'approve' ? 'Approve referral' : 'Reject referral',
      danger: decision === 'reject',
      body: html`<p>
        ${
          decision === 'approve'
            ? 'The referral goes on as if it had not been flagged.'
            : 'The referral ends; it never earns a free month.'
        }
      </p>`,
      action: async (reason) => {
        const body = { decision, reason };
        const res = await this.api.json<{ id: string; status: string }>(
          'POST',
          `/api/admin/referrals/${encodeURIComponent(r.id)}/review`,
          { body, idempotencyKey: key.for(body) },
        );
        key.done();
        this.notice = `Referral of ${r.referredName} ${decision === 'approve' ? 'approved' : 'rejected'}: it is now ${res.status}.`;
        this.items = (this.items ?? []).filter((i) => i.id !== r.id);
        // The dialog gives the focus back to its button, which is gone: the heading takes it.
        requestAnimationFrame(() => this.querySelector<HTMLElement>('h1')?.focus());
      },
    });
  }

  private toggle(id: string): void {
    const next = new Set(this.explained);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.explained = next;
  }

  protected override render() {
    const manage = this.can('referrals:manage');
    return html`<h1 tabindex="-1">Review queue</h1>
      <p class="muted">Referrals flagged by the fraud rules, oldest first.</p>
      ${errorBox(this.error)} ${this.notice ? html`<p class="success" role="status">${this.notice}</p>` : nothing}
      ${
        !this.items
          ? html`<p role="status">Loading…</p>`
          : this.items.length === 0
            ? html`<p>Nothing to review.</p>`
            : html`<ul aria-label="Flagged referrals" style="list-style:none;padding:0">
                ${this.items.map((r) => {
                  const open = this.explained.has(r.id);
                  return html`<li>
                    <article class="card" aria-labelledby="flag-${r.id}">
                      <h2 id="flag-${r.id}">${r.referredName}</h2>
                      <dl class="facts">
                        <dt>Friend</dt>
                        <dd>
                          <a href="/admin/customers/${encodeURIComponent(r.referredId)}">${r.referredId}</a> ·
                          ${r.referredEmail}
                        </dd>
                        <dt>Referred by</dt>
                        <dd>
                          <a href="/admin/customers/${encodeURIComponent(r.referrerId)}">${r.referrerId}</a> (code
                          ${r.code})
                        </dd>
                        <dt>Signed up</dt>
                        <dd>${formatDateTime(r.referredAt)}</dd>
                      </dl>
                      <h3>Evidence</h3>
                      <ul class="flags">
                        ${r.fraudFlags.map((f) => html`<li><strong>${ruleWords(f.rule)}</strong>: ${f.detail}</li>`)}
                      </ul>
                      <div class="actions">
                        ${
                          manage
                            ? html`<button type="button" @click=${() => this.review(r, 'approve')}>
                                  Approve<span class="skip"> referral of ${r.referredName}</span>
                                </button>
                                <button type="button" class="danger" @click=${() => this.review(r, 'reject')}>
                                  Reject<span class="skip"> referral of ${r.referredName}</span>
                                </button>`
                            : nothing
                        }
                        <button type="button" class="secondary" aria-expanded=${open} @click=${() => this.toggle(r.id)}>
                          ${open ? 'Hide explanation' : 'Explain'}<span class="skip">
                            referral of ${r.referredName}</span
                          >
                        </button>
                      </div>
                      ${open ? html`<ct-explanation .api=${this.api} .referralId=${r.id}></ct-explanation>` : nothing}
                    </article>
                  </li>`;
                })}
              </ul>`
      }
      ${
        this.nextCursor
          ? html`<button type="button" class="secondary" @click=${() => this.load(true)}>
              More flagged referrals
            </button>`
          : nothing
      }
      <ct-reason-dialog></ct-reason-dialog>`;
  }
}
define('ct-review-page', ReviewPage);
