// axe-core, injected as source into each page (works under any CSP since it is evaluated via CDP).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { newContext, gotoPage } from './browser.mjs';
import { pageUrl, poolWithPage } from './pages.mjs';

const require = createRequire(import.meta.url);
export const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_VERSION = require('axe-core/package.json').version;
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Run axe in an already loaded page. `runOnly` is a tag list or {rules:[...]} */
export async function runAxe(page, { tags = WCAG_TAGS, rules = null } = {}) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE_SOURCE);
  const runOnly = rules ? { type: 'rule', values: rules } : { type: 'tag', values: tags };
  return page.evaluate(async (runOnly) => {
    const r = await window.axe.run(document, { runOnly, resultTypes: ['violations', 'incomplete'] });
    const slim = (list) => list.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary || '' })),
    }));
    return { violations: slim(r.violations), incomplete: slim(r.incomplete), passes: r.passes.length };
  }, runOnly);
}

export function formatAxe(pageRel, violations) {
  const lines = [];
  for (const v of violations) {
    for (const n of v.nodes) {
      lines.push(`  ${pageRel}: [${v.id}] (${v.impact}) ${v.help}\n    target: ${n.target}\n    ${n.summary.replace(/\n/g, '\n    ')}`);
    }
  }
  return lines.join('\n');
}

/** axe WCAG 2.x A/AA on every page. Returns {pages, violations:[{page,id,impact,target,summary}], report}. */
export async function checkAxe(browser, server, pages, { concurrency = 2, contextOptions = {} } = {}) {
  const ctx = await newContext(browser, contextOptions);
  const found = [];
  const errors = [];
  try {
    const failures = await poolWithPage(ctx, pages, concurrency, async (page, rel) => {
      await gotoPage(page, pageUrl(server.baseUrl, rel));
      const r = await runAxe(page);
      for (const v of r.violations) found.push({ page: rel, ...v });
    });
    for (const f of failures) errors.push(`${f.item}: ${f.error.message}`);
  } finally {
    await ctx.close();
  }
  const nodes = found.reduce((a, v) => a + v.nodes.length, 0);
  const byPage = [...new Set(found.map((v) => v.page))];
  const report = [
    `axe-core ${AXE_VERSION} (${WCAG_TAGS.join(', ')}): ${pages.length} pages checked, ` +
    `${found.length} violations (${nodes} elements) on ${byPage.length} pages`,
    ...byPage.map((p) => formatAxe(p, found.filter((v) => v.page === p))),
    ...errors.map((e) => `  ERROR ${e}`),
  ].join('\n');
  return { pages: pages.length, violations: found, errors, ok: found.length === 0 && errors.length === 0, report };
}
