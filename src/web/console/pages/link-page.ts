import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { ActionKey } from '../api.js';
import { ConsoleElement, define, errorBox, messageOf } from '../base.js';
import { formatDateTime, statusWords } from '../format.js';

interface Linked {
  id: string;
  referrerId: string;
  referredId: string;
  status: string;
  referredAt: string;
}

/**
 * Link a referral after the fact (POST /api/admin/referrals): the friend forgot the code. Screened
 * by every fraud rule and audited by the API; allowed up to 30 days after their signup.
 */
export class LinkPage extends ConsoleElement {
  @state() private busy = false;
  @state() private error = '';
  @state() private linked: Linked | null = null;
  private readonly key = new ActionKey();

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    if (this.busy || !form.reportValidity()) return;
    const data = new FormData(form);
    const body = {
      referrerId: String(data.get('referrerId')).trim(),
      referredId: String(data.get('referredId')).trim(),
      reason: String(data.get('reason')).trim(),
    };
    this.busy = true;
    this.error = '';
    this.linked = null;
    try {
      this.linked = await this.api.json<Linked>('POST', '/api/admin/referrals', {
        body,
        idempotencyKey: this.key.for(body),
      });
      this.key.done();
      form.reset();
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    if (!this.can('referrals:manage')) {
      return html`<h1 tabindex="-1">Link a referral</h1>
        <p>Your account may not link referrals (it lacks <code>referrals:manage</code>).</p>`;
    }
    const l = this.linked;
    return html`<h1 tabindex="-1">Link a referral</h1>
      <p class="muted">
        For a friend who forgot the code at signup: allowed up to 30 days after their signup, if nobody referred them
        yet. The fraud rules check it like any referral, and it is recorded in the audit log.
      </p>
      <form class="card" @submit=${this.submit}>
        <div class="field">
          <label for="link-referrer">Referrer's customer id</label>
          <input
            id="link-referrer"
            name="referrerId"
            required
            maxlength="64"
            pattern="[A-Za-z0-9_\\-]+"
            autocomplete="off"
          />
        </div>
        <div class="field">
          <label for="link-referred">Friend's customer id</label>
          <input
            id="link-referred"
            name="referredId"
            required
            maxlength="64"
            pattern="[A-Za-z0-9_\\-]+"
            autocomplete="off"
          />
        </div>
        <div class="field">
          <label for="link-reason">Reason</label>
          <textarea
            id="link-reason"
            name="reason"
            required
            minlength="3"
            maxlength="500"
            aria-describedby="link-reason-hint"
          ></textarea>
          <span class="hint" id="link-reason-hint">Required, 3–500 characters. Recorded in the audit log.</span>
        </div>
        ${errorBox(this.error)}
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Linking…' : 'Link referral'}</button>
      </form>
      ${
        l
          ? html`<div class="success" role="status">
              Referral linked: <a href="/admin/customers/${encodeURIComponent(l.referredId)}">${l.referredId}</a> is now
              referred by <a href="/admin/customers/${encodeURIComponent(l.referrerId)}">${l.referrerId}</a>, signed up
              ${formatDateTime(l.referredAt)}, status ${statusWords(l.status).toLowerCase()}.
            </div>`
          : nothing
      }`;
  }
}
define('ct-link-page', LinkPage);
