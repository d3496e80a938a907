// Without JavaScript the key pages still have their main content.
import { newContext, gotoPage } from './browser.mjs';
import { pageUrl } from './pages.mjs';

function contentInPage() {
  const problems = [];
  const visible = (el) => el && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const h1 = document.querySelector('h1');
  if (!h1) problems.push('no <h1>');
  else if (!h1.textContent.trim()) problems.push('<h1> is empty');
  else if (!visible(h1)) problems.push('<h1> is hidden');
  const main = document.querySelector('main, [role=main]');
  if (!main) problems.push('no <main>');
  else if (!visible(main) || main.innerText.trim().length < 2) problems.push('<main> has no visible text');
  const navLinks = [...document.querySelectorAll('nav a[href], [role=navigation] a[href]')].filter(visible);
  if (!navLinks.length) problems.push('no visible links in <nav>');
  // Charts: inline <svg role="img">, or an <img> of an SVG file in a <figure>.
  const svgs = [...document.querySelectorAll('svg[role="img"], figure img[src$=".svg"], figure img[src*=".svg?"]')];
  let charts = 0;
  for (const svg of svgs) {
    charts++;
    if (svg.localName === 'img') {
      const label = `img[src="${svg.getAttribute('src')}"]`;
      if (!(svg.getAttribute('alt') || '').trim()) problems.push(`${label} has no alt text`);
    } else {
      const label = svg.id ? `svg#${svg.id}` : `svg[role=img] #${charts}`;
      const title = svg.querySelector(':scope > title');
      if (!title || !title.textContent.trim()) problems.push(`${label} has no <title>`);
    }
    const label = svg.localName === 'img' ? `img[src="${svg.getAttribute('src')}"]` : svg.id ? `svg#${svg.id}` : `svg[role=img] #${charts}`;
    // A data table near the chart: in the same figure/section (up to 4 ancestors), or referenced by aria.
    let table = null;
    for (let e = svg.parentElement, n = 0; e && n < 4 && e !== document.body && !table; e = e.parentElement, n++) {
      table = e.querySelector('table');
    }
    const refs = `${svg.getAttribute('aria-describedby') || ''} ${svg.getAttribute('aria-details') || ''}`.trim().split(/\s+/).filter(Boolean);
    for (const id of refs) { const t = document.getElementById(id); if (t && (t.localName === 'table' || t.querySelector('table'))) table = t; }
    if (!table) problems.push(`${label} has no data table nearby`);
  }
  return { problems, h1: h1?.textContent.trim().slice(0, 40) || null, navLinks: navLinks.length, charts };
}

export async function checkNoJs(browser, server, pagesToCheck) {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const results = [];
  try {
    for (const rel of pagesToCheck) {
      const page = await ctx.newPage();
      try {
        await gotoPage(page, pageUrl(server.baseUrl, rel));
        results.push({ page: rel, ...(await page.evaluate(contentInPage)) });
      } finally { await page.close(); }
    }
  } finally { await ctx.close(); }
  const problems = results.flatMap((r) => r.problems.map((p) => ({ page: r.page, problem: p })));
  const report = [
    `No JavaScript: ${results.length} pages (` + results.map((r) => `${r.page}: h1 "${r.h1 ?? ''}", ${r.navLinks} nav links, ${r.charts} charts`).join('; ') + `), ${problems.length} problems`,
    ...problems.map((p) => `  ${p.page}: ${p.problem}`),
  ].join('\n');
  return { pages: results.length, results, problems, ok: problems.length === 0 && results.length > 0, report };
}
