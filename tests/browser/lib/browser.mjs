// One shared headless Chromium (Debian's /usr/bin/chromium) for the whole run.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--font-render-hinting=none', '--hide-scrollbars',
];

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p)) || '/usr/bin/chromium';
}

export async function launchBrowser() {
  // playwright-core starts Chromium with a fresh, temporary --user-data-dir of its own
  // (it refuses one in args) and removes it on close.
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** New context with sane defaults (CSP bypass so axe can be injected). */
export function newContext(browser, opts = {}) {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    bypassCSP: true,
    locale: 'ja-JP',
    reducedMotion: 'no-preference',
    ...opts,
  });
}

/** Navigate and wait for load (and fonts) — returns the HTTP status. */
export async function gotoPage(page, url) {
  const resp = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  try { await page.evaluate(() => document.fonts && document.fonts.ready.then(() => true)); } catch { /* JS disabled */ }
  return resp ? resp.status() : 0;
}
