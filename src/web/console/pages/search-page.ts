import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { ConsoleElement, define, errorBox, messageOf } from '../base.js';
import { formatDateTime } from '../format.js';

interface CustomerItem {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  referralCode: string | null;
  createdAt: string;
}

/** Customer search (GET /api/admin/customers?q=): id, name, e-mail, phone or code; "More" pages on. */
export class SearchPage extends ConsoleElement {
  @state() private q = new URLSearchParams(location.search).get('q') ?? '';
  @state() private items: CustomerItem[] = [];
  @state() private nextCursor: string | null = null;
  @state() private searched = false;
  @state() private busy = false;
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.q) void this.search(false);
  }

  private async search(more: boolean): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const page = await this.api.get<{ items: CustomerItem[]; nextCursor: string | null }>('/api/admin/customers', {
        q: this.q,
        cursor: more ? this.nextCursor : undefined,
      });
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      this.searched = true;
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = false;
    }
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    this.q = input.value.trim();
    if (!this.q) {
      this.error = 'Type an id, a name, an e-mail address, a phone number or a referral code.';
      return;
    }
    history.replaceState(null, '', `/admin?q=${encodeURIComponent(this.q)}`);
    void this.search(false);
  }

  protected override render() {
    return html`<h1 tabindex="-1">Customers</h1>
      <form class="card inline" role="search" @submit=${this.submit}>
        <div class="field">
          <label for="customer-q">Find a customer</label>
          <input
            id="customer-q"
            name="q"
            type="search"
            .value=${this.q}
            maxlength="100"
            size="32"
            aria-describedby="customer-q-hint"
          />
          <span class="hint" id="customer-q-hint">Customer id, name, e-mail, phone number or referral code</span>
        </div>
        <button type="submit" ?disabled=${this.busy}>Search</button>
      </form>
      ${errorBox(this.error)}
      ${
        this.searched
          ? html`<p role="status">
                ${
                  this.items.length
                    ? `${this.items.length}${this.nextCursor ? '+' : ''} customer${this.items.length === 1 ? '' : 's'} found`
                    : `No customer matches “${this.q}”.`
                }
              </p>
              ${
                this.items.length
                  ? html`<div class="scroll">
                      <table>
                        <caption class="skip">
                          Customers matching ${this.q}
                        </caption>
                        <thead>
                          <tr>
                            <th scope="col">Name</th>
                            <th scope="col">Customer id</th>
                            <th scope="col">E-mail</th>
                            <th scope="col">Phone</th>
                            <th scope="col">Referral code</th>
                            <th scope="col">Signed up</th>
                          </tr>
                        </thead>
                        <tbody>
                          ${this.items.map(
                            (c) =>
                              html`<tr>
                                <td><a href="/admin/customers/${encodeURIComponent(c.id)}">${c.name}</a></td>
                                <td>${c.id}</td>
                                <td>${c.email}</td>
                                <td>${c.phone ?? '—'}</td>
                                <td>${c.referralCode ?? '—'}</td>
                                <td>${formatDateTime(c.createdAt)}</td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                    </div>`
                  : nothing
              }
              ${
                this.nextCursor
                  ? html`<div class="actions">
                      <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.search(true)}>
                        More customers
                      </button>
                    </div>`
                  : nothing
              }`
          : nothing
      }`;
  }
}
define('ct-search-page', SearchPage);
