/**
 * The demo page's development sign-in (GET /widget/demo, outside production): a customer id
 * becomes a short-lived token from POST /api/dev/sign-in, handed to the widget as its
 * tokenProvider (so a 401 fetches a fresh one). `?customer=<id>` signs in on load.
 */
interface DevToken {
  token: string;
  expiresAt: string;
}

const RECENT_KEY = 'circletel-widget-demo:recent-customers';
/** The customers `npm run dev:seed` creates. */
const SEEDED = ['cus_demo_lerato'];

const form = document.querySelector<HTMLFormElement>('#sign-in')!;
const input = document.querySelector<HTMLInputElement>('#customer-id')!;
const known = document.querySelector<HTMLDataListElement>('#known-customers')!;
const statusLine = document.querySelector<HTMLElement>('#status')!;
const signOut = document.querySelector<HTMLButtonElement>('#sign-out')!;
const widget = document.querySelector('circletel-referrals') as HTMLElement & {
  tokenProvider: (() => Promise<string>) | null;
  token: string | null;
};

function recent(): string[] {
  try {
    const value = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, 8) : [];
  } catch {
    return [];
  }
}

function remember(id: string): void {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify([id, ...recent().filter((r) => r !== id)].slice(0, 8)));
  } catch {
    // private mode: nothing to remember
  }
  renderKnown();
}

function renderKnown(): void {
  known.replaceChildren(
    ...[...new Set([...recent(), ...SEEDED])].map((id) =>
      Object.assign(document.createElement('option'), { value: id }),
    ),
  );
}

async function signIn(customerId: string): Promise<DevToken> {
  const res = await fetch('/api/dev/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'customer', customerId }),
  });
  const body = (await res.json().catch(() => ({}))) as Partial<DevToken> & { detail?: string };
  if (!res.ok || !body.token || !body.expiresAt) {
    throw new Error(body.detail ?? `Sign-in answered ${res.status}.`);
  }
  return body as DevToken;
}

async function start(customerId: string): Promise<void> {
  statusLine.textContent = `Signing in as ${customerId}…`;
  try {
    const first = await signIn(customerId);
    let handedOut = false;
    remember(customerId);
    const until = new Date(first.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    statusLine.textContent = `Signed in as ${customerId} (development token, valid until ${until}).`;
    signOut.hidden = false;
    // The first call gets the token we already have; later calls (after a 401) a fresh one.
    widget.tokenProvider = async () => {
      if (!handedOut) {
        handedOut = true;
        return first.token;
      }
      return (await signIn(customerId)).token;
    };
  } catch (e) {
    statusLine.textContent = `Could not sign in: ${(e as Error).message}`;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (form.reportValidity()) void start(input.value.trim());
});

signOut.addEventListener('click', () => {
  widget.tokenProvider = null;
  widget.token = null;
  signOut.hidden = true;
  statusLine.textContent = 'Signed out.';
  input.focus();
});

renderKnown();
const fromUrl = new URLSearchParams(location.search).get('customer');
if (fromUrl) {
  input.value = fromUrl;
  void start(fromUrl);
}
export {};
