// Shared set-up for a run against one site folder: server, browser, page list.
import fs from 'node:fs';
import path from 'node:path';
import { startServer, normaliseBasePath } from './server.mjs';
import { launchBrowser } from './browser.mjs';
import { discoverPages, keyPages } from './pages.mjs';

export async function openSite(siteDir, { basePath = '/', browser: shared = null } = {}) {
  siteDir = path.resolve(siteDir);
  if (!fs.existsSync(siteDir) || !fs.statSync(siteDir).isDirectory()) throw new Error(`site folder not found: ${siteDir}`);
  const pages = discoverPages(siteDir);
  const server = await startServer(siteDir, normaliseBasePath(basePath));
  let browser = shared;
  if (!browser) {
    try { browser = await launchBrowser(); } catch (e) { await server.close(); throw e; }
  }
  return {
    siteDir, pages, key: keyPages(pages), server, browser,
    async close() { if (!shared) await browser.close().catch(() => {}); await server.close(); },
  };
}
