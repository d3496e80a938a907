// Phones and large text (issue #19): chart text at least 12 CSS px at 320 px and growing with
// the text size, no table cell cut off at 320 px, no sideways scroll at 375 px with 200 % text,
// and at 1280 px no Tab-stop scroll region whose content fits (a Tab stop that scrolls nothing).
import { newContext, gotoPage } from './browser.mjs';
import { pageUrl, poolWithPage } from './pages.mjs';

/** Smallest chart label size that passes, in CSS px at 320 px. */
export const MIN_CHART_PX = 12;
/** At 1280 px, 200 % text must make chart text at least this much larger. */
export const MIN_ZOOM_GROWTH = 1.5;

/**
 * In page: every chart text with its rendered size in CSS px. Inline SVG text is measured
 * through its screen transform; an <img> of an SVG file is fetched and parsed, each text's
 * font-size scaled by how much the image is shrunk or enlarged from its viewBox.
 */
async function chartTextInPage() {
  const out = [];
  for (const t of document.querySelectorAll('svg text')) {
    if (t.closest('symbol, defs') || !t.checkVisibility()) continue;
    const m = t.getScreenCTM();
    if (!m) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    out.push({ chart: 'inline svg', text: t.textContent.trim().slice(0, 20), px });
  }
  for (const img of document.querySelectorAll('img')) {
    const src = img.getAttribute('src') || '';
    if (!/\.svg([?#]|$)/i.test(src) || !img.clientWidth || !img.checkVisibility()) continue;
    let doc;
    try {
      const res = await fetch(img.src);
      doc = new DOMParser().parseFromString(await res.text(), 'image/svg+xml');
    } catch { continue; }
    const root = doc.documentElement;
    const vb = (root.getAttribute('viewBox') || '').trim().split(/[\s,]+/).map(Number);
    const vw = vb.length === 4 ? vb[2] : parseFloat(root.getAttribute('width'));
    const vh = vb.length === 4 ? vb[3] : parseFloat(root.getAttribute('height'));
    if (!vw || !vh) continue;
    const k = Math.min(img.clientWidth / vw, img.clientHeight / vh);
    for (const t of doc.getElementsByTagName('text')) {
      let size = null;
      for (let e = t; e && e.nodeType === 1 && size === null; e = e.parentNode) {
        const style = (e.getAttribute('style') || '').match(/font-size:\s*([\d.]+)/);
        const a = style ? style[1] : e.getAttribute('font-size');
        if (a && /^[\d.]+(px)?$/.test(a.trim())) size = parseFloat(a);
      }
      out.push({ chart: src, text: t.textContent.trim().slice(0, 20), px: (size ?? 16) * k });
    }
  }
  return out;
}

/** In page: table cells whose right edge is beyond what their scroll container (or the window) shows. */
function clippedCellsInPage() {
  const accName = (el) => (el.getAttribute('aria-label') || '').trim() ||
    (el.getAttribute('aria-labelledby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ').trim();
  const found = [];
  for (const table of document.querySelectorAll('table')) {
    if (!table.checkVisibility()) continue;
    // The nearest ancestor that clips or scrolls horizontally.
    let box = null;
    for (let e = table.parentElement; e && e !== document.documentElement; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.overflowX !== 'visible' || cs.clipPath !== 'none' || /paint|strict|content/.test(cs.contain)) { box = e; break; }
    }
    const right = box ? box.getBoundingClientRect().right : document.documentElement.clientWidth;
    const cut = [...table.querySelectorAll('td, th')].filter((c) => c.checkVisibility() && c.getBoundingClientRect().right > right + 1);
    if (!cut.length) continue;
    const region = box && box.getAttribute('role') === 'region' && box.getAttribute('tabindex') === '0' && !!accName(box) &&
      /auto|scroll/.test(getComputedStyle(box).overflowX);
    const name = (table.caption?.textContent || table.className || 'table').trim().slice(0, 30);
    found.push({ table: name, cells: cut.length, first: cut[0].textContent.trim().slice(0, 20), region });
  }
  return found;
}

/**
 * In page: Tab-stop scroll regions (tabindex="0" on a box whose overflow scrolls) that do not
 * scroll: their content fits, so the extra Tab stop leads nowhere (issue #19.11).
 */
function idleScrollStopsInPage() {
  const scrolls = (v) => v === 'auto' || v === 'scroll';
  const found = [];
  for (const e of document.querySelectorAll('[tabindex="0"]')) {
    const cs = getComputedStyle(e);
    if (!(scrolls(cs.overflowX) || scrolls(cs.overflowY)) || !e.checkVisibility()) continue;
    const wide = scrolls(cs.overflowX) && e.scrollWidth > e.clientWidth;
    const tall = scrolls(cs.overflowY) && e.scrollHeight > e.clientHeight + 1;
    if (wide || tall) continue;
    const label = (e.getAttribute('aria-label') || '').trim() ||
      (e.getAttribute('aria-labelledby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ').trim();
    found.push({ box: `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : ''}`, name: label.slice(0, 30), sw: e.scrollWidth, cw: e.clientWidth });
  }
  return found;
}

function overflowWithLargeText() {
  document.documentElement.style.fontSize = '200%';
  return { sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth };
}

const smallest = (texts) => texts.reduce((m, t) => (t.px < m.px ? t : m), { px: Infinity });

export async function checkPhone(browser, server, pages, { concurrency = 2 } = {}) {
  const findings = [];
  const notes = [];
  const errors = [];
  const at320 = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const at375 = await newContext(browser, { viewport: { width: 375, height: 740 } });
  const at1280 = await newContext(browser, { viewport: { width: 1280, height: 800 } });
  let charts = 0;
  const sizes = { 320: [], 375: [], 1280: [], '1280x2': [] };
  try {
    const f1 = await poolWithPage(at320, pages, concurrency, async (page, rel) => {
      await gotoPage(page, pageUrl(server.baseUrl, rel));
      const texts = await page.evaluate(chartTextInPage);
      const small = texts.filter((t) => t.px < MIN_CHART_PX - 0.05);
      if (texts.length) { charts += 1; sizes[320].push(smallest(texts).px); }
      if (small.length) {
        const s = smallest(small);
        findings.push({ page: rel, kind: 'chart text', problem: `${small.length} chart labels under ${MIN_CHART_PX}px at 320px, smallest ${s.px.toFixed(1)}px: "${s.text}" in ${s.chart}` });
      }
      for (const c of await page.evaluate(clippedCellsInPage)) {
        const what = `table "${c.table}": ${c.cells} cells cut off at the right at 320px (first "${c.first}")`;
        if (c.region) notes.push(`${rel}: ${what}, inside a named scroll region`);
        else findings.push({ page: rel, kind: 'table', problem: what });
      }
    });
    for (const f of f1) errors.push(`${f.item} (320px): ${f.error.message}`);
    const f2 = await poolWithPage(at375, pages, concurrency, async (page, rel) => {
      await gotoPage(page, pageUrl(server.baseUrl, rel));
      const o = await page.evaluate(overflowWithLargeText);
      if (o.sw > o.cw + 1) findings.push({ page: rel, kind: 'large text', problem: `scrollWidth ${o.sw} > ${o.cw} at 375px with 200% text (the page scrolls sideways)` });
      const texts = await page.evaluate(chartTextInPage);
      if (texts.length) sizes[375].push(smallest(texts).px);
    });
    for (const f of f2) errors.push(`${f.item} (375px, 200%): ${f.error.message}`);
    const f3 = await poolWithPage(at1280, pages, concurrency, async (page, rel) => {
      await gotoPage(page, pageUrl(server.baseUrl, rel));
      for (const b of await page.evaluate(idleScrollStopsInPage)) {
        findings.push({ page: rel, kind: 'tab stop', problem: `scroll region ${b.box} "${b.name}" is a Tab stop (tabindex="0") but does not scroll at 1280px (scrollWidth ${b.sw} <= clientWidth ${b.cw})` });
      }
      const before = await page.evaluate(chartTextInPage);
      if (!before.length) return;
      await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
      const after = await page.evaluate(chartTextInPage);
      const a = smallest(before).px, b = smallest(after).px;
      sizes[1280].push(a); sizes['1280x2'].push(b);
      if (b < a * MIN_ZOOM_GROWTH) findings.push({ page: rel, kind: 'chart text', problem: `chart text does not grow with the text size at 1280px: smallest label ${a.toFixed(1)}px at 100%, ${b.toFixed(1)}px at 200%` });
    });
    for (const f of f3) errors.push(`${f.item} (1280px): ${f.error.message}`);
  } finally {
    await at320.close();
    await at375.close();
    await at1280.close();
  }
  const order = new Map(pages.map((p, i) => [p, i]));
  findings.sort((a, b) => order.get(a.page) - order.get(b.page));
  const range = (xs) => (xs.length ? `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}px` : 'n/a');
  const report = [
    `Phones and large text: ${pages.length} pages, ${charts} with charts: ${findings.length} problems`,
    `  smallest chart label: 320px ${range(sizes[320])}; 375px with 200% text ${range(sizes[375])}; 1280px ${range(sizes[1280])} → ${range(sizes['1280x2'])} with 200% text`,
    ...findings.map((f) => `  ${f.page}: ${f.problem}`),
    ...notes.slice(0, 10).map((n) => `  note: ${n}`),
    ...(notes.length > 10 ? [`  note: … and ${notes.length - 10} more tables in scroll regions`] : []),
    ...errors.map((e) => `  ERROR ${e}`),
  ].join('\n');
  return { pages: pages.length, charts, findings, notes, errors, sizes, ok: findings.length === 0 && errors.length === 0, report };
}
