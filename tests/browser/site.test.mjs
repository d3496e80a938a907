// The browser suite, run against any built site folder:
//   SITE_DIR=path/to/public [BASE_PATH=/shisei/dx/] [SITE_URL=https://www.city.example.lg.jp/dx/] node --test site.test.mjs
// (scripts/test-browser.sh sets these.)
import { test, before, after } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSite } from './lib/suite.mjs';
import { pageUrl } from './lib/pages.mjs';
import { checkAxe } from './lib/axe.mjs';
import { checkVnu } from './lib/vnu.mjs';
import { checkLinks } from './lib/links.mjs';
import { checkKeyboard } from './lib/keyboard.mjs';
import { checkReflow } from './lib/reflow.mjs';
import { checkPhone } from './lib/phone.mjs';
import { checkNoJs } from './lib/nojs.mjs';
import { checkReducedMotion, checkDarkContrast, checkForcedColors } from './lib/media.mjs';
import { takeScreenshots } from './lib/screenshots.mjs';
import { checkSearch, findSearchPage } from './lib/search.mjs';
import { searchCases } from './lib/cases.mjs';
import { pagesOfTree } from './lib/trees.mjs';
import { checkSwitcher } from './lib/switcher.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SITE_DIR = process.env.SITE_DIR;
const BASE_PATH = process.env.BASE_PATH || '/';
const SITE_URLS = (process.env.SITE_URL || '').split(/[ ,]+/).filter(Boolean);
const CONCURRENCY = Number(process.env.CONCURRENCY || 2);
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(here, 'out', 'screenshots');

let site;
const log = (s) => console.log(s);
const firstLines = (s, n = 25) => { const l = s.split('\n'); return l.length > n ? l.slice(0, n).join('\n') + `\n  … ${l.length - n} more lines above` : s; };
// Fail with just the message (the findings are printed above it; a stack trace adds nothing).
const check = (ok, msg) => { if (!ok) { const e = new Error(msg); e.stack = msg; throw e; } };
const keyList = () => [site.key.home, site.key.measure].filter(Boolean);
// The home page and first measure page of every language tree (/, /easy/, /en/ when built).
const treeKeyList = () => site.trees.flatMap((t) => [t.key.home, t.key.measure]).filter(Boolean);
const treeName = (t) => t.prefix ? `/${t.prefix}` : '/';

before(async () => {
  check(SITE_DIR, 'set SITE_DIR to the built site folder');
  site = await openSite(SITE_DIR, { basePath: BASE_PATH });
  log(`Site ${site.siteDir} served at ${site.server.baseUrl}`);
});
after(async () => { if (site) await site.close(); });

test('pages: discover every generated *.html page', () => {
  log(`Pages: ${site.pages.length} *.html files (home: ${site.key.home ?? 'MISSING'}, first measure: ${site.key.measure ?? 'none'}, glossary: ${site.key.glossary ?? 'none'}, 404: ${site.pages.includes('404.html') ? '404.html' : 'none'})`);
  check(site.pages.length > 0, 'no *.html files found');
  check(site.key.home, 'no index.html at the top of the site');
  // Every check that takes site.pages runs on every tree; those on key pages take treeKeyList().
  log(`Language trees: ${site.trees.map((t) => `${treeName(t)} (${t.hreflang}) ${pagesOfTree(site.pages, t, site.trees).length} pages, first measure ${t.key.measure ?? 'none'}`).join('; ')}`);
});

test('axe-core: WCAG 2.2 A/AA on every page of every language tree', async () => {
  const r = await checkAxe(site.browser, site.server, site.pages, { concurrency: CONCURRENCY });
  log(r.report);
  check(r.ok, `${r.violations.length} axe violations (see the list above)`);
});

test('Nu HTML Checker: no errors on every page', async () => {
  const r = await checkVnu(site.siteDir, site.pages);
  log(r.report);
  check(r.ok, `${r.errors.length} HTML errors (see the list above)`);
});

