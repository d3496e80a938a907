// A site opened from the file system (file://): every link of every page must name a file —
// a folder URL shows a directory listing, not its index.html — and every #fragment must exist.
// Pages are loaded from file:// in Chromium with JavaScript off, so URLs resolve exactly as a
// reviewer's browser resolves them.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { newContext, gotoPage } from './browser.mjs';
import { poolWithPage } from './pages.mjs';

function collect() {
  const out = [];
  const add = (el, attr) => { const v = el.getAttribute(attr); if (v != null) out.push({ tag: el.localName, attr, raw: v, url: new URL(v, document.baseURI).href }); };
  for (const el of document.querySelectorAll('a[href], link[href]')) add(el, 'href');
  for (const el of document.querySelectorAll('script[src], img[src], source[src], iframe[src]')) add(el, 'src');
  for (const el of document.querySelectorAll('form[action]')) add(el, 'action');
  return { links: out, ids: [...document.querySelectorAll('[id]')].map((e) => e.id) };
}

export async function checkFileLinks(browser, siteDir, pages, { concurrency = 2 } = {}) {
  siteDir = path.resolve(siteDir);
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const data = new Map();
  let failures;
  try {
    failures = await poolWithPage(ctx, pages, concurrency, async (page, rel) => {
      await gotoPage(page, pathToFileURL(path.join(siteDir, rel)).href);
      data.set(path.join(siteDir, rel), await page.evaluate(collect));
    });
  } finally {
    await ctx.close();
  }
  const broken = [];
  let checked = 0;
  const idsOf = (file) => {
    if (data.has(file)) return new Set(data.get(file).ids);
    try { return new Set([...fs.readFileSync(file, 'utf8').matchAll(/\sid="([^"]*)"/g)].map((m) => m[1])); } catch { return new Set(); }
  };
  for (const rel of pages) {
    const d = data.get(path.join(siteDir, rel));
    if (!d) continue;
    for (const l of d.links) {
      const u = new URL(l.url);
      if (u.protocol !== 'file:') continue;
      checked++;
      const file = fileURLToPath(u.href.split('#')[0].split('?')[0]);
      const where = `<${l.tag} ${l.attr}="${l.raw}">`;
      let st = null;
      try { st = fs.statSync(file); } catch { /* missing */ }
      if (!st) { broken.push(`${rel}: ${where} → no such file`); continue; }
      if (st.isDirectory()) { broken.push(`${rel}: ${where} → a folder (shows a directory listing from file://)`); continue; }
      const frag = u.hash ? decodeURIComponent(u.hash.slice(1)) : '';
      if (frag && /\.html?$/.test(file) && !idsOf(file).has(frag)) broken.push(`${rel}: ${where} → no id="${frag}"`);
    }
  }
  const errors = failures.map((f) => `${f.item}: ${f.error.message}`);
  const report = [`file:// links: ${pages.length} pages, ${checked} links checked, ${broken.length} broken`, ...broken.map((b) => `  ${b}`), ...errors.map((e) => `  ERROR ${e}`)].join('\n');
  return { ok: broken.length === 0 && errors.length === 0, broken, checked, report };
}
