// Reflow (WCAG 1.4.10) at 320 CSS px and text resize (1.4.4) at 200% root font size.
import { newContext, gotoPage } from './browser.mjs';
import { pageUrl, poolWithPage } from './pages.mjs';

/** In page: horizontal overflow at the current viewport width. */
function overflowInPage() {
  const vw = document.documentElement.clientWidth;
  const sw = document.documentElement.scrollWidth;
  const describe = (el) => {
    let s = el.localName;
    if (el.id) s += '#' + el.id;
    const cls = [...el.classList].slice(0, 2).join('.');
    if (cls) s += '.' + cls;
    return s;
  };
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) parts.unshift(describe(e));
    return parts.join(' > ');
  };
  const accName = (el) => (el.getAttribute('aria-label') || '').trim() ||
    (el.getAttribute('aria-labelledby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ').trim() ||
    (el.getAttribute('title') || '').trim();
  // Allowed scroll containers: role=region, tabindex=0, an accessible name, overflow-x auto/scroll.
  const scroller = (el) => {
    for (let e = el.parentElement; e && e !== document.body && e !== document.documentElement; e = e.parentElement) {
      const ox = getComputedStyle(e).overflowX;
      if (ox === 'auto' || ox === 'scroll') {
        const allowed = e.getAttribute('role') === 'region' && e.getAttribute('tabindex') === '0' && !!accName(e);
        return { el: e, allowed };
      }
    }
    return null;
  };
  const hiddenVisually = (el, r) => {
    if (r.width <= 1 || r.height <= 1) return true;
    const cs = getComputedStyle(el);
    if (cs.clip && cs.clip.startsWith('rect(') && /rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(cs.clip.replace(/\s+/g, ' '))) return true;
    if (cs.clipPath && /inset\(50%\)/.test(cs.clipPath)) return true;
    return false;
  };
  const offenders = [];
  const hiddenOffenders = [];
  const inBadScroller = [];
  const seen = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 1 || r.right <= 0) continue;
    const cs = getComputedStyle(el);
    const sc = scroller(el);
    // An absolutely/fixed positioned box whose containing block is outside the scroll
    // container is not clipped by it and widens the page (e.g. visually-hidden text in a
    // table inside a scroller that lacks position: relative).
    let escapes = false;
    if (sc && (cs.position === 'absolute' || cs.position === 'fixed')) {
      const cb = cs.position === 'fixed' ? null : el.offsetParent;
      escapes = !cb || !(cb === sc.el || sc.el.contains(cb));
    }
    if (sc && !escapes) {
      if (!sc.allowed && !seen.has(sc.el)) { seen.add(sc.el); inBadScroller.push(path(sc.el)); }
      continue;
    }
    const why = escapes ? ` (position:${cs.position}; its containing block is outside the scroll container ${describe(sc.el)}, so the container does not clip it — give the container position:relative)` : '';
    if (hiddenVisually(el, r)) {
      hiddenOffenders.push(`visually hidden ${path(el)} (right edge at ${Math.round(r.right)}px)${why}`);
      continue;
    }
    // Report only the outermost offender of a subtree.
    let p = el.parentElement, nested = false;
    while (p) { if (seen.has(p)) { nested = true; break; } p = p.parentElement; }
    seen.add(el);
    if (!nested) offenders.push(`${path(el)} (right edge at ${Math.round(r.right)}px, width ${Math.round(r.width)}px)${why}`);
  }
  // When only visually hidden boxes stick out, name them (they still make the page scroll).
  if (!offenders.length && sw > vw + 1) offenders.push(...hiddenOffenders.slice(0, 1), ...(hiddenOffenders.length > 1 ? [`… and ${hiddenOffenders.length - 1} more visually hidden elements`] : []));
  return { vw, sw, offenders: offenders.slice(0, 10), inBadScroller: inBadScroller.slice(0, 10) };
}