test('links: every internal href/src and #fragment resolves (every page of every language tree)', async () => {
  const r = await checkLinks(site.browser, site.server, site.siteDir, site.pages, { concurrency: CONCURRENCY, siteUrls: SITE_URLS });
  log(r.report);
  check(r.ok, `${r.broken.length} broken links (see the list above)`);
});

test('keyboard: Tab order, focus indicator, skip link (home + first measure page)', async () => {
  const r = await checkKeyboard(site.browser, site.server, keyList());
  log(r.report);
  check(r.ok, `${r.problems.length} keyboard problems (see the list above)`);
});

test('reflow: 320px without horizontal scroll; 200% text without clipping (every page)', async () => {
  const r = await checkReflow(site.browser, site.server, site.pages, { concurrency: CONCURRENCY });
  log(r.report);
  check(r.ok, `${r.findings.length} reflow/zoom problems (see the list above)`);
});

test('phones and large text: chart labels >= 12px at 320px and growing with 200% text, no cut-off table cell at 320px, no sideways scroll at 375px with 200% text (every page)', async () => {
  const r = await checkPhone(site.browser, site.server, site.pages, { concurrency: CONCURRENCY });
  log(r.report);
  check(r.ok, `${r.findings.length} problems on phones or with large text (see the list above)`);
});

test('no JavaScript: key pages of every language tree keep h1, nav links, charts with <title> and a table', async () => {
  const r = await checkNoJs(site.browser, site.server, treeKeyList());
  log(r.report);
  check(r.ok, `${r.problems.length} problems without JavaScript (see the list above)`);
});

test('language switcher: Tab reaches it and Enter opens the same page in the other language (home + first measure of every tree)', async (t) => {
  if (site.trees.length < 2) { t.skip('one language only (no easy/ or en/ tree)'); return; }
  const r = await checkSwitcher(site.browser, site.server, treeKeyList(), site.trees, site.pages);
  log(r.report);
  check(r.ok, `${r.findings.length} language switcher problems (see the list above)`);
});

test('media: prefers-reduced-motion: reduce stops animations (every page)', async () => {
  const r = await checkReducedMotion(site.browser, site.server, site.pages, { concurrency: CONCURRENCY });
  log(firstLines(r.report, 40));
  check(r.ok, `${r.findings.length} running animations (see the list above)`);
});

test('media: prefers-color-scheme: dark keeps contrast (axe color-contrast)', async () => {
  const r = await checkDarkContrast(site.browser, site.server, keyList());
  log(r.report);
  check(r.ok, `${r.findings.length} contrast violations in dark mode (see the list above)`);
});

test('media: forced-colors: active keeps focus outline and icons', async () => {
  const r = await checkForcedColors(site.browser, site.server, keyList());
  log(r.report);
  check(r.ok, `${r.findings.length} forced-colors problems (see the list above)`);
});

test('search: queries find their pages; labelled input; results announced', async (t) => {
  const rel = findSearchPage(site.pages);
  if (!rel) { t.skip('no search/index.html'); return; }
  const cases = searchCases(site.siteDir);
  const r = await checkSearch(site.browser, pageUrl(site.server.baseUrl, rel), site.server.baseUrl, cases);
  log(r.report);
  check(r.ok, `${r.problems.length} search problems (see the list above)`);
});

test('screenshots: key pages of every language tree at 375px and 1280px', async () => {
  // home-375.png for the root tree, en-home-375.png and easy-home-375.png for the others.
  const named = {};
  for (const t of site.trees) {
    const pre = t.prefix ? t.prefix.replace(/\/$/, '-') : '';
    Object.assign(named, { [`${pre}home`]: t.key.home, [`${pre}measure`]: t.key.measure, [`${pre}glossary`]: t.key.glossary });
  }
  const r = await takeScreenshots(site.browser, site.server, named, SCREENSHOT_DIR);
  log(r.report);
  check(r.ok, 'no screenshots written');
});
