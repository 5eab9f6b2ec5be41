import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { BusinessDate } from '#libs/ddd/index.js';
import { formatDate, formatPeriod } from '../../src/web/widget/wording.js';
import { adminToken, bearer, customerToken, TEST_JWT_SECRET } from '../support/auth.js';
import { customerCreated, sendBillingEvent, serviceActivated, TEST_BILLING_SECRET } from '../support/billing.js';
import { launchBrowser, openPage, screenshot, seriousA11yViolations, type BrowserPage } from '../support/browser.js';
import { ensureServiceBuilt } from '../support/build.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, startBuiltService, type RunningService } from '../support/process.js';

/**
 * SPEC §13 in a real browser (Debian's Chromium, headless): the widget as a customer meets it,
 * embedded in a dashboard served from ANOTHER origin, talking to the compiled service running
 * as in production (`node dist/src/main.js`, NODE_ENV=production) on a fresh database. State
 * comes in through signed billing webhooks and the admin API, with real JWTs.
 *
 * `npm run screenshots` (WIDGET_SCREENSHOTS=1) also writes src/web/screenshots/widget-{320,1280}.png.
 */

const SCREENSHOTS = process.env.WIDGET_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.resolve('src/web/screenshots');
const REFERRER = 'cus_lerato';

let db: TestDatabase;
let service: RunningService;
let api: string;
let host: http.Server;
let hostOrigin: string;
let browser: Browser;
let referralCode: string;
const open: BrowserPage[] = [];

