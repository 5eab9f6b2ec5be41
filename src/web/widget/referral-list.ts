import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { define } from './define.js';
import { base } from './styles.js';
import type { MyReferral } from './types.js';
import { formatInstant, nextStepText, statusLabel, statusReasonText } from './wording.js';

/** The friends the customer referred: who, a status badge, and what happens next (or why it ended). */
export class ReferralList extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 0.15rem 0.75rem;
        padding: 0.75rem 0;
        border-top: 1px solid var(--_line);
      }
      li:first-child {
        border-top: 0;
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .email,
      .since {
        grid-column: 1 / -1;
        font-size: 0.875rem;
        overflow-wrap: anywhere;
      }
      .badge {
        grid-column: 2;
        grid-row: 1;
        align-self: start;
        padding: 0.15rem 0.6rem;
        border-radius: 999px;
        font-size: 0.8125rem;
        font-weight: 600;
        white-space: nowrap;
        background: #f3f4f6;
        color: #374151;
      }
      .badge.pending {
        background: #eff6ff;
        color: #1d4ed8;
      }
      .badge.active {
        background: #ecfdf5;
        color: #047857;
      }
      .badge.qualified {
        background: #fef3c7;
        color: #92400e;
      }
      .badge.rewarded {
        background: #f3e8ff;
        color: #6b21a8;
      }
      .badge.flagged {
        background: #fff7ed;
        color: #9a3412;
      }
      .next,
      .reason {
        grid-column: 1 / -1;
        margin-top: 0.25rem;
        font-size: 0.9375rem;
      }
      .next::before {
        content: '→ ';
        color: var(--_accent);
        font-weight: 700;
      }
      .empty {
        padding: 1rem;
        border: 1px dashed var(--_line);
        border-radius: 8px;
        text-align: center;
      }
    `,
  ];

  @property({ attribute: false }) referrals: MyReferral[] = [];

  private item(r: MyReferral) {
    const next = nextStepText(r.nextStep);
    const reason = statusReasonText(r.statusReason);
    return html`<li>
      <span class="name">${r.referredName}</span>
      <span class="badge ${r.status}"><span class="sr-only">Status: </span>${statusLabel(r.status)}</span>
      <span class="email muted">${r.referredEmail}</span>
      <span class="since muted">Signed up ${formatInstant(r.referredAt)}</span>
      ${next ? html`<p class="next">${next}</p>` : nothing}
      ${reason ? html`<p class="reason muted">${reason}</p>` : nothing}
    </li>`;
  }

  override render() {
    if (this.referrals.length === 0) {
      return html`<p class="empty muted">
        No friends yet. Share your code or link: friends who sign up with it appear here.
      </p>`;
    }
    return html`<ul aria-label="Friends you referred">
      ${this.referrals.map((r) => this.item(r))}
    </ul>`;
  }
}

define('ct-referral-list', ReferralList);
