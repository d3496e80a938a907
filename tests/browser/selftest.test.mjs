// Self-test: every check passes on fixtures/good and fails, with the expected finding, on fixtures/bad.
// Both fixture sites are served under a sub-path (/shisei/dx/) to exercise base-path handling.
//   node --test selftest.test.mjs      (or: scripts/test-browser.sh --selftest)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './lib/browser.mjs';
import { openSite } from './lib/suite.mjs';
import { normaliseBasePath, resolveSitePath } from './lib/server.mjs';
import { pageUrl, discoverPages, keyPages } from './lib/pages.mjs';
import { checkAxe } from './lib/axe.mjs';
import { checkVnu } from './lib/vnu.mjs';
import { checkLinks } from './lib/links.mjs';
import { checkKeyboard } from './lib/keyboard.mjs';
import { checkReflow } from './lib/reflow.mjs';
import { checkPhone } from './lib/phone.mjs';
import { checkNoJs } from './lib/nojs.mjs';
import { checkReducedMotion, checkDarkContrast, checkForcedColors } from './lib/media.mjs';
import { takeScreenshots } from './lib/screenshots.mjs';
import { checkSearch } from './lib/search.mjs';
import { checkFileLinks } from './lib/filelinks.mjs';
import { checkSwitcher } from './lib/switcher.mjs';
import { pagesOfTree } from './lib/trees.mjs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const GOOD = path.join(here, 'fixtures', 'good');
const BAD = path.join(here, 'fixtures', 'bad');
const BASE = '/shisei/dx/';

let browser, good, bad;
before(async () => {
  browser = await launchBrowser();
  good = await openSite(GOOD, { basePath: BASE, browser });
  bad = await openSite(BAD, { basePath: BASE, browser });
});
after(async () => {
  await good?.close();
  await bad?.close();
  await browser?.close();
});

const keyList = (s) => [s.key.home, s.key.measure];
const pagesOf = (list) => [...new Set(list.map((x) => x.page))].sort();
const has = (list, page, re) => list.some((x) => x.page === page && re.test(x.problem ?? x.reason ?? x.message ?? x.id ?? ''));
const show = (r) => console.log(r.report);

describe('helpers', () => {
  test('base path, URL and file mapping', () => {
    assert.equal(normaliseBasePath('shisei/dx'), '/shisei/dx/');
    assert.equal(normaliseBasePath(''), '/');
    assert.equal(pageUrl('http://h/dx/', 'index.html'), 'http://h/dx/');
    assert.equal(pageUrl('http://h/dx/', 'measures/01-01/index.html'), 'http://h/dx/measures/01-01/');
    assert.equal(pageUrl('http://h/dx/', '404.html'), 'http://h/dx/404.html');
    assert.ok(resolveSitePath(GOOD, BASE, '/shisei/dx/measures/01-01/').file.endsWith('index.html'));
    assert.equal(resolveSitePath(GOOD, BASE, '/shisei/dx/measures/01-01').redirect, '/shisei/dx/measures/01-01/');
    assert.ok(resolveSitePath(GOOD, BASE, '/css/style.css').outside);
    assert.ok(resolveSitePath(GOOD, BASE, '/shisei/dx/../../etc/passwd').missing);
  });
  test('page discovery finds every *.html (404 too) and the key pages', () => {
    const pages = discoverPages(GOOD);
    assert.deepEqual(pages, ['index.html', '404.html', 'glossary/index.html', 'measures/01-01/index.html']);
    assert.deepEqual(keyPages(pages), { home: 'index.html', measure: 'measures/01-01/index.html', glossary: 'glossary/index.html' });
  });
});

