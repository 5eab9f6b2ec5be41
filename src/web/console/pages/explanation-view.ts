import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ConsoleElement, define, errorBox, messageOf } from '../base.js';
import { formatDate, formatDateTime, money, ruleWords, statusWords } from '../format.js';
import type { Explanation } from '../types.js';

const evidence = (e: Record<string, unknown> | null | undefined) =>
  e && Object.keys(e).length ? html`<pre>${JSON.stringify(e, null, 1)}</pre>` : nothing;

/** The decision trail of one referral (GET /api/admin/referrals/{id}/explain, SPEC §12). */
export class ExplanationView extends ConsoleElement {
  @property({ attribute: false }) referralId = '';
  @state() private data: Explanation | null = null;
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.data = await this.api.get<Explanation>(
        `/api/admin/referrals/${encodeURIComponent(this.referralId)}/explain`,
      );
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  protected override render() {
    if (this.error) return errorBox(this.error);
    const d = this.data;
    if (!d) return html`<p role="status">Loading the explanation…</p>`;
    return html`<section class="explanation" aria-label="Explanation">
      <h4>Why it is ${statusWords(d.referral.status).toLowerCase()}</h4>
      <dl class="facts">
        ${
          d.referral.statusReason
            ? html`<dt>Reason</dt>
                <dd>${d.referral.statusReason.replaceAll('_', ' ')}</dd>`
            : nothing
        }
        ${
          d.referral.nextStep
            ? html`<dt>Next step</dt>
                <dd>
                  ${d.referral.nextStep.kind.replaceAll('_', ' ')} ${formatDate(d.referral.nextStep.on ?? undefined)}
                </dd>`
            : nothing
        }
        ${
          d.review
            ? html`<dt>Review</dt>
                <dd>${d.review.decision} by ${d.review.by} on ${formatDateTime(d.review.at)}: ${d.review.reason}</dd>`
            : nothing
        }
      </dl>
      <h4>Facts used</h4>
      <ul class="flags">
        ${d.facts.map(
          (f) =>
            html`<li>
              ${f.what.replaceAll('_', ' ')} on
              ${formatDateTime(f.at)}${f.sourceEventId ? ` (event ${f.sourceEventId})` : ''}
            </li>`,
        )}
      </ul>
      <h4>Fraud rules</h4>
      <ul class="flags">
        ${d.fraudRules.map(
          (r) =>
            html`<li><strong>${ruleWords(r.rule)}</strong>: ${r.outcome} — ${r.detail}${evidence(r.evidence)}</li>`,
        )}
        ${d.unrecordedRules.length ? html`<li>Not recorded: ${d.unrecordedRules.map(ruleWords).join(', ')}</li>` : nothing}
      </ul>
      <h4>History</h4>
      <ol class="flags">
        ${d.history.map(
          (h) =>
            html`<li>
              ${formatDateTime(h.at)}:
              ${h.what.replaceAll('_', ' ')}${h.from || h.to ? ` (${h.from ?? '—'} → ${h.to ?? '—'})` : ''}, by
              ${h.by.kind.replaceAll('_', ' ')}${h.by.id ? ` ${h.by.id}` : ''}
            </li>`,
        )}
      </ol>
      ${
        d.reward
          ? html`<h4>Reward</h4>
              <p>
                ${statusWords(d.reward.status)} free month, earned ${formatDateTime(d.reward.earnedAt)}, expires
                ${formatDateTime(d.reward.expiresAt)}.
              </p>`
          : nothing
      }
      ${
        d.creditNote
          ? html`<h4>Credit note</h4>
              <p>
                ${d.creditNote.number}: ${money(d.creditNote.amountInclVat)} for ${formatDate(d.creditNote.periodStart)}
                – ${formatDate(d.creditNote.periodEnd)}.
              </p>`
          : nothing
      }
    </section>`;
  }
}
define('ct-explanation', ExplanationView);
