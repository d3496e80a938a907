// The language switcher by keyboard (issue #23): on a page of each tree, Tab from the top of
// the page must reach a link to the same page in every other tree, and Enter on it must open
// that page, in that tree's language. The link is found by where it goes (not by its markup):
// the focused element is a link whose target is the sibling page.
import { newContext, gotoPage } from './browser.mjs';
import { pageUrl } from './pages.mjs';
import { treeOf } from './trees.mjs';

const MAX_TABS = 80;

/** The URL without its fragment, and ".../index.html" read as ".../". */
const normalise = (url) => {
  const u = new URL(url);
  u.hash = '';
  u.pathname = u.pathname.replace(/\/index\.html$/, '/');
  return u.href;
};

/**
 * For each page in `pagesToCheck` and each other tree in `trees`: Tab until a link to the
 * sibling page has focus (at most MAX_TABS presses), press Enter, and check the URL and the
 * `lang` of the page that opens. Sibling pages that do not exist are findings too.
 */
export async function checkSwitcher(browser, server, pagesToCheck, trees, allPages) {
  const ctx = await newContext(browser);
  const findings = [];
  const results = [];
  try {
    for (const rel of pagesToCheck) {
      const { tree, inner } = treeOf(rel, trees);
      for (const other of trees.filter((t) => t !== tree)) {
        const sibling = other.prefix + inner;
        const label = `${rel} → ${other.name}`;
        if (!allPages.includes(sibling)) { findings.push({ page: rel, problem: `no sibling page ${sibling} in the ${other.hreflang} tree` }); continue; }
        const want = normalise(pageUrl(server.baseUrl, sibling));
        const page = await ctx.newPage();
        try {
          await gotoPage(page, pageUrl(server.baseUrl, rel));
          let tabs = 0;
          let reached = null;
          while (tabs < MAX_TABS && !reached) {
            await page.keyboard.press('Tab');
            tabs++;
            reached = await page.evaluate((w) => {
              const el = document.activeElement;
              if (!el || el.localName !== 'a' || !el.href) return null;
              const u = new URL(el.href);
              u.hash = '';
              u.pathname = u.pathname.replace(/\/index\.html$/, '/');
              return u.href === w ? { text: el.textContent.replace(/\s+/g, ' ').trim(), lang: el.closest('[lang]')?.getAttribute('lang') ?? '' } : null;
            }, want);
          }
          if (!reached) { findings.push({ page: rel, problem: `Tab (${MAX_TABS} times) never reached a link to ${sibling} (${other.name})` }); continue; }
          await Promise.all([page.waitForURL((u) => normalise(u.href) === want, { timeout: 10_000 }).catch(() => {}), page.keyboard.press('Enter')]);
          await page.waitForLoadState('load').catch(() => {});
          const got = normalise(page.url());
          const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
          if (got !== want) findings.push({ page: rel, problem: `Enter on "${reached.text}" opened ${got}, not ${want}` });
          else if (lang !== other.lang) findings.push({ page: rel, problem: `${sibling} has lang="${lang}", want "${other.lang}"` });
          results.push({ label, tabs, text: reached.text, lang: reached.lang });
        } finally { await page.close(); }
      }
    }
  } finally { await ctx.close(); }
  const report = [
    `Language switcher by keyboard: ${results.length} links reached (` + results.map((r) => `${r.label}: ${r.tabs} Tab, "${r.text}"`).join('; ') + `), ${findings.length} problems`,
    ...findings.map((f) => `  ${f.page}: ${f.problem}`),
  ].join('\n');
  return { results, findings, ok: findings.length === 0 && results.length > 0, report };
}