describe('fixtures/good passes every check', () => {
  test('axe', async () => { const r = await checkAxe(browser, good.server, good.pages); show(r); assert.ok(r.ok); assert.equal(r.pages, 4); });
  test('vnu', async () => { const r = await checkVnu(good.siteDir, good.pages); show(r); assert.ok(r.ok); });
  test('links', async () => { const r = await checkLinks(browser, good.server, good.siteDir, good.pages); show(r); assert.ok(r.ok); assert.ok(r.checked > 10); });
  test('keyboard', async () => {
    const r = await checkKeyboard(browser, good.server, keyList(good)); show(r);
    assert.ok(r.ok);
    assert.ok(r.results.every((x) => x.skip.ok && x.stops >= 5));
    // the footer link's indicator is a ::after underline: found by the screenshot comparison
    assert.ok(r.results[0].steps.some((s) => s.indicator === 'pixels'), 'pixel fallback used');
  });
  test('reflow', async () => { const r = await checkReflow(browser, good.server, good.pages); show(r); assert.ok(r.ok); });
  test('phones and large text', async () => { const r = await checkPhone(browser, good.server, good.pages); show(r); assert.ok(r.ok); });
  test('no JavaScript', async () => { const r = await checkNoJs(browser, good.server, keyList(good)); show(r); assert.ok(r.ok); assert.equal(r.results[1].charts, 1); });
  test('reduced motion', async () => { const r = await checkReducedMotion(browser, good.server, good.pages); show(r); assert.ok(r.ok); });
  test('dark mode contrast', async () => { const r = await checkDarkContrast(browser, good.server, keyList(good)); show(r); assert.ok(r.ok); });
  test('forced colors', async () => { const r = await checkForcedColors(browser, good.server, keyList(good)); show(r); assert.ok(r.ok); });
  test('screenshots', async () => {
    const out = path.join(here, 'out', 'selftest-screenshots');
    const r = await takeScreenshots(browser, good.server, { home: good.key.home, measure: good.key.measure, glossary: good.key.glossary }, out);
    show(r);
    assert.equal(r.files.length, 6);
    for (const f of r.files) assert.ok(fs.statSync(f).size > 1000, f);
  });
});

