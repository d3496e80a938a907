// Site search in the browser: on the search page (the page with form.search-form[data-docs]),
// type each query into the labelled search box, submit with Enter, and require that the
// expected page is among the results and that the result count is announced in a live
// region. Works over http and over file:// (pass the page URL).
import { newContext, gotoPage } from './browser.mjs';

/** Static accessibility facts of the search form (run inside the page). */
function formFacts() {
  const form = document.querySelector('form.search-form[data-docs]');
  if (!form) return { found: false };
  const input = form.querySelector('input[name="q"]');
  const label = input && input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
  const live = document.querySelector('[role="status"], [aria-live="polite"], [aria-live="assertive"]');
  return {
    found: true,
    inputId: input?.id || null,
    labelled: Boolean(label && label.textContent.trim()) || Boolean(input?.getAttribute('aria-label')),
    liveId: live?.id || null,
    liveRole: live ? `${live.getAttribute('role') || ''} aria-live=${live.getAttribute('aria-live') || ''}` : null,
  };
}

/**
 * @param url     absolute URL of the search page (http://…/search/ or file:///…/search/index.html)
 * @param cases   [{query, expect}] where expect is a site path such as "measures/01-03/"
 * @param siteRoot absolute URL of the site root, to turn result hrefs into site paths
 * @param opts.first  when true for a case (case.first), the expected page must be the first result
 */
export async function checkSearch(browser, url, siteRoot, cases) {
  const ctx = await newContext(browser);
  const problems = [];
  const lines = [];
  try {
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await gotoPage(page, url);
    const facts = await page.evaluate(formFacts);
    if (!facts.found) {
      problems.push('no search form (form.search-form[data-docs]) on the search page');
    } else {
      if (!facts.labelled) problems.push(`search input #${facts.inputId} has no <label>`);
      if (!facts.liveId) problems.push('no live region (role=status / aria-live) to announce results');
      for (const c of cases) {
        const input = page.locator(`#${facts.inputId}`);
        await input.fill('');
        await page.evaluate((id) => { document.getElementById(id).textContent = ''; }, facts.liveId);
        await input.focus();
        await page.keyboard.type(c.query);
        await page.keyboard.press('Enter');
        let announced = '';
        try {
          await page.waitForFunction((id) => document.getElementById(id).textContent.trim() !== '', facts.liveId, { timeout: 10_000 });
          announced = (await page.locator(`#${facts.liveId}`).textContent()).trim();
        } catch {
          problems.push(`「${c.query}」: nothing announced in #${facts.liveId} within 10 s`);
          continue;
        }
        const hrefs = await page.evaluate(() => [...document.querySelectorAll('#search-results a[href]')].map((a) => a.href));
        const paths = hrefs.map((h) => (h.startsWith(siteRoot) ? h.slice(siteRoot.length) : h).replace(/index\.html(?=$|#)/, ''));
        const at = paths.indexOf(c.expect);
        lines.push(`  「${c.query}」 → ${paths.length} results; ${c.expect} ${at < 0 ? 'MISSING' : `#${at + 1}`}; announced: ${announced}`);
        if (at < 0) problems.push(`「${c.query}」: ${c.expect} is not among the ${paths.length} results (${paths.slice(0, 12).join(', ')})`);
        else if (c.first && at !== 0) problems.push(`「${c.query}」: ${c.expect} is result #${at + 1}, expected first`);
        if (!new RegExp(String(paths.length)).test(announced) && paths.length > 0) problems.push(`「${c.query}」: announcement "${announced}" does not state the count`);
      }
    }
    for (const e of errors) problems.push(`JavaScript error: ${e}`);
  } finally {
    await ctx.close();
  }
  const report = [`Search: ${cases.length} queries on ${url}, ${problems.length} problems`, ...lines, ...problems.map((p) => `  ${p}`)].join('\n');
  return { ok: problems.length === 0, problems, report };
}

/** The search page of a site folder (relative path), or null. */
export function findSearchPage(pages) {
  return pages.find((p) => p === 'search/index.html') || null;
}
