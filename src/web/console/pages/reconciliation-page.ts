import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { ActionKey } from '../api.js';
import { ConsoleElement, define, errorBox, messageOf } from '../base.js';
import { count, formatDate, formatDateTime, money, statusWords, stepWords, todaySast } from '../format.js';
import type { Run, RunCounts } from '../types.js';

const POLL_MS = 500;

const countsInWords = (c: RunCounts) =>
  [
    `${count(c.referralsExpired, 'referral')} expired`,
    `${c.referralsQualified} qualified`,
    `${c.referralsCancelled} cancelled`,
    `${count(c.rewardsEarned, 'free month')} earned`,
    `${c.rewardsApplied} applied`,
    `${c.rewardsExpired} expired`,
  ].join(', ');

/**
 * The nightly reconciliation by hand: a dry run first (what a run for that date would do, nothing
 * written), then the real run, confirmed, started with `Prefer: respond-async` and followed until
 * it finishes. And the records of past runs.
 */
export class ReconciliationPage extends ConsoleElement {
  @state() private runs: Run[] | null = null;
  @state() private nextCursor: string | null = null;
  @state() private asOf = todaySast();
  @state() private dry: Run | null = null;
  @state() private live: Run | null = null;
  @state() private busy = false;
  @state() private error = '';
  private readonly dryKey = new ActionKey();
  private readonly realKey = new ActionKey();
  private polling = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(false);
  }

  override disconnectedCallback(): void {
    this.polling = false;
    super.disconnectedCallback();
  }

  private async load(more: boolean): Promise<void> {
    try {
      const page = await this.api.get<{ items: Run[]; nextCursor: string | null }>('/api/admin/reconciliation/runs', {
        cursor: more ? this.nextCursor : undefined,
      });
      this.runs = more && this.runs ? [...this.runs, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private dateChanged(event: Event): void {
    this.asOf = (event.target as HTMLInputElement).value;
    this.dry = null;
  }

  private async dryRun(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy || !(event.target as HTMLFormElement).reportValidity()) return;
    this.busy = true;
    this.error = '';
    this.live = null;
    try {
      const body = { asOf: this.asOf, dryRun: true };
      this.dry = await this.api.json<Run>('POST', '/api/admin/reconciliation/runs', {
        body,
        idempotencyKey: this.dryKey.for(body),
      });
      this.dryKey.done();
      await this.load(false);
      await this.updateComplete;
      this.querySelector<HTMLElement>('#dry-run-result')?.focus();
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
    }
  }

  private async realRun(): Promise<void> {
    if (this.busy || !this.dry) return;
    this.busy = true;
    this.error = '';
    try {
      const body = { asOf: this.dry.asOf };
      const run = await this.api.json<Run>('POST', '/api/admin/reconciliation/runs', {
        body,
        idempotencyKey: this.realKey.for(body),
        headers: { Prefer: 'respond-async' },
      });
      this.realKey.done();
      this.dry = null;
      this.live = run;
      await this.updateComplete;
      this.querySelector<HTMLElement>('#run-progress')?.focus();
      await this.follow(run);
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
    }
  }

  /** Polls the run record until it is no longer running. */
  private async follow(run: Run): Promise<void> {
    this.polling = true;
    let current = run;
    while (this.polling && current.status === 'running') {
      await new Promise((r) => setTimeout(r, POLL_MS));
      current = await this.api.get<Run>(`/api/admin/reconciliation/runs/${encodeURIComponent(run.id)}`);
      this.live = current;
    }
    this.polling = false;
    await this.load(false);
  }

  protected override render() {
    const mayRun = this.can('reconciliation:run');
    return html`<h1 tabindex="-1">Reconciliation</h1>
      <p class="muted">
        The nightly run expires, qualifies and cancels referrals, earns free months and applies them as credit notes.
      </p>
      ${mayRun ? this.renderRunForm() : nothing} ${errorBox(this.error)}
      <h2>Runs</h2>
      ${
        !this.runs
          ? html`<p role="status">Loading…</p>`
          : this.runs.length === 0
            ? html`<p>No runs yet.</p>`
            : html`<div class="scroll">
                <table>
                  <caption class="skip">
                    Reconciliation runs, newest first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Started</th>
                      <th scope="col">Business date</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Status</th>
                      <th scope="col">Counts</th>
                      <th scope="col" class="num">Credits</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${this.runs.map(
                      (r) =>
                        html`<tr>
                          <td>${formatDateTime(r.startedAt)}</td>
                          <td>${formatDate(r.asOf)}</td>
                          <td>${r.dryRun ? 'Dry run' : 'Run'} (${r.trigger})</td>
                          <td>
                            <span class="badge ${r.status}">${statusWords(r.status)}</span
                            >${r.error ? html`<div>${r.error}</div>` : nothing}
                          </td>
                          <td>${countsInWords(r.counts)}</td>
                          <td class="num">${money(r.creditsTotal)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
      }
      ${
        this.nextCursor
          ? html`<button type="button" class="secondary" @click=${() => this.load(true)}>More runs</button>`
          : nothing
      }`;
  }

  private renderRunForm(): TemplateResult {
    const live = this.live;
    return html`<form class="card" @submit=${this.dryRun}>
        <h2>Run by hand</h2>
        <div class="field">
          <label for="run-as-of">Business date</label>
          <input
            id="run-as-of"
            type="date"
            required
            .value=${this.asOf}
            max=${todaySast()}
            @change=${this.dateChanged}
          />
        </div>
        <button type="submit" ?disabled=${this.busy}>Dry run</button>
        <span class="hint">A dry run shows what a run would do and changes nothing.</span>
      </form>
      ${
        this.dry
          ? html`<div class="card" id="dry-run-result" tabindex="-1" role="region" aria-label="Dry run result">
              <h2>Dry run for ${formatDate(this.dry.asOf)}</h2>
              <p>
                A run for this date would do this: ${countsInWords(this.dry.counts)}; credits of
                ${money(this.dry.creditsTotal)}.
              </p>
              ${this.dry.status === 'failed' ? html`<div class="error">The dry run failed: ${this.dry.error}</div>` : nothing}
              <div class="actions">
                <button type="button" ?disabled=${this.busy} @click=${this.realRun}>
                  Confirm: run for ${formatDate(this.dry.asOf)}
                </button>
                <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => (this.dry = null)}>
                  Cancel
                </button>
              </div>
            </div>`
          : nothing
      }
      ${
        live
          ? html`<div class="card" id="run-progress" tabindex="-1" role="status" aria-live="polite">
              <h2>Run for ${formatDate(live.asOf)}: ${statusWords(live.status)}</h2>
              ${
                live.status === 'running'
                  ? html`<p>Now: ${stepWords(live.step)}.</p>
                      <progress aria-label="Run in progress"></progress>`
                  : nothing
              }
              <p>
                ${live.status === 'running' ? 'So far' : 'Done'}: ${countsInWords(live.counts)}; credits of
                ${money(live.creditsTotal)}.
              </p>
              ${live.error ? html`<div class="error">${live.error}</div>` : nothing}
            </div>`
          : nothing
      }`;
  }
}
define('ct-reconciliation-page', ReconciliationPage);