/** The customer's dashboard, on another origin: it loads the widget from the service. */
function hostPage(apiBase?: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>My CircleTel account</title>
    <link rel="icon" href="data:," />
    <script type="module" src="${api}/widget/referrals.js"></script>
  </head>
  <body style="margin: 0; background: #f3f4f6; font-family: sans-serif">
    <main style="padding: 12px">
      <h1 style="margin: 0 0 12px; font-size: 1.25rem">My account</h1>
      <circletel-referrals${apiBase ? ` api-base="${apiBase}"` : ''}></circletel-referrals>
    </main>
  </body>
</html>`;
}

const daysAgo = (today: BusinessDate, days: number) => `${today.plusDays(-days).toString()}T08:00:00.000Z`;

async function billing(event: Parameters<typeof sendBillingEvent>[1]): Promise<void> {
  const res = await sendBillingEvent(api, event);
  expect([res.status, res.body]).toEqual([200, expect.objectContaining({ received: true })]);
}

/** Lerato (R799.00 a month) and five friends: qualified, connected, signed up, one being checked and one never connected. */
async function seed(): Promise<void> {
  const today = BusinessDate.ofInstant(new Date());
  await billing(
    customerCreated({ customerId: REFERRER, name: 'Lerato Mokoena', email: 'lerato@example.net' }, daysAgo(today, 120)),
  );
  await billing(serviceActivated(REFERRER, { serviceId: 'svc_lerato', monthlyPrice: '799.00' }, daysAgo(today, 120)));
  const code = await request(api)
    .post('/api/customer/referrals')
    .set(bearer(customerToken(REFERRER)))
    .expect(201);
  referralCode = code.body.referralCode;
  const friends = [
    { customerId: 'cus_sipho', name: 'Sipho Dlamini', email: 'sipho.dlamini@example.net', signedUp: 45, connected: 40 },
    { customerId: 'cus_thabo', name: 'Thabo Nkosi', email: 'thabo.nkosi@example.net', signedUp: 20, connected: 12 },
    { customerId: 'cus_ayanda', name: 'Ayanda Zulu', email: 'ayanda.zulu@example.net', signedUp: 6 },
    { customerId: 'cus_kim', name: 'Kim Naidoo', email: 'kim.naidoo@mailinator.com', signedUp: 3 },
    { customerId: 'cus_nomsa', name: 'Nomsa Khumalo', email: 'nomsa.khumalo@example.net', signedUp: 50 },
  ];
  for (const f of friends) {
    await billing(
      customerCreated(
        { customerId: f.customerId, name: f.name, email: f.email, referralCode, referralSource: 'url_param' },
        daysAgo(today, f.signedUp),
      ),
    );
    if (f.connected) await billing(serviceActivated(f.customerId, {}, daysAgo(today, f.connected)));
  }
  const admin = bearer(adminToken());
  await request(api).post('/api/admin/reconciliation/runs').set(admin).send({ asOf: today.toString() }).expect(201);
  await request(api)
    .post(`/api/admin/customers/${REFERRER}/referrals/grant`)
    .set(admin)
    .send({ reason: 'Goodwill: a free month for the widget test' })
    .expect(201);
}

beforeAll(async () => {
  const building = ensureServiceBuilt();
  db = await createTestDatabase();
  host = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(hostPage(url.searchParams.get('api-base') ?? undefined));
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  const [, launched] = await Promise.all([building, launchBrowser()]);
  browser = launched;
  service = await startBuiltService(db.url, {
    JWT_SECRET: TEST_JWT_SECRET,
    BILLING_WEBHOOK_SECRET: TEST_BILLING_SECRET,
    OUTBOUND_WEBHOOK_SECRET: 'test-outbound-webhook-secret',
    OUTBOX_RELAY_ENABLED: 'false',
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    WIDGET_ALLOWED_ORIGINS: hostOrigin,
  });
  api = service.baseUrl;
  await seed();
}, 240_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await new Promise((resolve) => host?.close(resolve));
  await db?.drop();
});

async function dashboard(opts: { width?: number; apiBase?: string; clipboard?: boolean } = {}): Promise<BrowserPage> {
  const p = await openPage(browser, { width: opts.width, clipboardFor: opts.clipboard ? [hostOrigin] : [] });
  open.push(p);
  const query = opts.apiBase ? `?api-base=${encodeURIComponent(opts.apiBase)}` : '';
  await p.page.goto(`${hostOrigin}/${query}`);
  return p;
}

/** What the host app does once its customer is signed in: hands the widget the JWT. */
async function giveToken(page: Page, token: string): Promise<void> {
  await page.evaluate(
    `customElements.whenDefined('circletel-referrals').then(() => { document.querySelector('circletel-referrals').token = ${JSON.stringify(token)}; })`,
  );
}

async function signedInDashboard(opts: { width?: number; clipboard?: boolean } = {}): Promise<BrowserPage> {
  const p = await dashboard(opts);
  await giveToken(p.page, customerToken(REFERRER));
  await p.page.getByRole('heading', { name: /Friends you referred/ }).waitFor();
  return p;
}

/** The element that has the focus, inside shadow roots: its text and focus outline. */
async function focused(page: Page): Promise<{ text: string; outline: string; outlineWidth: number }> {
  return (await page.evaluate(`(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    const style = getComputedStyle(el);
    return { text: (el.textContent || '').replace(/\\s+/g, ' ').trim(), outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) };
  })()`)) as { text: string; outline: string; outlineWidth: number };
}

const readClipboard = (page: Page) => page.evaluate('navigator.clipboard.readText()') as Promise<string>;

describe('<circletel-referrals> on a dashboard of another origin, against the compiled service in production mode', () => {
  it('shows the code, the link, its QR code, progress 1/2, the free month and each friend with a status badge and masked e-mail, calling no host but api-base, with no serious or critical axe-core violation', async () => {
    const { page, requests } = await signedInDashboard({ width: 1280 });

    await expect(page.getByText(referralCode, { exact: true }).isVisible()).resolves.toBe(true);
    const link = `https://www.circletel.co.za/?ref=${referralCode}`;
    await expect(page.getByText(link, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('img', { name: 'QR code of your referral link' }).isVisible()).resolves.toBe(true);

    const progress = page.getByRole('progressbar', { name: 'Friends who qualified towards your next free month' });
    await expect(progress.getAttribute('aria-valuenow')).resolves.toBe('1');
    await expect(progress.getAttribute('aria-valuemax')).resolves.toBe('2');
    await expect(page.getByText('1/2', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('1 free month waiting for you').isVisible()).resolves.toBe(true);

    const friends = page.getByRole('list', { name: 'Friends you referred' }).getByRole('listitem');
    await expect(friends.count()).resolves.toBe(5);
    const friend = async (name: string) =>
      (await friends.filter({ hasText: name }).innerText()).replace(/\s+/g, ' ').trim();
    expect(await friend('Ayanda Zulu')).toMatch(/Ayanda Zulu.*Signed up.*a\*\*\*@example\.net/);
    expect(await friend('Thabo Nkosi')).toMatch(/Connected.*t\*\*\*@example\.net/);
    expect(await friend('Sipho Dlamini')).toMatch(/Qualified.*s\*\*\*@example\.net/);
    expect(await friend('Kim Naidoo')).toMatch(/Being checked.*k\*\*\*@mailinator\.com/);
    expect(await friend('Nomsa Khumalo')).toMatch(/Expired.*n\*\*\*@example\.net/);
    expect(await friends.allInnerTexts()).not.toContainEqual(expect.stringMatching(/ayanda\.zulu@/));

    // The page is the host's; everything the widget fetched came from api-base.
    const widgetRequests = requests.filter((u) => !u.startsWith(`${hostOrigin}/`));
    expect(widgetRequests.length).toBeGreaterThanOrEqual(4);
    expect(widgetRequests.filter((u) => new URL(u).origin !== api)).toEqual([]);

    // WCAG 2.1 AA: contrast, names, roles (axe-core, inside the shadow roots).
    expect(await seriousA11yViolations(page, 'circletel-referrals')).toEqual([]);

    if (SCREENSHOTS)
      await screenshot(page.locator('circletel-referrals'), path.join(SCREENSHOT_DIR, 'widget-1280.png'));
  });

  it("tells each friend's next step with the API's dates, why an ended referral ended, and when the free month will be credited (SPEC §12)", async () => {
    const { page } = await signedInDashboard({ width: 1280 });
    const today = BusinessDate.ofInstant(new Date());
    const friends = page.getByRole('list', { name: 'Friends you referred' }).getByRole('listitem');
    const friend = async (name: string) =>
      (await friends.filter({ hasText: name }).innerText()).replace(/\s+/g, ' ').trim();

    // Signed up 6 days ago: connected by R+30. Connected 12 days ago: counts on A+30.
    expect(await friend('Ayanda Zulu')).toContain(
      `Your friend must be connected by ${formatDate(today.plusDays(-6 + 30).toString())}`,
    );
    expect(await friend('Thabo Nkosi')).toContain(
      `Counts towards your reward on ${formatDate(today.plusDays(-12 + 30).toString())} if their service stays active`,
    );
    expect(await friend('Sipho Dlamini')).toContain('waiting for a second friend');
    expect(await friend('Kim Naidoo')).toContain('Being checked by our team');
    // Never connected within 30 days: the reason, and never a fraud rule's name.
    expect(await friend('Nomsa Khumalo')).toContain('Your friend was not connected in time');
    expect((await friends.allInnerTexts()).join(' ')).not.toMatch(/DISPOSABLE|BURST|SHARED_IP|not_eligible/);

    // The granted month: the cycle and day the API's planner gives, in words.
    const balance = await request(api)
      .get('/api/customer/referral-balance')
      .set(bearer(customerToken(REFERRER)))
      .expect(200);
    const credit = balance.body.pendingRewards[0].expectedCredit;
    expect(credit).toEqual(expect.objectContaining({ serviceId: 'svc_lerato', amount: expect.any(String) }));
    await expect(
      page
        .getByText(
          `Expected: R${credit.amount} off your bill for ${formatPeriod(credit.periodStart, credit.periodEnd)}, applied on ${formatDate(credit.appliesOn)}`,
        )
        .isVisible(),
    ).resolves.toBe(true);
  });

  it('copies the code and the link to the clipboard, and says so in a status message', async () => {
    const { page } = await signedInDashboard({ clipboard: true });

    await page.getByRole('button', { name: 'Copy code' }).click();
    await expect(readClipboard(page)).resolves.toBe(referralCode);
    await expect(
      page.getByRole('status').filter({ hasText: 'Referral code copied to your clipboard.' }).isVisible(),
    ).resolves.toBe(true);

    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(readClipboard(page)).resolves.toBe(`https://www.circletel.co.za/?ref=${referralCode}`);
    await expect(
      page.getByRole('status').filter({ hasText: 'Referral link copied to your clipboard.' }).isVisible(),
    ).resolves.toBe(true);
  });

  it('shares the link through a WhatsApp link and an e-mail link that carry it', async () => {
    const { page } = await signedInDashboard();
    const link = `https://www.circletel.co.za/?ref=${referralCode}`;

    const whatsApp = page.getByRole('link', { name: /Share on WhatsApp/ });
    const wa = new URL((await whatsApp.getAttribute('href'))!);
    expect(`${wa.origin}${wa.pathname}`).toBe('https://wa.me/');
    expect(wa.searchParams.get('text')).toContain(link);
    await expect(whatsApp.getAttribute('rel')).resolves.toContain('noopener');

    const email = (await page.getByRole('link', { name: 'Share by E-mail' }).getAttribute('href'))!;
    expect(email).toMatch(/^mailto:\?subject=/);
    expect(new URLSearchParams(email.slice('mailto:?'.length)).get('body')).toContain(link);
  });

  it('is usable with the keyboard alone: Tab reaches Copy code first with a visible focus ring, Enter copies, and Tab goes on in reading order', async () => {
    const { page } = await signedInDashboard({ clipboard: true });

    await page.keyboard.press('Tab');
    const first = await focused(page);
    expect(first.text).toBe('Copy code');
    expect(first.outline).not.toBe('none');
    expect(first.outlineWidth).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Enter');
    await expect(readClipboard(page)).resolves.toBe(referralCode);

    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      order.push((await focused(page)).text);
    }
    expect(order).toEqual(['Copy link', 'Share on WhatsApp (opens in a new tab)', 'Share by E-mail']);
  });

  it('fits a 320 px wide screen: nothing scrolls sideways or is cut off', async () => {
    const { page } = await signedInDashboard({ width: 320 });
    const widths = (await page.evaluate(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    )) as { scroll: number; client: number };
    expect(widths.client).toBe(320);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    const box = (await page.locator('circletel-referrals').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(320);
    // Nothing inside is cut off either (the card clips what overflows it): every box lies within the widget.
    const outside = await page.evaluate(`(() => {
      const host = document.querySelector('circletel-referrals');
      const { left, right } = host.getBoundingClientRect();
      const out = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.width > 0 && (r.left < left - 0.5 || r.right > right + 0.5)) out.push(el.tagName.toLowerCase() + '.' + el.className);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(host.shadowRoot);
      return out;
    })()`);
    expect(outside).toEqual([]);

    if (SCREENSHOTS) await screenshot(page.locator('circletel-referrals'), path.join(SCREENSHOT_DIR, 'widget-320.png'));
  });

  it('says so when the API cannot be reached, offers to try again, and stays accessible', async () => {
    const { page } = await dashboard({ apiBase: `http://127.0.0.1:${await freePort()}` });
    await giveToken(page, customerToken(REFERRER));

    const alert = page.getByRole('alert');
    await expect(alert.innerText()).resolves.toMatch(/couldn’t load your referrals[\s\S]*couldn’t reach CircleTel/);
    await expect(alert.getByRole('button', { name: 'Try again' }).isVisible()).resolves.toBe(true);
    expect(await seriousA11yViolations(page, 'circletel-referrals')).toEqual([]);
  });

  it("shows the API's problem detail, and Try again loads the widget once the problem is gone", async () => {
    const newcomer = 'cus_newcomer';
    const { page } = await dashboard();
    await giveToken(page, customerToken(newcomer));

    // Billing has not told the service about this customer yet: 404 CUSTOMER_NOT_FOUND, its detail shown.
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const detail = await request(api)
      .post('/api/customer/referrals')
      .set(bearer(customerToken(newcomer)));
    expect(detail.status).toBe(404);
    await expect(alert.innerText()).resolves.toContain(detail.body.detail);

    await billing(customerCreated({ customerId: newcomer, name: 'Nomsa Mahlangu', email: 'nomsa@example.net' }));
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('button', { name: 'Copy code' }).waitFor();
    await expect(page.getByText('No friends yet.', { exact: false }).isVisible()).resolves.toBe(true);
  });

  it('asks the tokenProvider again, once, when the API answers 401, and goes on with the new token', async () => {
    const { page } = await dashboard();
    const stale = jwt.sign({ sub: REFERRER, role: 'customer' }, 'a-key-the-service-does-not-know-0123', {
      algorithm: 'HS256',
      expiresIn: '1h',
    });
    const fresh = customerToken(REFERRER);
    await page.evaluate(`customElements.whenDefined('circletel-referrals').then(() => {
      window.providerCalls = 0;
      const tokens = [${JSON.stringify(stale)}, ${JSON.stringify(fresh)}];
      document.querySelector('circletel-referrals').tokenProvider = async () => tokens[Math.min(window.providerCalls++, 1)];
    })`);

    await page.getByRole('button', { name: 'Copy code' }).waitFor();
    await expect(page.getByText(referralCode, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.evaluate('window.providerCalls')).resolves.toBe(2);
  });

  it('serves its script as JavaScript, cacheable and revalidated, with CORS for the allowed origin only', async () => {
    const res = await fetch(`${api}/widget/referrals.js`, { headers: { Origin: hostOrigin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe(hostOrigin);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(await res.text()).toContain('circletel-referrals');

    const again = await fetch(`${api}/widget/referrals.js`, { headers: { 'If-None-Match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);

    const elsewhere = await fetch(`${api}/widget/referrals.js`, { headers: { Origin: 'https://evil.example' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('has no demo page and no development sign-in in production', async () => {
    for (const [method, route] of [
      ['GET', '/widget/demo'],
      ['GET', '/widget/demo.js'],
      ['POST', '/api/dev/sign-in'],
    ] as const) {
      const res = await fetch(`${api}${route}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: method === 'POST' ? JSON.stringify({ role: 'customer', customerId: REFERRER }) : undefined,
      });
      expect([route, res.status, res.headers.get('content-type')]).toEqual([
        route,
        404,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
    }
  });
});
