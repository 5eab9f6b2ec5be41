import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { define } from './define.js';
import { base } from './styles.js';
import type { ReferralBalance } from './types.js';
import { expectedCreditText, formatInstant, formatPeriod, formatRand, freeMonths } from './wording.js';

/** The free months the customer has: how many are waiting, the credit each is expected to become, and those applied. */
export class RewardSummary extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .count {
        font-size: 1.25rem;
        font-weight: 700;
      }
      ul {
        margin-top: 0.5rem;
        display: grid;
        gap: 0.5rem;
      }
      li {
        padding: 0.6rem 0.75rem;
        border-radius: 8px;
        background: var(--_soft);
        overflow-wrap: anywhere;
      }
      li.applied {
        background: #f9fafb;
      }
      .expected {
        font-weight: 600;
      }
      .small {
        font-size: 0.875rem;
      }
      h4 {
        margin: 0.75rem 0 0;
        font-size: 0.9375rem;
      }
    `,
  ];

  @property({ attribute: false }) balance?: ReferralBalance;

  override render() {
    const b = this.balance;
    if (!b) return nothing;
    return html`<p class="count">
        ${b.availableRewards > 0 ? `${freeMonths(b.availableRewards)} waiting for you` : 'No free months yet'}
      </p>
      ${
        b.pendingRewards.length
          ? html`<ul aria-label="Free months waiting">
              ${b.pendingRewards.map((r) => {
                const expected = expectedCreditText(r);
                return html`<li>
                  ${expected ? html`<p class="expected">${expected}</p>` : nothing}
                  <p class="small muted">
                    Free month earned ${formatInstant(r.earnedAt)}${r.manuallyGranted ? ' (a gift from our team)' : ''};
                    use it by ${formatInstant(r.expiresAt)}
                  </p>
                </li>`;
              })}
            </ul>`
          : nothing
      }
      ${
        b.appliedRewards.length
          ? html`<h4>Already on your bill</h4>
              <ul aria-label="Free months already on your bill">
                ${b.appliedRewards.map(
                  (a) =>
                    html`<li class="applied small">
                      ${formatRand(a.amountWaived)} off your bill for ${formatPeriod(a.periodStart, a.periodEnd)}
                      <span class="muted">(credit note ${a.creditNoteNumber})</span>
                    </li>`,
                )}
              </ul>`
          : nothing
      }`;
  }
}

define('ct-reward-summary', RewardSummary);