/** In page: set the root font size to 200% and find elements with hidden overflow that now clip text. */
function zoomClipInPage() {
  const sample = [...document.querySelectorAll('p, li, td, th, h1, h2, dd, dt, a')].slice(0, 50);
  const before = sample.map((e) => parseFloat(getComputedStyle(e).fontSize));
  document.documentElement.style.fontSize = '200%';
  const after = sample.map((e) => parseFloat(getComputedStyle(e).fontSize));
  const notScaled = sample.filter((e, i) => after[i] < before[i] * 1.5).length;
  const describe = (el) => {
    let s = el.localName;
    if (el.id) s += '#' + el.id;
    const cls = [...el.classList].slice(0, 2).join('.');
    if (cls) s += '.' + cls;
    return s;
  };
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    const hx = cs.overflowX === 'hidden' || cs.overflowX === 'clip';
    const hy = cs.overflowY === 'hidden' || cs.overflowY === 'clip';
    const ellipsis = cs.textOverflow === 'ellipsis';
    if (!hx && !hy && !ellipsis) continue;
    const text = (el.innerText || '').replace(/\s+/g, ' ').trim();
    if (!text) continue;
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) continue; // visually hidden (sr-only) text
    if (cs.position === 'absolute' && (r.right <= 0 || r.bottom <= 0)) continue; // off-screen skip links
    const overY = (hy || ellipsis) && el.scrollHeight > el.clientHeight + 1;
    const overX = (hx || ellipsis) && el.scrollWidth > el.clientWidth + 1;
    if (overX || overY) {
      clipped.push(`${describe(el)} "${text.slice(0, 30)}" (${overY ? `scrollHeight ${el.scrollHeight} > clientHeight ${el.clientHeight}` : ''}${overX && overY ? ', ' : ''}${overX ? `scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}` : ''})`);
    }
  }
  const ov = document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;
  return { clipped: clipped.slice(0, 20), notScaled, sampled: sample.length, horizontalScroll: ov };
}

export async function checkReflow(browser, server, pages, { concurrency = 2 } = {}) {
  const narrow = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const wide = await newContext(browser, { viewport: { width: 1280, height: 800 } });
  const findings = [];
  const notes = [];
  const errors = [];
  try {
    const f1 = await poolWithPage(narrow, pages, concurrency, async (page, rel) => {
      await gotoPage(page, pageUrl(server.baseUrl, rel));
      const r = await page.evaluate(overflowInPage);
      if (r.sw > 320 + 1) findings.push({ page: rel, kind: 'reflow', problem: `scrollWidth ${r.sw} > 320 at 320px wide` + (r.offenders.length ? `; sticking out:\n      ${r.offenders.join('\n      ')}` : '') });
      else if (r.offenders.length) findings.push({ page: rel, kind: 'reflow', problem: `content cut off at the right edge at 320px:\n      ${r.offenders.join('\n      ')}` });
      for (const s of r.inBadScroller) findings.push({ page: rel, kind: 'reflow', problem: `content overflows inside a scroll container that is not role="region" tabindex="0" with an accessible name: ${s}` });
    });
    for (const f of f1) errors.push(`${f.item} (320px): ${f.error.message}`);
    const f2 = await poolWithPage(wide, pages, concurrency, async (page, rel) => {
      await gotoPage(page, pageUrl(server.baseUrl, rel));
      const z = await page.evaluate(zoomClipInPage);
      for (const c of z.clipped) findings.push({ page: rel, kind: 'zoom', problem: `text clipped at 200% text size: ${c}` });
      if (z.horizontalScroll) notes.push(`${rel}: the page scrolls horizontally at 1280px with 200% text size`);
      if (z.sampled && z.notScaled) notes.push(`${rel}: ${z.notScaled}/${z.sampled} sampled text elements did not grow with the root font size (px font sizes?)`);
    });
    for (const f of f2) errors.push(`${f.item} (200%): ${f.error.message}`);
    const order = new Map(pages.map((p, i) => [p, i]));
    findings.sort((a, b) => order.get(a.page) - order.get(b.page));
  } finally {
    await narrow.close();
    await wide.close();
  }
  const reflowN = findings.filter((f) => f.kind === 'reflow').length;
  const zoomN = findings.length - reflowN;
  const report = [
    `Reflow: ${pages.length} pages at 320px: ${reflowN} problems; at 1280px with 200% text: ${zoomN} problems`,
    ...findings.map((f) => `  ${f.page}: ${f.problem}`),
    ...notes.map((n) => `  note: ${n}`),
    ...errors.map((e) => `  ERROR ${e}`),
  ].join('\n');
  return { pages: pages.length, findings, notes, errors, ok: findings.length === 0 && errors.length === 0, report };
}
