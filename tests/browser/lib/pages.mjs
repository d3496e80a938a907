// Page discovery and URL helpers.
import fs from 'node:fs';
import path from 'node:path';

const collator = new Intl.Collator('en', { numeric: true });

/** Every *.html file under siteDir, as POSIX paths relative to it, sorted naturally. */
export function discoverPages(siteDir) {
  const out = [];
  const walk = (dir, rel) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      if (ent.name.startsWith('.')) continue;
      const r = rel ? rel + '/' + ent.name : ent.name;
      if (ent.isDirectory()) walk(path.join(dir, ent.name), r);
      else if (ent.isFile() && /\.html?$/i.test(ent.name)) out.push(r);
    }
  };
  walk(siteDir, '');
  return out.sort((a, b) => {
    const da = a.split('/').length, db = b.split('/').length;
    if (a === 'index.html') return -1;
    if (b === 'index.html') return 1;
    return collator.compare(a, b) || da - db;
  });
}

/** URL at which a page is served: ".../dir/index.html" is visited as ".../dir/". */
export function pageUrl(baseUrl, rel) {
  const p = rel === 'index.html' ? '' : rel.replace(/(^|\/)index\.html$/, '$1');
  return baseUrl + p.split('/').map(encodeURIComponent).join('/');
}

/** The home page, the first measure page, and the glossary page (null when absent), of the
 * tree under `prefix` (`''` the root, `'en/'` the English tree: see trees.mjs). */
export function keyPages(pages, prefix = '') {
  const home = pages.includes(prefix + 'index.html') ? prefix + 'index.html' : null;
  const list = prefix + 'measures/index.html';
  const measures = pages.filter((p) => p.startsWith(prefix + 'measures/'));
  const detail = measures.filter((p) => p !== list && /\/index\.html$/.test(p));
  const measure = detail[0] || measures.find((p) => p !== list) || measures[0] || null;
  const glossary = pages.includes(prefix + 'glossary/index.html') ? prefix + 'glossary/index.html'
    : (pages.find((p) => p.startsWith(prefix + 'glossary')) || null);
  return { home, measure, glossary };
}

/** Run fn over items with a small concurrency; results in item order. */
export async function pool(items, concurrency, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/**
 * Like pool(), but each worker opens one page in `ctx` and reuses it for its items
 * (a new page per URL costs more than the navigation itself). An item whose fn throws is
 * recorded as {item, error} in the returned list and its page is replaced; the rest go on.
 */
export async function poolWithPage(ctx, items, concurrency, fn) {
  const failures = [];
  let next = 0;
  const worker = async () => {
    let page = await ctx.newPage();
    try {
      while (next < items.length) {
        const i = next++;
        try {
          await fn(page, items[i], i);
        } catch (e) {
          failures.push({ item: items[i], error: e });
          await page.close().catch(() => {});
          page = await ctx.newPage();
        }
      }
    } finally {
      await page.close().catch(() => {});
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return failures;
}
