import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { BusinessDate, formatRand } from '#libs/ddd/index.js';
import { buildWeb } from '../../src/web/build.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { customerCreated, sendBillingEvent, serviceActivated } from '../support/billing.js';
import { launchBrowser, openPage, screenshot, seriousA11yViolations, type BrowserPage } from '../support/browser.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { freePort } from '../support/process.js';

/**
 * SPEC §14 in a real browser (Debian's Chromium, headless): the admin console at /admin, served
 * by the service (the whole app on a fresh database, listening on a port), signed in through a
 * real OpenID provider (oidc-provider in this process) with authorization code + PKCE by
 * oidc-client-ts. State comes in through signed billing webhooks and the admin API.
 *
 * `npm run screenshots` (WIDGET_SCREENSHOTS=1) also writes src/web/screenshots/admin-*.png.
 */

const SCREENSHOTS = process.env.WIDGET_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.resolve('src/web/screenshots');
const ALL = ['referrals:view', 'referrals:manage', 'reconciliation:run'];
const REFERRER = 'cus_lerato';

let op: TestOidcProvider;
let t: TestApp;
let api: string;
let browser: Browser;
let today: BusinessDate;
let monthStart: string;
const open: BrowserPage[] = [];

const at = (day: string, days: number) => `${BusinessDate.parse(day).plusDays(days).toString()}T08:00:00.000Z`;
const admin = () => bearer(adminToken());

async function billing(event: Parameters<typeof sendBillingEvent>[1]): Promise<void> {
  const res = await sendBillingEvent(t.server, event);
  expect([res.status, res.body]).toEqual([200, expect.objectContaining({ received: true })]);
}

/**
 * Lerato (R799.00 a month, billed on the 1st) with two friends who qualified last quarter (their
 * free month credited on the 1st of this month: a credit note), a friend with a disposable
 * e-mail address (flagged), and Zanele, who signed up five days ago without a code.
 */
async function seed(): Promise<void> {
  const t0 = today.toString();
  await billing(
    customerCreated(
      { customerId: REFERRER, name: 'Lerato Mokoena', email: 'lerato@example.net', phone: '082 555 0101' },
      at(monthStart, -120),
    ),
  );
  await billing(serviceActivated(REFERRER, { serviceId: 'svc_lerato', monthlyPrice: '799.00' }, at(monthStart, -120)));
  const code = await request(t.server)
    .post('/api/customer/referrals')
    .set(bearer(customerToken(REFERRER)))
    .expect(201);
  const referralCode = code.body.referralCode as string;
  const friends = [
    {
      customerId: 'cus_sipho',
      name: 'Sipho Dlamini',
      email: 'sipho.dlamini@example.net',
      signedUp: -80,
      connected: -75,
    },
    { customerId: 'cus_thabo', name: 'Thabo Nkosi', email: 'thabo.nkosi@example.net', signedUp: -78, connected: -72 },
  ];
  for (const f of friends) {
    await billing(
      customerCreated(
        { customerId: f.customerId, name: f.name, email: f.email, referralCode, referralSource: 'url_param' },
        at(monthStart, f.signedUp),
      ),
    );
    await billing(serviceActivated(f.customerId, {}, at(monthStart, f.connected)));
  }
  await request(t.server).post('/api/admin/reconciliation/runs').set(admin()).send({ asOf: monthStart }).expect(201);
  await billing(
    customerCreated(
      {
        customerId: 'cus_kim',
        name: 'Kim Naidoo',
        email: 'kim.naidoo@mailinator.com',
        referralCode,
        referralSource: 'url_param',
      },
      at(t0, -3),
    ),
  );
  await billing(
    customerCreated({ customerId: 'cus_zanele', name: 'Zanele Mthembu', email: 'zanele@example.net' }, at(t0, -5)),
  );
  // More Mokoenas than one page of the search holds (20).
  for (let i = 1; i <= 21; i++) {
    await billing(
      customerCreated(
        { customerId: `cus_mokoena_${i}`, name: `Pule Mokoena ${i}`, email: `pule.${i}@example.net` },
        at(t0, -30 - i),
      ),
    );
  }
}

