import { css, html, LitElement, svg } from 'lit';
import { property } from 'lit/decorators.js';
import { encode } from 'uqr';
import { define } from './define.js';
import { base } from './styles.js';

/** One SVG path for the dark modules: a run of dark modules on a row is one rectangle. */
export function qrPath(data: boolean[][]): string {
  let d = '';
  data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      d += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  });
  return d;
}

/** The referral link as a QR code, drawn here as SVG (encoded by uqr; nothing is fetched). */
export class ReferralQr extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      figure {
        margin: 0;
        display: grid;
        justify-items: center;
        gap: 0.35rem;
      }
      svg {
        display: block;
        width: var(--ct-qr-size, 152px);
        height: var(--ct-qr-size, 152px);
        background: #fff;
        border: 1px solid var(--_line);
        border-radius: 8px;
      }
      figcaption {
        font-size: 0.8125rem;
        text-align: center;
      }
    `,
  ];

  @property() link = '';

  override render() {
    if (!this.link) return html``;
    // Medium error correction; a quiet zone of 2 modules (the white border scanners need).
    const qr = encode(this.link, { ecc: 'M', border: 2 });
    return html`<figure>
      <svg
        viewBox="0 0 ${qr.size} ${qr.size}"
        role="img"
        aria-label="QR code of your referral link"
        shape-rendering="crispEdges"
      >
        ${svg`<path fill="#111827" d=${qrPath(qr.data)}></path>`}
      </svg>
      <figcaption class="muted">Scan to open your link</figcaption>
    </figure>`;
  }
}

define('ct-referral-qr', ReferralQr);
