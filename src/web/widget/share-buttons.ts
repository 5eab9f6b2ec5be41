import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { define } from './define.js';
import { base } from './styles.js';
import { emailHref, whatsAppHref } from './wording.js';

/** Share the link: WhatsApp (wa.me) and e-mail (mailto:), plain links the customer chooses to follow. */
export class ShareButtons extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      ul {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(7.5rem, 1fr));
        gap: 0.5rem;
        max-width: 22rem;
      }
      a {
        width: 100%;
        padding-left: 0.75em;
        padding-right: 0.75em;
      }
      svg {
        width: 1.15em;
        height: 1.15em;
        flex: none;
      }
    `,
  ];

  @property() link = '';
  @property() code = '';

  override render() {
    return html`<ul aria-label="Share your link">
      <li>
        <a class="button" href=${whatsAppHref(this.link, this.code)} target="_blank" rel="noopener noreferrer">
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
            <path
              d="M12 2a10 10 0 0 0-8.6 15.1L2 22l5-1.3A10 10 0 1 0 12 2Zm0 18.2a8.2 8.2 0 0 1-4.2-1.2l-.3-.2-3 .8.8-2.9-.2-.3A8.2 8.2 0 1 1 12 20.2Zm4.5-6.1c-.2-.1-1.5-.7-1.7-.8-.2-.1-.4-.1-.6.1l-.8 1c-.1.2-.3.2-.5.1a6.7 6.7 0 0 1-3.3-2.9c-.3-.4.2-.4.7-1.3.1-.2 0-.3 0-.4l-.8-1.8c-.2-.5-.4-.4-.6-.4h-.5a1 1 0 0 0-.7.3 3 3 0 0 0-.9 2.2 5.1 5.1 0 0 0 1.1 2.7 11.7 11.7 0 0 0 4.5 4c1.7.7 2.3.8 3.2.6a2.7 2.7 0 0 0 1.8-1.3 2.2 2.2 0 0 0 .1-1.3c0-.1-.2-.2-.5-.3Z"
            />
          </svg>
          <span><span class="sr-only">Share on </span>WhatsApp<span class="sr-only"> (opens in a new tab)</span></span>
        </a>
      </li>
      <li>
        <a class="button" href=${emailHref(this.link, this.code)}>
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
            <rect x="3" y="5" width="18" height="14" rx="2" />
            <path d="m3 7 9 6 9-6" />
          </svg>
          <span><span class="sr-only">Share by </span>E-mail</span>
        </a>
      </li>
    </ul>`;
  }
}

define('ct-share-buttons', ShareButtons);
