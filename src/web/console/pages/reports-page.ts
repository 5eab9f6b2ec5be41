import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { ConsoleElement, define, errorBox, messageOf } from '../base.js';
import { creditNoteTable } from '../credit-note-table.js';
import { money, todaySast } from '../format.js';
import type { CreditNote } from '../types.js';

interface Counters {
  codesCreated: number;
  referralsAttributed: number;
  flagged: number;
  rejected: number;
  activated: number;
  qualified: number;
  rewardsEarned: number;
  rewardsGranted: number;
  rewardsRevoked: number;
  rewardsExpired: number;
  rewardsApplied: number;
  credits: { inclVat: string; vat: string; exclVat: string };
}
interface Month extends Counters {
  month: string;
  liabilityAtMonthEnd: { pendingRewards: number; amount: string; asOf: string };
}
interface Programme {
  from: string;
  to: string;
  months: Month[];
  totals: Counters;
}
interface Register {
  items: CreditNote[];
  nextCursor: string | null;
  totals: { count: number; inclVat: string; vat: string; exclVat: string };
}

const ROWS: { label: string; value: (c: Counters) => string | number }[] = [
  { label: 'Codes created', value: (c) => c.codesCreated },
  { label: 'Referrals attributed', value: (c) => c.referralsAttributed },
  { label: 'Flagged', value: (c) => c.flagged },
  { label: 'Rejected', value: (c) => c.rejected },
  { label: 'Activated', value: (c) => c.activated },
  { label: 'Qualified', value: (c) => c.qualified },
  { label: 'Free months earned', value: (c) => c.rewardsEarned },
  { label: 'Free months granted', value: (c) => c.rewardsGranted },
  { label: 'Free months revoked', value: (c) => c.rewardsRevoked },
  { label: 'Free months expired', value: (c) => c.rewardsExpired },
  { label: 'Free months applied', value: (c) => c.rewardsApplied },
  { label: 'Credits incl. VAT', value: (c) => money(c.credits.inclVat) },
  { label: 'VAT', value: (c) => money(c.credits.vat) },
  { label: 'Credits excl. VAT', value: (c) => money(c.credits.exclVat) },
];

const monthName = (m: string) =>
  new Intl.DateTimeFormat('en-ZA', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${m.slice(0, 7)}-01T00:00:00Z`),
  );

function firstOfMonthsAgo(months: number): string {
  const [y, m] = todaySast().split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - months, 1));
  return d.toISOString().slice(0, 10);
}

/** Finance: the programme report per month and the credit-note register with totals and its CSV. */
export class ReportsPage extends ConsoleElement {
  @state() private from = firstOfMonthsAgo(2);
  @state() private to = todaySast();
  @state() private programme: Programme | null = null;
  @state() private register: Register | null = null;
  @state() private busy = false;
  @state() private downloading = false;
  @state() private error = '';
  @state() private notice = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const period = { from: this.from, to: this.to };
      const [programme, register] = await Promise.all([
        this.api.get<Programme>('/api/admin/reports/programme', period),
        this.api.get<Register>('/api/admin/credit-notes', period),
      ]);
      this.programme = programme;
      this.register = register;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
    }
  }

  private async more(): Promise<void> {
    if (!this.register?.nextCursor) return;
    try {
      const page = await this.api.get<Register>('/api/admin/credit-notes', {
        from: this.from,
        to: this.to,
        cursor: this.register.nextCursor,
      });
      this.register = { ...page, items: [...this.register.items, ...page.items] };
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    this.from = String(data.get('from'));
    this.to = String(data.get('to'));
    if (this.to < this.from) {
      this.error = 'The last day must be on or after the first day.';
      return;
    }
    void this.load();
  }

  /** The whole period as CSV, fetched with the admin's token (a plain link could not send it), then saved. */
  private async download(): Promise<void> {
    if (this.downloading) return;
    this.downloading = true;
    this.error = '';
    try {
      const { blob, filename } = await this.api.download(
        '/api/admin/credit-notes',
        { from: this.from, to: this.to },
        'text/csv',
      );
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.notice = `Downloaded ${filename}.`;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.downloading = false;
    }
  }

  protected override render() {
    const p = this.programme;
    const r = this.register;
    return html`<h1 tabindex="-1">Reports</h1>
      <form class="card inline" @submit=${this.submit}>
        <div class="field">
          <label for="report-from">First day</label>
          <input id="report-from" name="from" type="date" required .value=${this.from} />
        </div>
        <div class="field">
          <label for="report-to">Last day</label>
          <input id="report-to" name="to" type="date" required .value=${this.to} />
        </div>
        <button type="submit" ?disabled=${this.busy}>Show</button>
      </form>
      ${errorBox(this.error)} ${this.notice ? html`<p class="success" role="status">${this.notice}</p>` : nothing}
      <h2 id="programme-heading">Programme report</h2>
      ${
        !p
          ? html`<p role="status">Loading…</p>`
          : html`<div class="scroll">
              <table aria-labelledby="programme-heading">
                <thead>
                  <tr>
                    <th scope="col">Per month (SAST)</th>
                    ${p.months.map((m) => html`<th scope="col" class="num">${monthName(m.month)}</th>`)}
                    <th scope="col" class="num">Total</th>
                  </tr>
                </thead>
                <tbody>
                  ${ROWS.map(
                    (row) =>
                      html`<tr>
                        <th scope="row">${row.label}</th>
                        ${p.months.map((m) => html`<td class="num">${row.value(m)}</td>`)}
                        <td class="num">${row.value(p.totals)}</td>
                      </tr>`,
                  )}
                  <tr>
                    <th scope="row">Pending free months at month end</th>
                    ${p.months.map((m) => html`<td class="num">${m.liabilityAtMonthEnd.pendingRewards}</td>`)}
                    <td class="num">—</td>
                  </tr>
                  <tr>
                    <th scope="row">Liability at month end</th>
                    ${p.months.map((m) => html`<td class="num">${money(m.liabilityAtMonthEnd.amount)}</td>`)}
                    <td class="num">—</td>
                  </tr>
                </tbody>
              </table>
            </div>`
      }
      <h2 id="register-heading">Credit-note register</h2>
      ${
        !r
          ? html`<p role="status">Loading…</p>`
          : html`<dl class="facts" aria-label="Register totals" id="register-totals">
                <dt>Credit notes</dt>
                <dd data-total="count">${r.totals.count}</dd>
                <dt>Incl. VAT</dt>
                <dd data-total="inclVat">${money(r.totals.inclVat)}</dd>
                <dt>VAT</dt>
                <dd data-total="vat">${money(r.totals.vat)}</dd>
                <dt>Excl. VAT</dt>
                <dd data-total="exclVat">${money(r.totals.exclVat)}</dd>
              </dl>
              <div class="actions">
                <button type="button" ?disabled=${this.downloading} @click=${this.download}>
                  ${this.downloading ? 'Downloading…' : 'Download CSV'}
                </button>
              </div>
              ${
                r.items.length
                  ? creditNoteTable(r.items, {
                      name: { labelledBy: 'register-heading' },
                      column: {
                        heading: 'Customer',
                        cell: (c) =>
                          html`<a href="/admin/customers/${encodeURIComponent(c.customerId)}/credit-notes"
                            >${c.customerId}</a
                          >`,
                      },
                    })
                  : html`<p>No credit notes issued in this period.</p>`
              }
              ${
                r.nextCursor
                  ? html`<button type="button" class="secondary" @click=${this.more}>More credit notes</button>`
                  : nothing
              }`
      }`;
  }
}
define('ct-reports-page', ReportsPage);
