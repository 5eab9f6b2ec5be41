import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { formatDate, formatDateTime, money } from './format.js';
import type { CreditNote } from './types.js';

/**
 * The table of credit notes the customer page and the register share: number, issue time, a
 * third column of the caller's (the service, or the customer as a link), period and the three
 * amounts. Named by a visually hidden caption or by a heading on the page.
 */
export function creditNoteTable(
  items: readonly CreditNote[],
  options: {
    name: { caption: string } | { labelledBy: string };
    column: { heading: string; cell: (note: CreditNote) => unknown };
  },
): TemplateResult {
  const { name, column } = options;
  return html`<div class="scroll">
    <table aria-labelledby=${ifDefined('labelledBy' in name ? name.labelledBy : undefined)}>
      ${
        'caption' in name
          ? html`<caption class="skip">
              ${name.caption}
            </caption>`
          : nothing
      }
      <thead>
        <tr>
          <th scope="col">Number</th>
          <th scope="col">Issued</th>
          <th scope="col">${column.heading}</th>
          <th scope="col">Period</th>
          <th scope="col" class="num">Incl. VAT</th>
          <th scope="col" class="num">VAT</th>
          <th scope="col" class="num">Excl. VAT</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (c) =>
            html`<tr>
              <td>${c.number}</td>
              <td>${formatDateTime(c.issuedAt)}</td>
              <td>${column.cell(c)}</td>
              <td>${formatDate(c.periodStart)} – ${formatDate(c.periodEnd)}</td>
              <td class="num">${money(c.amountInclVat)}</td>
              <td class="num">${money(c.vatAmount)}</td>
              <td class="num">${money(c.amountExclVat)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
