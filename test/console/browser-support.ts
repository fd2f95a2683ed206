import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, which CI installs; the tests never download a browser. */
export const CHROMIUM = process.env.QUARRY_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const ROOT = join(import.meta.dirname, '..', '..');
const WEB = join(ROOT, 'web');
export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * `npm install` builds the console; a source edited since (or a checkout that skipped the install scripts) is built
 * again here, so the tests always drive the console as it is in the tree.
 */
export function ensureConsoleBuilt(): void {
  const index = join(WEB, 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(WEB)) return;
  const r = spawnSync(process.execPath, [join(WEB, 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Building the console failed:\n${r.stdout}\n${r.stderr}`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A fresh light-theme page at the size the screenshots use, whose script errors and console errors are pushed to
 * `errors` for the test to assert empty. Failed 4xx resource loads are left out: the tests provoke refusals on purpose
 * and check what the page shows for them.
 */
export async function openConsolePage(browser: Browser, errors: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { context, page };
}

// The page's own global inside page.evaluate (the test files are type-checked without the DOM library).
declare const window: { scrollY: number; scrollTo(x: number, y: number): void };

/** Full-page shots in both themes (test/console/screenshots/), through the system preference the console follows. */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  // A full-page shot of a scrolled page draws the sticky header where the viewport was, across the content: shoot from
  // the top, then put the scroll back where the test left it.
  const scrolled = await page.evaluate(() => window.scrollY);
  if (scrolled) await page.evaluate(() => window.scrollTo(0, 0));
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (scrolled) await page.evaluate((y) => window.scrollTo(0, y), scrolled);
}