describe('fixtures/bad fails each check with the expected finding', () => {
  test('axe: img without alt → image-alt', async () => {
    const r = await checkAxe(browser, bad.server, bad.pages); show(r);
    assert.equal(r.ok, false);
    assert.ok(r.violations.some((v) => v.page === 'img-noalt.html' && v.id === 'image-alt' && v.nodes[0].target === 'img'));
    assert.deepEqual(pagesOf(r.violations), ['img-noalt.html']);
  });
  test('vnu: bad attribute and misnested end tag', async () => {
    const r = await checkVnu(bad.siteDir, bad.pages); show(r);
    assert.equal(r.ok, false);
    const inv = r.errors.filter((e) => e.page === 'invalid.html');
    assert.ok(inv.some((e) => /Attribute “foo” not allowed/.test(e.message)));
    assert.ok(inv.some((e) => /End tag “section” seen, but there were open elements|Unclosed element “h2”/.test(e.message)));
    assert.deepEqual(pagesOf(r.errors), ['img-noalt.html', 'invalid.html']);
  });
  test('links: missing page, image, #anchors, and a URL outside the base path', async () => {
    const r = await checkLinks(browser, bad.server, bad.siteDir, bad.pages); show(r);
    assert.equal(r.ok, false);
    const want = [
      [/href="no-such-page\/"/, /no such file/],
      [/href="#no-such-anchor"/, /no id="no-such-anchor" in broken-links\.html/],
      [/href="img-noalt\.html#nothere"/, /no id="nothere" in img-noalt\.html/],
      [/src="images\/missing\.png"/, /no such file/],
      [/href="\/css\/style\.css"/, /outside the base path/],
    ];
    for (const [l, why] of want) assert.ok(r.broken.some((b) => l.test(b.link) && why.test(b.reason)), `${l} ${why}`);
    assert.equal(r.broken.length, want.length, 'chart.svg#bar, external and mailto links are not reported');
    assert.deepEqual(pagesOf(r.broken), ['broken-links.html']);
  });
  test('keyboard: outline:none, missing skip link, positive tabindex', async () => {
    const r = await checkKeyboard(browser, bad.server, keyList(bad)); show(r);
    assert.equal(r.ok, false);
    assert.ok(has(r.problems, 'index.html', /^no visible focus indicator: a\[href="\.\/"\]/));
    assert.ok(has(r.problems, 'measures/01-01/index.html', /^skip link: the first Tab reached .*not a same-page #link/));
    assert.ok(has(r.problems, 'measures/01-01/index.html', /^positive tabindex/));
    assert.ok(has(r.problems, 'measures/01-01/index.html', /^focus order goes backwards/));
  });
  test('phones and large text: small chart labels that do not grow, a cut-off table, sideways scroll with 200% text, a Tab-stop region that does not scroll', async () => {
    const r = await checkPhone(browser, bad.server, bad.pages); show(r);
    assert.equal(r.ok, false);
    assert.ok(has(r.findings, 'phone.html', /chart labels under 12px at 320px, smallest 5\.\dpx/));
    assert.ok(has(r.findings, 'phone.html', /does not grow with the text size at 1280px/));
    assert.ok(has(r.findings, 'phone.html', /table "切れる表": \d+ cells cut off at the right at 320px/));
    assert.ok(has(r.findings, 'wide.html', /scrollWidth \d+ > 375 at 375px with 200% text/));
    assert.ok(has(r.findings, 'idle-scroller.html', /scroll region div\.table-wrap "小さい表" is a Tab stop \(tabindex="0"\) but does not scroll at 1280px/));
    assert.ok(!r.findings.some((f) => f.page === 'index.html'), 'the plain home page passes');
  });
  test('reflow: 600px box, unnamed scroll container, clipped text at 200%', async () => {
    const r = await checkReflow(browser, bad.server, bad.pages); show(r);
    assert.equal(r.ok, false);
    assert.ok(has(r.findings, 'wide.html', /^scrollWidth 6\d\d > 320 .*\n *main#main > div \(right edge at 6\d\dpx, width 600px\)/));
    assert.ok(has(r.findings, 'scroller.html', /scroll container that is not role="region"/));
    assert.ok(has(r.findings, 'clip.html', /^text clipped at 200% text size: p /));
    assert.ok(has(r.findings, 'hidden-overflow.html', /^scrollWidth \d+ > 320 .*\n.*visually hidden .*span\.sr-only .*containing block is outside the scroll container div\.scroller/));
    assert.deepEqual(pagesOf(r.findings), ['clip.html', 'hidden-overflow.html', 'scroller.html', 'wide.html']);
  });
  test('no JavaScript: h1 only from script, chart without <title> and table', async () => {
    const r = await checkNoJs(browser, bad.server, keyList(bad)); show(r);
    assert.equal(r.ok, false);
    const m = 'measures/01-01/index.html';
    assert.ok(has(r.problems, m, /^no <h1>$/));
    assert.ok(has(r.problems, m, /has no <title>/));
    assert.ok(has(r.problems, m, /has no data table nearby/));
    assert.deepEqual(pagesOf(r.problems), [m]);
  });
  test('reduced motion: endless spinner', async () => {
    const r = await checkReducedMotion(browser, bad.server, bad.pages); show(r);
    assert.equal(r.ok, false);
    assert.ok(has(r.findings, 'index.html', /animation "spin" on span\.spinner \(infinite\)/));
    assert.deepEqual(pagesOf(r.findings), ['index.html']);
  });
  test('dark mode: low-contrast note', async () => {
    const r = await checkDarkContrast(browser, bad.server, keyList(bad)); show(r);
    assert.equal(r.ok, false);
    assert.ok(r.findings.some((f) => f.page === 'measures/01-01/index.html' && f.target === '.note'));
    assert.equal(r.findings.length, 1);
  });
  test('forced colors: background-only status dot, no focus outline', async () => {
    const r = await checkForcedColors(browser, bad.server, keyList(bad)); show(r);
    assert.equal(r.ok, false);
    assert.ok(has(r.findings, 'measures/01-01/index.html', /span\.dot "達成" is drawn only with background colour/));
    assert.ok(has(r.findings, 'index.html', /^no outline on focus in forced colors: a\[href="\.\/"\]/));
  });
});

// Search fixtures carry a hand-written one-shard index; the real search.js of the theme is
// copied in at test time so that the self-test exercises exactly what sites ship.
function searchFixture(kind) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `keikaku-search-${kind}-`));
  fs.cpSync(path.join(here, 'fixtures', 'search', kind), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.copyFileSync(path.join(here, '..', '..', 'themes', 'default', 'static', 'search.js'), path.join(dir, 'assets', 'search.js'));
  return dir;
}

describe('search and file:// checks can pass and fail', () => {
  const cases = [{ query: 'ドローン', expect: 'measures/01-01/', first: true }, { query: '01-01', expect: 'measures/01-01/', first: true }];
  for (const kind of ['good', 'bad']) {
    test(`search: fixtures/search/${kind} over http and file://`, async () => {
      const dir = searchFixture(kind);
      const s = await openSite(dir, { basePath: BASE, browser });
      try {
        const r = await checkSearch(browser, s.server.baseUrl + 'search/', s.server.baseUrl, cases); show(r);
        const root = pathToFileURL(dir).href + '/';
        const f = await checkSearch(browser, root + 'search/index.html', root, cases); show(f);
        for (const x of [r, f]) {
          if (kind === 'good') assert.ok(x.ok);
          else {
            assert.equal(x.ok, false);
            assert.deepEqual(x.problems, ['「ドローン」: measures/01-01/ is not among the 0 results ()']);
          }
        }
      } finally {
        await s.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  test('file:// links: good passes; folder link, missing file and bad fragment fail', async () => {
    const good = path.join(here, 'fixtures', 'file', 'good');
    const g = await checkFileLinks(browser, good, discoverPages(good)); show(g);
    assert.ok(g.ok);
    assert.ok(g.checked >= 4);
    const badDir = path.join(here, 'fixtures', 'file', 'bad');
    const b = await checkFileLinks(browser, badDir, discoverPages(badDir)); show(b);
    assert.equal(b.ok, false);
    assert.deepEqual(b.broken, [
      'index.html: <a href="sub/"> → a folder (shows a directory listing from file://)',
      'index.html: <a href="missing.html"> → no such file',
      'index.html: <a href="sub/index.html#nowhere"> → no id="nowhere"',
    ]);
  });
});

describe('language trees and the switcher by keyboard', () => {
  const open = (kind) => openSite(path.join(here, 'fixtures', 'trees', kind), { basePath: BASE, browser });
  const keys = (s) => s.trees.flatMap((t) => [t.key.home, t.key.measure]).filter(Boolean);
  test('trees: the root, easy/ and en/ with their key pages', async () => {
    const s = await open('good');
    try {
      assert.deepEqual(s.trees.map((t) => [t.prefix, t.hreflang, t.key.home, t.key.measure]), [
        ['', 'ja', 'index.html', 'measures/01-01/index.html'],
        ['easy/', 'ja-x-easy', 'easy/index.html', 'easy/measures/01-01/index.html'],
        ['en/', 'en', 'en/index.html', 'en/measures/01-01/index.html'],
      ]);
      assert.deepEqual(s.key, { home: 'index.html', measure: 'measures/01-01/index.html', glossary: null });
      assert.deepEqual(pagesOfTree(s.pages, s.trees[2], s.trees), ['en/index.html', 'en/measures/01-01/index.html']);
    } finally { await s.close(); }
  });
  test('switcher: good passes on every tree', async () => {
    const s = await open('good');
    try {
      const r = await checkSwitcher(browser, s.server, keys(s), s.trees, s.pages); show(r);
      assert.ok(r.ok);
      assert.equal(r.results.length, 12);
    } finally { await s.close(); }
  });
  test('switcher: out of the Tab order, wrong page, wrong lang and a missing sibling fail', async () => {
    const s = await open('bad');
    try {
      const r = await checkSwitcher(browser, s.server, keys(s), s.trees, s.pages); show(r);
      assert.equal(r.ok, false);
      assert.deepEqual(r.findings.map((f) => `${f.page}: ${f.problem}`), [
        'index.html: Tab (80 times) never reached a link to en/index.html (English)',
        'measures/01-01/index.html: no sibling page easy/measures/01-01/index.html in the ja-x-easy tree',
        'measures/01-01/index.html: Tab (80 times) never reached a link to en/measures/01-01/index.html (English)',
        'easy/index.html: en/index.html has lang="ja", want "en"',
        'en/measures/01-01/index.html: no sibling page easy/measures/01-01/index.html in the ja-x-easy tree',
      ]);
    } finally { await s.close(); }
  });
});
