// Internal link check: every href/src of a, area, link, img (src+srcset), script, source,
// use, iframe, video, audio, track, object resolves to a file of the served site, and every
// #fragment to an id (or a[name]) of the target page.
import fs from 'node:fs';
import path from 'node:path';
import { newContext, gotoPage } from './browser.mjs';
import { pageUrl, poolWithPage } from './pages.mjs';
import { resolveSitePath } from './server.mjs';

/** Collect links and anchors of a loaded page (runs inside the page; no page JS needed). */
function collectInPage() {
  const links = [];
  const add = (el, attr, raw) => {
    if (raw == null) return;
    const v = String(raw).trim();
    if (v === '') { links.push({ tag: el.localName, attr, raw: v, url: '' }); return; }
    let url;
    try { url = new URL(v, document.baseURI).href; } catch { url = null; }
    links.push({ tag: el.localName, attr, raw: v, url });
  };
  const srcset = (el, attr) => {
    const s = el.getAttribute(attr);
    if (!s) return;
    for (const part of s.split(/,(?=\s*\S)/)) {
      const u = part.trim().split(/\s+/)[0];
      if (u) add(el, attr, u);
    }
  };
  for (const el of document.querySelectorAll('a[href], area[href], link[href]')) {
    const rel = (el.getAttribute('rel') || '').toLowerCase();
    if (el.localName === 'link' && /\b(preconnect|dns-prefetch)\b/.test(rel)) continue;
    add(el, 'href', el.getAttribute('href'));
  }
  for (const el of document.querySelectorAll('img, script[src], source, iframe[src], video, audio[src], track[src], embed[src], input[type=image]')) {
    if (el.hasAttribute('src')) add(el, 'src', el.getAttribute('src'));
    srcset(el, 'srcset');
    if (el.localName === 'video' && el.hasAttribute('poster')) add(el, 'poster', el.getAttribute('poster'));
  }
  for (const el of document.querySelectorAll('object[data]')) add(el, 'data', el.getAttribute('data'));
  for (const el of document.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'use')) {
    const h = el.getAttribute('href') ?? el.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
    if (h != null) add(el, 'href', h);
  }
  for (const el of document.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'image')) {
    const h = el.getAttribute('href') ?? el.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
    if (h != null) add(el, 'href', h);
  }
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
  const canonical = document.querySelector('link[rel~="canonical"]')?.getAttribute('href') || null;
  return { links, anchors: [...ids, ...names], canonical };
}

const SKIP_SCHEMES = /^(mailto|tel|sms|javascript|data|blob|about|geo|fax|callto):/i;

function idsOfFile(file) {
  // Fragment targets in non-crawled files (SVG sprites, plain HTML): ids from the source.
  try {
    const text = fs.readFileSync(file, 'utf8');
    const out = new Set();
    for (const m of text.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) out.add(m[1] ?? m[2] ?? m[3]);
    return out;
  } catch { return new Set(); }
}

/**
 * @param server  {origin, basePath, baseUrl}
 * @param opts.siteUrls  extra absolute base URLs that mean "this site" (e.g. config base_url);
 *                       the root page's <link rel=canonical> is added automatically.
 */
export async function checkLinks(browser, server, siteDir, pages, { concurrency = 2, siteUrls = [] } = {}) {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const data = new Map();
  const errors = [];
  try {
    const failures = await poolWithPage(ctx, pages, concurrency, async (page, rel) => {
      await gotoPage(page, pageUrl(server.baseUrl, rel));
      const d = await page.evaluate(collectInPage);
      data.set(rel, { url: page.url(), ...d });
    });
    for (const f of failures) errors.push(`${f.item}: ${f.error.message}`);
  } finally {
    await ctx.close();
  }

  // Absolute URLs that mean "this site": configured ones and the home page's canonical URL.
  const ownBases = new Set(siteUrls.map((u) => (u.endsWith('/') ? u : u + '/')));
  const home = data.get('index.html');
  if (home?.canonical && /^https?:\/\//i.test(home.canonical)) {
    try { const c = new URL(home.canonical); ownBases.add(c.origin + c.pathname.replace(/index\.html$/, '')); } catch { /* ignore */ }
  }

  // Anchors by absolute file path.
  const anchorsByFile = new Map();
  for (const [rel, d] of data) anchorsByFile.set(path.resolve(siteDir, rel), new Set(d.anchors));
  const anchorsOf = (file) => {
    if (!anchorsByFile.has(file)) anchorsByFile.set(file, idsOfFile(file));
    return anchorsByFile.get(file);
  };

  const broken = [];
  const warnings = [];
  let checked = 0, external = 0, skipped = 0;
  for (const rel of pages) {
    const d = data.get(rel);
    if (!d) continue;
    for (const l of d.links) {
      const where = `<${l.tag} ${l.attr}="${l.raw}">`;
      if (l.raw === '') { broken.push({ page: rel, link: where, reason: 'empty URL' }); continue; }
      if (SKIP_SCHEMES.test(l.raw)) { skipped++; continue; }
      if (!l.url) { broken.push({ page: rel, link: where, reason: 'unparseable URL' }); continue; }
      let u = new URL(l.url);
      if (!/^https?:$/.test(u.protocol)) { skipped++; continue; }
      if (u.origin !== server.origin) {
        const own = [...ownBases].find((b) => (u.origin + u.pathname).startsWith(b) || (u.origin + u.pathname + '/') === b);
        if (!own) { external++; continue; }
        const restPath = (u.origin + u.pathname).slice(own.length);
        u = new URL(server.baseUrl + restPath + u.search + u.hash);
      }
      checked++;
      const r = resolveSitePath(siteDir, server.basePath, u.pathname);
      let file = r.file;
      if (r.redirect) file = resolveSitePath(siteDir, server.basePath, r.redirect).file;
      if (!file) {
        broken.push({ page: rel, link: where, reason: r.outside ? `outside the base path ${server.basePath} (${u.pathname})` : `no such file (${u.pathname})` });
        continue;
      }
      const frag = u.hash ? decodeURIComponent(u.hash.slice(1)) : '';
      if (frag && !frag.startsWith(':~:') && !(frag.toLowerCase() === 'top')) {
        if (!/\.(x?html?|svg)$/i.test(file)) continue;
        if (!anchorsOf(file).has(frag)) {
          const target = path.relative(siteDir, file).split(path.sep).join('/');
          broken.push({ page: rel, link: where, reason: `no id="${frag}" in ${target}` });
        }
      }
    }
    // A 404 page is served at any missing URL: relative URLs in it break below the top level.
    if (/(^|\/)404\.html$/.test(rel)) {
      const rels = d.links.filter((l) => l.raw && !/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(l.raw));
      if (rels.length) warnings.push(`${rel}: ${rels.length} relative URL(s) (e.g. ${rels[0].raw}) break when the 404 page is shown for a missing deeper URL; prefer root-relative URLs that include the base path`);
    }
  }
  const report = [
    `Links: ${pages.length} pages, ${checked} internal URLs checked, ${broken.length} broken` +
    ` (${external} external skipped, ${skipped} non-http skipped; site URLs: ${[server.baseUrl, ...ownBases].join(', ')})`,
    ...broken.map((b) => `  ${b.page}: ${b.link} → ${b.reason}`),
    ...warnings.map((w) => `  warning: ${w}`),
    ...errors.map((e) => `  ERROR ${e}`),
  ].join('\n');
  return { pages: pages.length, checked, external, broken, warnings, errors, ok: broken.length === 0 && errors.length === 0, report };
}
