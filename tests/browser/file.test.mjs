// A site built with `keikaku build --file-links`, opened from the file system (file://):
//   SITE_DIR=path/to/site [SEARCH_CASES=example-search.json] node --test file.test.mjs
// (scripts/test-browser.sh --file SITE_DIR sets these.)
import { test, before, after } from 'node:test';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from './lib/browser.mjs';
import { discoverPages } from './lib/pages.mjs';
import { checkFileLinks } from './lib/filelinks.mjs';
import { checkSearch, findSearchPage } from './lib/search.mjs';
import { searchCases } from './lib/cases.mjs';

const SITE_DIR = path.resolve(process.env.SITE_DIR || '');
const CONCURRENCY = Number(process.env.CONCURRENCY || 2);
const check = (ok, msg) => { if (!ok) { const e = new Error(msg); e.stack = msg; throw e; } };
let browser, pages;

before(async () => {
  check(process.env.SITE_DIR, 'set SITE_DIR to the built site folder');
  browser = await launchBrowser();
  // The 404 page is only ever shown by a web server, with links from the server's root.
  pages = discoverPages(SITE_DIR).filter((p) => p !== '404.html');
});
after(async () => { await browser?.close(); });

test('file:// links: every link names a file that exists, every #fragment an id', async () => {
  const r = await checkFileLinks(browser, SITE_DIR, pages, { concurrency: CONCURRENCY });
  console.log(r.report);
  check(r.checked > 0, 'no links checked');
  check(r.ok, `${r.broken.length} broken file:// links (see the list above)`);
});

test('file:// search: queries find their pages', async (t) => {
  const rel = findSearchPage(pages);
  if (!rel) { t.skip('no search/index.html'); return; }
  const root = pathToFileURL(SITE_DIR).href + '/';
  const r = await checkSearch(browser, root + rel, root, searchCases(SITE_DIR));
  console.log(r.report);
  check(r.ok, `${r.problems.length} search problems (see the list above)`);
});
