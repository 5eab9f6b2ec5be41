import { css, html, LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { define } from './define.js';
import { base } from './styles.js';

/**
 * A value the customer copies (their code, their link): the value, a Copy button, and a visible
 * confirmation in a status region, so screen readers announce it too.
 */
export class CopyField extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        container-type: inline-size;
      }
      .field {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        align-items: center;
        gap: 0.35rem 0.75rem;
      }
      .label {
        grid-column: 1 / -1;
        font-size: 0.875rem;
        font-weight: 600;
        color: var(--_muted);
      }
      .value {
        min-width: 0;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--_line);
        border-radius: 8px;
        background: #f9fafb;
        font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
        font-size: 0.95rem;
        overflow-wrap: anywhere;
        user-select: all;
      }
      .value.big {
        font-size: 1.2rem;
        font-weight: 700;
        letter-spacing: 0.04em;
      }
      .field button {
        min-width: 8.5em;
      }
      .status {
        grid-column: 1 / -1;
        font-size: 0.875rem;
        color: #047857;
      }
      .status.idle {
        margin-top: -0.35rem;
      }
      .status.failed {
        color: #b91c1c;
      }
      @container (max-width: 360px) {
        .field {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  /** What the value is, shown above it: "Your code". */
  @property() label = '';
  @property() value = '';
  /** The button's words: "Copy code". */
  @property({ attribute: 'button-label' }) buttonLabel = 'Copy';
  /** What is announced once copied: "Referral code copied". */
  @property() confirmation = 'Copied';
  @property({ type: Boolean }) big = false;

  @state() private message = '';
  @state() private failed = false;
  private timer?: ReturnType<typeof setTimeout>;

  private async copy(): Promise<void> {
    clearTimeout(this.timer);
    try {
      await navigator.clipboard.writeText(this.value);
      this.failed = false;
      this.message = `${this.confirmation} to your clipboard.`;
    } catch {
      // No clipboard (permission refused, insecure page): select the text for a manual copy.
      this.failed = true;
      this.message = 'Copying is not available here: the text is selected, copy it with your keyboard.';
      const node = this.renderRoot.querySelector('.value');
      const selection = getSelection();
      if (node && selection) selection.selectAllChildren(node);
    }
    this.timer = setTimeout(() => (this.message = ''), 6000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  override render() {
    return html`<div class="field">
      <span class="label">${this.label}</span>
      <span class="value ${this.big ? 'big' : ''}">${this.value}</span>
      <button class="button secondary" type="button" @click=${this.copy}>${this.buttonLabel}</button>
      <span class="status ${this.failed ? 'failed' : ''} ${this.message ? '' : 'idle'}" role="status"
        >${this.message}</span
      >
    </div>`;
  }
}

define('ct-copy-field', CopyField);
