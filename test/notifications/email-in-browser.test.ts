import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, openPage, screenshot, seriousA11yViolations } from '../support/browser.js';
import { TestSmtpServer, type ReceivedMail } from '../support/smtp.js';
import { scenario } from '../reconciliation/scenario.js';
import { dispatcher } from './notifications-support.js';

/**
 * The HTML part of an e-mail as a mail client shows it (Chromium): readable on a phone (320 px,
 * nothing wider than the screen) and on a desktop, without serious accessibility problems.
 *
 * `npm run screenshots` (WIDGET_SCREENSHOTS=1) also writes src/web/screenshots/email-free-month-applied.png
 * for the README.
 */
const SCREENSHOTS = process.env.WIDGET_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.resolve('src/web/screenshots');

describe('Notifications: an e-mail in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let mail: ReceivedMail;
  const smtp = new TestSmtpServer();

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'https://referrals.circletel.co.za' } });
    browser = await launchBrowser();
    const s = scenario(t);
    const referrer = await s.referrer({ createdOn: '2026-01-05', monthlyPrice: '1099.00' });
    for (const on of ['2026-01-10', '2026-01-11']) await s.activate(await s.signup(referrer.code, on), '2026-01-12');
    await s.run('2026-02-15');
    await s.run('2026-03-01');
    await dispatcher(t).drain();
    mail = smtp.to(`${referrer.customerId}@example.org`).find((m) => m.parsed.subject?.startsWith('Your free month'))!;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp.stop();
  });

  it.each([320, 800])(
    'the free month applied reads well at %i px, without serious accessibility violations',
    async (width) => {
      const { page, requests, close } = await openPage(browser, { width, height: width === 800 ? 470 : 700 });
      try {
        await page.setContent(mail.parsed.html as string, { waitUntil: 'load' });
        const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
        expect(text).toContain('Hi Sipho,');
        expect(text).toContain('Credit R1,099.00 (VAT included)');
        expect(text).toContain('Period 1 March 2026 to 31 March 2026');
        expect(text).toMatch(/Credit note CN-2026-\d{5}/);
        await expect(page.getByRole('link', { name: 'Stop these e-mails' }).getAttribute('href')).resolves.toMatch(
          /^https:\/\/referrals\.circletel\.co\.za\/api\/notifications\/unsubscribe\?token=/,
        );
        // Nothing wider than the screen, and nothing fetched (no remote images or fonts to track opens).
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        expect(requests.filter((r) => !r.startsWith('about:') && !r.startsWith('data:'))).toEqual([]);
        expect(await seriousA11yViolations(page)).toEqual([]);
        if (SCREENSHOTS && width === 800) {
          await screenshot(page, path.join(SCREENSHOT_DIR, 'email-free-month-applied.png'));
        }
      } finally {
        await close();
      }
    },
  );
});