beforeAll(async () => {
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  today = BusinessDate.ofInstant(new Date());
  monthStart = `${today.toString().slice(0, 8)}01`;
  const [provider, , launched] = await Promise.all([
    startOidcProvider({
      accounts: {
        'ops-admin': { role: 'admin', permissions: ALL },
        reviewer: { role: 'admin', permissions: ['referrals:view'] },
      },
      redirectUris: [`${api}/admin/callback`],
    }),
    buildWeb(),
    launchBrowser(),
  ]);
  op = provider;
  browser = launched;
  t = await startTestApp({
    now: new Date().toISOString(),
    env: {
      OIDC_ISSUER: op.issuer,
      OIDC_CLIENT_ID: op.clientId,
      OIDC_AUDIENCE: op.resource,
      OIDC_JWKS_COOLDOWN_SECONDS: '1',
    },
  });
  await t.app.listen(port, '127.0.0.1');
  await seed();
}, 120_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await op?.stop();
});

/** Opens the console at `at`, signs in at the provider as `account` (its login form), and lands back there. */
async function signedIn(account = 'ops-admin', at = '/admin', opts: { width?: number } = {}): Promise<Page> {
  const p = await openPage(browser, { width: opts.width, height: 900 });
  open.push(p);
  const { page } = p;
  await page.goto(`${api}${at}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('input[name=login]').fill(account);
  await page.locator('input[name=password]').fill('any');
  await page.locator('button[type=submit]').click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  expect(new URL(page.url()).pathname).toBe(at.split('?')[0]);
  return page;
}

const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).replace(/\s+/g, ' ');

async function noSeriousViolations(page: Page): Promise<void> {
  expect(await seriousA11yViolations(page)).toEqual([]);
}

describe('the admin console at /admin', () => {
  it('signs in through the OpenID provider (code + PKCE), finds a customer by e-mail and opens their page, with no serious or critical axe-core violation', async () => {
    const page = await signedIn();
    await expect(page.getByText('Signed in as ops-admin').isVisible()).resolves.toBe(true);
    await noSeriousViolations(page);

    await page.getByLabel('Find a customer').fill('LERATO@example.net');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: '1 customer found' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'lerato@example.net' });
    await expect(row.innerText()).resolves.toMatch(/Lerato Mokoena\s+cus_lerato/);
    if (SCREENSHOTS) await screenshot(page, path.join(SCREENSHOT_DIR, 'admin-search-1280.png'));

    await row.getByRole('link', { name: 'Lerato Mokoena' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lerato Mokoena' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/customers/cus_lerato');
    // The focus moved to the new page's heading.
    await expect(page.evaluate('document.activeElement.tagName')).resolves.toBe('H1');
    const referrals = page.getByRole('list', { name: 'Referrals' }).locator(':scope > li');
    await expect(referrals.count()).resolves.toBe(3);
    // The flagged one: its finding and evidence, and the explanation of §12.
    const kim = referrals.filter({ hasText: 'Kim Naidoo' });
    await expect(kim.innerText()).resolves.toMatch(/Flagged for review[\s\S]*Disposable e-mail address/);
    await kim.getByRole('button', { name: /Explain/ }).click();
    await kim.getByRole('heading', { name: 'Fraud rules' }).waitFor();
    await expect(kim.innerText()).resolves.toMatch(/Disposable e-mail address: flag/);
    await noSeriousViolations(page);
    if (SCREENSHOTS) {
      await page.evaluate('window.scrollTo(0, 0)');
      await screenshot(page, path.join(SCREENSHOT_DIR, 'admin-customer-1280.png'));
    }

    // The status filter asks the API again.
    await page.getByLabel('Status').selectOption('rewarded');
    await referrals.nth(2).waitFor({ state: 'detached' });
    await expect(referrals.allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/Rewarded/),
      expect.stringMatching(/Rewarded/),
    ]);
  });

  it('pages the search results with "More customers" (keyset paging)', async () => {
    const page = await signedIn('ops-admin', '/admin?q=mokoena');
    await page.getByRole('status').filter({ hasText: '20+ customers found' }).waitFor();
    await page.getByRole('button', { name: 'More customers' }).click();
    await page.getByRole('status').filter({ hasText: '22 customers found' }).waitFor();
    await expect(page.getByRole('button', { name: 'More customers' }).count()).resolves.toBe(0);
    const names = await page.getByRole('table').getByRole('link').allInnerTexts();
    expect(new Set(names).size).toBe(22);
    expect(names).toContain('Lerato Mokoena');
  });

  it('grants a free month (a double click grants once) with a reason, revokes it after confirmation, and shows both in the audit log tab', async () => {
    const before = await request(t.server).get(`/api/admin/customers/${REFERRER}/referrals`).set(admin()).expect(200);
    const page = await signedIn('ops-admin', `/admin/customers/${REFERRER}/rewards`);
    const writes: { url: string; key: string | undefined }[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') writes.push({ url: new URL(r.url()).pathname, key: r.headers()['idempotency-key'] });
    });
    await page.getByRole('button', { name: 'Grant a free month' }).click();
    const dialog = page.getByRole('dialog', { name: 'Grant a free month to Lerato Mokoena' });
    await dialog.waitFor();
    // A reason is required.
    await dialog.getByRole('button', { name: 'Grant free month' }).click();
    await expect(dialog.isVisible()).resolves.toBe(true);
    await dialog.getByLabel('Reason').fill('Goodwill after the outage in Soweto');
    await dialog.getByRole('button', { name: 'Grant free month' }).dblclick();
    await page.getByRole('status').filter({ hasText: 'Free month granted' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });

    const after = await request(t.server).get(`/api/admin/customers/${REFERRER}/referrals`).set(admin()).expect(200);
    const granted = after.body.rewards.filter(
      (r: { grantReason: string | null }) => r.grantReason === 'Goodwill after the outage in Soweto',
    );
    expect(granted).toHaveLength(1);
    expect(after.body.rewards).toHaveLength(before.body.rewards.length + 1);

    const row = page.getByRole('row').filter({ hasText: 'Goodwill after the outage in Soweto' });
    await row.getByRole('button', { name: /^Revoke/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this free month?' });
    await confirm.getByLabel('Reason').fill('Granted to the wrong account');
    await confirm.getByRole('button', { name: 'Revoke free month' }).click();
    await page.getByRole('status').filter({ hasText: 'Free month revoked.' }).waitFor();
    await expect(row.innerText()).resolves.toMatch(/Revoked[\s\S]*Granted to the wrong account/);
    // One request per action (the button is disabled while in flight), each with its own Idempotency-Key.
    expect(writes).toEqual([
      { url: `/api/admin/customers/${REFERRER}/referrals/grant`, key: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      { url: `/api/admin/customers/${REFERRER}/referrals/revoke`, key: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    expect(writes[0]!.key).not.toBe(writes[1]!.key);

    await page.getByRole('link', { name: 'Audit log' }).click();
    const entries = page.getByRole('list', { name: 'Audit log, newest first' }).getByRole('listitem');
    await entries.first().waitFor();
    const all = (await entries.allInnerTexts()).map((s) => s.replace(/\s+/g, ' '));
    expect(all.filter((e) => e.includes('Free month granted'))).toEqual([
      expect.stringMatching(/By ops-admin.*Reason Goodwill after the outage in Soweto/),
    ]);
    expect(all[0]).toMatch(/Free month revoked.*By ops-admin.*Reason Granted to the wrong account/);
    await noSeriousViolations(page);
    if (SCREENSHOTS) await screenshot(page, path.join(SCREENSHOT_DIR, 'admin-audit-log-1280.png'));
  });

  it('approves a flagged referral from the review queue, with its evidence and a reason', async () => {
    const page = await signedIn('ops-admin', '/admin/review');
    const item = page.getByRole('article', { name: 'Kim Naidoo' });
    await expect(item.innerText()).resolves.toMatch(/Evidence[\s\S]*Disposable e-mail address/);
    await noSeriousViolations(page);
    if (SCREENSHOTS) await screenshot(page, path.join(SCREENSHOT_DIR, 'admin-review-1280.png'));

    await item.getByRole('button', { name: 'Approve referral of Kim Naidoo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve the referral of Kim Naidoo?' });
    await dialog.getByLabel('Reason').fill('Called the customer: a real person, a real address');
    await dialog.getByRole('button', { name: 'Approve referral' }).click();
    await page.getByRole('status').filter({ hasText: 'Referral of Kim Naidoo approved' }).waitFor();
    await expect(page.getByText('Nothing to review.').isVisible()).resolves.toBe(true);

    const queue = await request(t.server).get('/api/admin/referrals/flagged').set(admin()).expect(200);
    expect(queue.body.items).toEqual([]);
  });

  it('links a referral after the fact, and says in words why a second link is refused', async () => {
    const page = await signedIn('ops-admin', '/admin/link');
    await page.getByLabel("Referrer's customer id").fill(REFERRER);
    await page.getByLabel("Friend's customer id").fill('cus_zanele');
    await page.getByLabel('Reason').fill('Friend forgot the code at signup; confirmed on the phone');
    await page.getByRole('button', { name: 'Link referral' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Referral linked' });
    await expect(done.innerText()).resolves.toMatch(/cus_zanele is now referred by cus_lerato/);
    await noSeriousViolations(page);

    // Again: the friend is referred now: the API's 409 problem, in words.
    await page.getByLabel("Referrer's customer id").fill(REFERRER);
    await page.getByLabel("Friend's customer id").fill('cus_zanele');
    await page.getByLabel('Reason').fill('Trying twice');
    await page.getByRole('button', { name: 'Link referral' }).click();
    const problem = await request(t.server)
      .post('/api/admin/referrals')
      .set(admin())
      .send({ referrerId: REFERRER, referredId: 'cus_zanele', reason: 'Trying twice' });
    expect(problem.body.code).toBe('ALREADY_REFERRED');
    await expect(page.getByRole('alert').innerText()).resolves.toContain(problem.body.detail);
  });

  it('shows a dry run first, then runs for real once confirmed and follows it until it finishes', async () => {
    const page = await signedIn('ops-admin', '/admin/reconciliation');
    await expect(page.getByLabel('Business date').inputValue()).resolves.toBe(today.toString());
    await page.getByRole('button', { name: 'Dry run' }).click();
    const dry = page.getByRole('region', { name: 'Dry run result' });
    await expect(dry.innerText()).resolves.toMatch(/A run for this date would do this: \d+ referrals? expired/);
    type RunRecord = { dryRun: boolean; asOf: string; status: string };
    const runsOf = async () =>
      (
        (await request(t.server).get('/api/admin/reconciliation/runs').set(admin()).expect(200)).body
          .items as RunRecord[]
      ).filter((r) => r.asOf === today.toString());
    // The dry run is recorded as one; nothing ran for real yet.
    expect(await runsOf()).toEqual([expect.objectContaining({ dryRun: true, status: 'succeeded' })]);
    await noSeriousViolations(page);

    const started = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.request().headers()['prefer'] === 'respond-async',
    );
    const polled = page.waitForRequest((r) => /\/api\/admin\/reconciliation\/runs\/[0-9a-f-]{36}$/.test(r.url()));
    await dry.getByRole('button', { name: /^Confirm: run for/ }).click();
    // Started in the background (202), then followed by polling its record.
    await expect(started.then((r) => r.status())).resolves.toBe(202);
    await polled;
    const progress = page.locator('#run-progress');
    await progress.filter({ hasText: 'Succeeded' }).waitFor();
    await expect(progress.innerText()).resolves.toMatch(/Done: \d+ referrals? expired/);
    expect(await runsOf()).toEqual(
      expect.arrayContaining([expect.objectContaining({ dryRun: false, status: 'succeeded' })]),
    );
    expect(await runsOf()).toHaveLength(2);
    await expect(page.getByRole('row').filter({ hasText: 'Run (manual)' }).count()).resolves.toBeGreaterThanOrEqual(1);
    if (SCREENSHOTS) await screenshot(page, path.join(SCREENSHOT_DIR, 'admin-reconciliation-1280.png'));
  });

  it('shows the programme report and the credit-note register, and downloads the CSV whose totals match the register', async () => {
    const page = await signedIn('ops-admin', '/admin/reports');
    const from = `${today.plusDays(-100).toString().slice(0, 8)}01`;
    await page.getByLabel('First day').fill(from);
    await page.getByLabel('Last day').fill(today.toString());
    await page.getByRole('button', { name: 'Show' }).click();
    const json = await request(t.server)
      .get('/api/admin/credit-notes')
      .query({ from, to: today.toString() })
      .set(admin())
      .expect(200);
    expect(json.body.totals.count).toBeGreaterThanOrEqual(1);
    await page.locator('[data-total="count"]', { hasText: new RegExp(`^${json.body.totals.count}$`) }).waitFor();
    await expect(text(page, '#register-totals')).resolves.toContain(
      `Incl. VAT ${formatRand(json.body.totals.inclVat as string)}`,
    );
    await expect(
      page
        .getByRole('table', { name: 'Programme report' })
        .getByRole('row', { name: /Free months granted/ })
        .innerText(),
    ).resolves.toMatch(/\b1\b/);
    await noSeriousViolations(page);
    if (SCREENSHOTS) await screenshot(page, path.join(SCREENSHOT_DIR, 'admin-reports-1280.png'));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`credit-notes_${from}_${today.toString()}.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...lines] = csv.trim().split('\n');
    const columns = header!.split(',');
    const cents = (name: string) =>
      lines.map((l) => l.split(',')[columns.indexOf(name)]!).reduce((sum, v) => sum + BigInt(v.replace('.', '')), 0n);
    const rand = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
    expect({
      count: lines.length,
      inclVat: rand(cents('amountInclVat')),
      vat: rand(cents('vatAmount')),
      exclVat: rand(cents('amountExclVat')),
    }).toEqual(json.body.totals);
  });

  it('offers a reviewer without referrals:manage no grant, revoke, approve or link', async () => {
    const page = await signedIn('reviewer', `/admin/customers/${REFERRER}/rewards`);
    await page.getByRole('table', { name: 'Free months' }).waitFor();
    await expect(page.getByRole('button', { name: 'Grant a free month' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Revoke/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Link a referral' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Reconciliation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reconciliation' }).waitFor();
    await expect(page.getByRole('button', { name: 'Dry run' }).count()).resolves.toBe(0);
  });

  it('works with the keyboard alone: search, open the customer, grant a free month in the dialog, and the focus comes back', async () => {
    const page = await signedIn();
    const focused = () =>
      page.evaluate(
        '(() => { const e = document.activeElement; return (e.getAttribute("aria-label") || e.labels?.[0]?.textContent || e.textContent || "").replace(/\\s+/g, " ").trim(); })()',
      ) as Promise<string>;
    const tabTo = async (name: string | RegExp) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const f = await focused();
        if (typeof name === 'string' ? f === name : name.test(f)) return;
      }
      throw new Error(`Tab never reached ${String(name)}`);
    };
    await tabTo('Find a customer');
    await page.keyboard.type('cus_lerato');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '1 customer found' }).waitFor();
    await tabTo('Lerato Mokoena');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Lerato Mokoena' }).waitFor();
    await tabTo('Rewards');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Rewards' }).waitFor();
    await tabTo('Grant a free month');
    await page.keyboard.press('Enter');
    // The dialog takes the focus to its reason; Escape closes it and the focus returns.
    await expect(focused()).resolves.toBe('Reason');
    await page.keyboard.press('Escape');
    await expect(focused()).resolves.toBe('Grant a free month');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Keyboard-only goodwill grant');
    await tabTo('Grant free month');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Free month granted' }).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await expect(focused()).resolves.toBe('Grant a free month');
  });

  it('fits a 360 px wide screen: no page scrolls sideways', async () => {
    const page = await signedIn('ops-admin', `/admin/customers/${REFERRER}`, { width: 360 });
    for (const to of ['Referrals', 'Review queue', 'Reconciliation', 'Reports', 'Customers']) {
      await page.getByRole('link', { name: to, exact: true }).first().click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const widths = (await page.evaluate(
        '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
      )) as { scroll: number; client: number };
      expect([to, widths.scroll]).toEqual([to, widths.client]);
    }
    await page.goto(`${api}/admin/customers/${REFERRER}`);
    await page.getByRole('heading', { level: 1, name: 'Lerato Mokoena' }).waitFor();
    if (SCREENSHOTS) await screenshot(page, path.join(SCREENSHOT_DIR, 'admin-customer-360.png'));
  });

  it('signs in again after the provider rotated its signing key: the new key is picked up without a restart', async () => {
    const kid = await op.rotateKeys({ keepPrevious: false });
    const page = await signedIn('ops-admin', '/admin/review');
    await page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
    await expect(page.getByText('Nothing to review.').isVisible()).resolves.toBe(true);
    const token = (await page.evaluate(
      '(() => { for (const k of Object.keys(sessionStorage)) if (k.startsWith("oidc.user:")) return JSON.parse(sessionStorage.getItem(k)).access_token; })()',
    )) as string;
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
  });

  it('when the access token expires, the next request ends the session and asks to sign in again', async () => {
    op.setAccessTokenTtl(6);
    try {
      const page = await signedIn('ops-admin', '/admin/review');
      const token = (await page.evaluate(
        '(() => { for (const k of Object.keys(sessionStorage)) if (k.startsWith("oidc.user:")) return JSON.parse(sessionStorage.getItem(k)).access_token; })()',
      )) as string;
      const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
      await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 100));
      await page.getByRole('link', { name: 'Reports' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Your session has ended. Sign in again to continue.' })
        .waitFor();
      await expect(page.getByRole('button', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
    } finally {
      op.setAccessTokenTtl(3600);
    }
  });

  it('without an OpenID provider outside production, signs in through the development form with the permissions picked', async () => {
    const dev = await startTestApp({ now: new Date().toISOString() });
    try {
      const port = await freePort();
      await dev.app.listen(port, '127.0.0.1');
      const p = await openPage(browser);
      open.push(p);
      const { page } = p;
      await page.goto(`http://127.0.0.1:${port}/admin/review`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await expect(page.getByRole('button', { name: 'Sign in', exact: true }).count()).resolves.toBe(0);
      await page.getByLabel('Admin user id').fill('support-7');
      await page.getByLabel('referrals:manage').uncheck();
      await page.getByLabel('reconciliation:run').uncheck();
      await noSeriousViolations(page);
      if (SCREENSHOTS) await screenshot(page, path.join(SCREENSHOT_DIR, 'admin-dev-sign-in-1280.png'));
      await page.getByRole('button', { name: 'Sign in for development' }).click();
      await page.getByText('Signed in as support-7').waitFor();
      await page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
      await expect(page.getByRole('link', { name: 'Link a referral' }).count()).resolves.toBe(0);

      // Signed out: the token is gone from this tab, and a reload asks to sign in again.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
      await page.reload();
      await page.getByLabel('Admin user id').waitFor();
    } finally {
      await dev.close();
    }
  });

  it('in production without an OpenID provider, says how to configure one and offers no sign-in', async () => {
    const prod = await startTestApp({ now: new Date().toISOString(), env: { NODE_ENV: 'production' } });
    try {
      const port = await freePort();
      await prod.app.listen(port, '127.0.0.1');
      const p = await openPage(browser);
      open.push(p);
      await p.page.goto(`http://127.0.0.1:${port}/admin`);
      const alert = p.page.getByRole('alert');
      await expect(alert.innerText()).resolves.toBe('Sign-in is not configured.');
      await expect(text(p.page, 'main')).resolves.toMatch(
        /OIDC_ISSUER.*OIDC_CLIENT_ID.*OIDC_AUDIENCE.*Register http:\/\/127\.0\.0\.1:\d+\/admin\/callback/,
      );
      await expect(p.page.getByRole('button').count()).resolves.toBe(0);
      await noSeriousViolations(p.page);
    } finally {
      await prod.close();
    }
  });

  it('serves every path under /admin as the app (deep links), with a CSP that allows only this service and the provider', async () => {
    const res = await fetch(`${api}/admin/customers/cus_lerato/audit-log`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain(`connect-src 'self' ${op.issuer}`);
    expect(await res.text()).toContain('<circletel-admin>');
    const script = await fetch(`${api}/admin/console.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });
});
