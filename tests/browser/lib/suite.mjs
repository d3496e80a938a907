// Shared set-up for a run against one site folder: server, browser, page list.
import fs from 'node:fs';
import path from 'node:path';
import { startServer, normaliseBasePath } from './server.mjs';
import { launchBrowser } from './browser.mjs';
import { discoverPages, keyPages } from './pages.mjs';
import { languageTrees } from './trees.mjs';

export async function openSite(siteDir, { basePath = '/', browser: shared = null } = {}) {
  siteDir = path.resolve(siteDir);
  if (!fs.existsSync(siteDir) || !fs.statSync(siteDir).isDirectory()) throw new Error(`site folder not found: ${siteDir}`);
  const pages = discoverPages(siteDir);
  const server = await startServer(siteDir, normaliseBasePath(basePath));
  let browser = shared;
  if (!browser) {
    try { browser = await launchBrowser(); } catch (e) { await server.close(); throw e; }
  }
  // Every language tree's key pages too (key is the root tree's, as before).
  const trees = languageTrees(pages).map((tree) => ({ ...tree, key: keyPages(pages, tree.prefix) }));
  return {
    siteDir, pages, key: keyPages(pages), trees, server, browser,
    async close() { if (!shared) await browser.close().catch(() => {}); await server.close(); },
  };
}
