import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { define } from './define.js';
import { base } from './styles.js';

/**
 * Progress towards the next free month: the API's label ("1/2") and a bar with proper ARIA. The
 * width is set through the CSSOM (styleMap), which a host page's strict CSP allows.
 */
export class ReferralProgress extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        justify-content: space-between;
        gap: 0.25rem 1rem;
      }
      .label {
        font-size: 1.5rem;
        font-weight: 700;
      }
      .track {
        margin-top: 0.5rem;
        height: 12px;
        border-radius: 999px;
        background: var(--_line);
        overflow: hidden;
      }
      .fill {
        height: 100%;
        border-radius: 999px;
        background: var(--_accent);
      }
      @media (prefers-reduced-motion: no-preference) {
        .fill {
          transition: width 400ms ease;
        }
      }
    `,
  ];

  /** Qualified referrals not yet used by a reward, as the API counts them. */
  @property({ type: Number }) qualified = 0;
  @property({ type: Number }) required = 2;
  /** The API's label, e.g. "1/2". */
  @property() label = '';

  override render() {
    const now = Math.min(this.qualified, this.required);
    const percent = this.required > 0 ? (now / this.required) * 100 : 0;
    return html`<div class="head">
        <span id="what">Friends who qualified towards your next free month</span>
        <span class="label" aria-hidden="true">${this.label}</span>
      </div>
      <div
        class="track"
        role="progressbar"
        aria-labelledby="what"
        aria-valuemin="0"
        aria-valuemax=${this.required}
        aria-valuenow=${now}
        aria-valuetext=${`${this.label}: ${now} of ${this.required} friends`}
      >
        <div class="fill" style=${styleMap({ width: `${percent}%` })}></div>
      </div>`;
  }
}

define('ct-referral-progress', ReferralProgress);
