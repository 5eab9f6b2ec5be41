import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ActionKey, ApiError, type ApiClient } from './api.js';
import type { Admin, Permission } from './session.js';

/** Define once (a page may import the module twice through different routes). */
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}

export const messageOf = (e: unknown) =>
  e instanceof ApiError ? e.message : e instanceof Error ? e.message : 'Something went wrong.';

/**
 * A console page: light DOM (one stylesheet in console.html, labels and ids work across the
 * page), the API client and the signed-in admin given by the app.
 */
export class ConsoleElement extends LitElement {
  @property({ attribute: false }) api!: ApiClient;
  @property({ attribute: false }) admin!: Admin;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected can(permission: Permission): boolean {
    return this.admin?.permissions.includes(permission) ?? false;
  }

  /** Client-side navigation to another console page. */
  protected go(path: string): void {
    this.dispatchEvent(new CustomEvent('navigate', { detail: path, bubbles: true, composed: true }));
  }
}

export const errorBox = (message: string) =>
  message ? html`<div class="error" role="alert">${message}</div>` : nothing;

let dialogs = 0;

/**
 * A confirmation with a reason (grant, revoke, approve, reject): a native modal <dialog> (focus
 * moves in and stays in; Escape closes), the reason required (3–500 characters, as the API
 * says), the confirm button disabled while the request is in flight, the error in words inside
 * the dialog, and the focus back on the button that opened it afterwards.
 */
export class ReasonDialog extends LitElement {
  @property() heading = '';
  @property() confirmLabel = 'Confirm';
  @property({ type: Boolean }) danger = false;
  @state() private busy = false;
  @state() private error = '';
  @state() private body: TemplateResult | string = '';
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('textarea') private reason!: HTMLTextAreaElement;
  private readonly uid = `reason-dialog-${++dialogs}`;
  private trigger: HTMLElement | null = null;
  private action: ((reason: string) => Promise<void>) | null = null;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Opens the dialog; `action` runs on confirm with the reason (throw to show an error and stay open). */
  async open(opts: {
    heading: string;
    confirmLabel: string;
    body?: TemplateResult | string;
    danger?: boolean;
    action: (reason: string) => Promise<void>;
  }): Promise<void> {
    this.trigger = document.activeElement as HTMLElement | null;
    this.heading = opts.heading;
    this.confirmLabel = opts.confirmLabel;
    this.body = opts.body ?? '';
    this.danger = opts.danger ?? false;
    this.action = opts.action;
    this.error = '';
    this.busy = false;
    await this.updateComplete;
    this.reason.value = '';
    this.dialog.showModal();
    this.reason.focus();
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.action) return;
    const form = event.target as HTMLFormElement;
    if (!form.reportValidity()) return;
    this.busy = true;
    this.error = '';
    try {
      await this.action(this.reason.value.trim());
      this.dialog.close();
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
    }
  }

  private closed(): void {
    const back = this.trigger;
    this.trigger = null;
    if (back?.isConnected) back.focus();
    this.dispatchEvent(new CustomEvent('dialog-closed'));
  }

  protected override render() {
    return html`<dialog aria-labelledby="${this.uid}-h" @close=${this.closed}>
      <form @submit=${this.submit} novalidate>
        <h2 id="${this.uid}-h">${this.heading}</h2>
        ${this.body ? html`<div>${this.body}</div>` : nothing}
        <div class="field">
          <label for="${this.uid}-r">Reason</label>
          <textarea
            id="${this.uid}-r"
            name="reason"
            required
            minlength="3"
            maxlength="500"
            aria-describedby="${this.uid}-hint"
          ></textarea>
          <span class="hint" id="${this.uid}-hint">Required, 3–500 characters. Recorded in the audit log.</span>
        </div>
        ${errorBox(this.error)}
        <div class="actions">
          <button type="submit" class=${this.danger ? 'danger' : ''} ?disabled=${this.busy} aria-busy=${this.busy}>
            ${this.busy ? 'Working…' : this.confirmLabel}
          </button>
          <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.dialog.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>`;
  }
}
define('ct-reason-dialog', ReasonDialog);

/** Re-exported for pages. */
export { ActionKey };
