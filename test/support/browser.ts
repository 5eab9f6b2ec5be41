import { AxeBuilder } from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * A real browser for the front-end tests (the widget, the admin console): Debian's Chromium,
 * headless, driven by playwright-core (Playwright's own browser download cannot work here).
 * One browser per test file; a fresh context (cookies, storage, permissions) per test.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export interface BrowserPage {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested (documents, scripts, fetches, images…), in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A new context and page. `clipboardFor`: origins whose pages may read and write the clipboard
 * (granted up front, as a user would by accepting the prompt).
 */
export async function openPage(
  browser: Browser,
  opts: { width?: number; height?: number; clipboardFor?: string[] } = {},
): Promise<BrowserPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    reducedMotion: 'reduce',
  });
  for (const origin of opts.clipboardFor ?? []) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  }
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  return { context, page, requests, close: () => context.close() };
}

export interface A11yViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * axe-core against WCAG 2.0/2.1 A and AA; the violations of serious or critical impact (the ones a
 * test refuses), described well enough to fix. `include`: a selector to limit the scan to.
 */
export async function seriousA11yViolations(page: Page, include?: string): Promise<A11yViolation[]> {
  // Violations only: collecting passes and incomplete checks would double the time.
  let builder = new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .options({ resultTypes: ['violations'] });
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
}

/** A PNG of the page or of one element, written to `file` (folders created). */
export async function screenshot(target: Page | Locator, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await target.screenshot({ path: file, animations: 'disabled' });
}
