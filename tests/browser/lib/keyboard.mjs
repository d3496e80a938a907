// Keyboard checks: Tab through a page and verify reachability, DOM order, visible focus
// indicators, that focus is not hidden behind other content, and the skip link.
import { newContext, gotoPage } from './browser.mjs';
import { pageUrl } from './pages.mjs';

const FOCUSABLE = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, iframe, summary, ' +
  '[tabindex], [contenteditable]:not([contenteditable=false]), audio[controls], video[controls]';

/** In page: list the candidates that should be reachable with Tab, in DOM order. */
function prepareInPage(selector) {
  const isTabbable = (el) => {
    if (el.matches(':disabled')) return false;
    if (el.closest('[inert]')) return false;
    const ti = el.getAttribute('tabindex');
    if (ti !== null && ti.trim() !== '' && Number(ti) < 0) return false;
    if (el.localName === 'summary' && el.parentElement?.localName !== 'details') return false;
    if (el.localName === 'summary' && el.parentElement.querySelector(':scope > summary') !== el) return false;
    // visible = rendered and not visibility:hidden (content of closed <details> is not rendered)
    if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: false })) return false;
    return true;
  };
  const all = [...document.querySelectorAll(selector)];
  const cands = all.filter(isTabbable);
  window.__kk = { cands, all };
  const describe = (el) => {
    let s = el.localName;
    if (el.id) s += '#' + el.id;
    const cls = [...el.classList].slice(0, 2).join('.');
    if (cls) s += '.' + cls;
    const href = el.getAttribute('href');
    if (href) s += `[href="${href}"]`;
    const text = (el.getAttribute('aria-label') || el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    if (text) s += ` "${text}"`;
    return s;
  };
  window.__kkDescribe = describe;
  const positive = all.filter((el) => Number(el.getAttribute('tabindex')) > 0).map(describe);
  return { candidates: cands.map(describe), positive };
}

/** In page: style snapshot of an element (for before/after focus comparison). */
function snapshotInPage(idx) {
  const el = idx === null ? document.activeElement : window.__kk.cands[idx];
  const cs = getComputedStyle(el);
  return {
    outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, outlineColor: cs.outlineColor,
    boxShadow: cs.boxShadow, bg: cs.backgroundColor, color: cs.color,
    border: [cs.borderTopColor, cs.borderRightColor, cs.borderBottomColor, cs.borderLeftColor, cs.borderTopWidth, cs.borderBottomWidth].join(' '),
    deco: `${cs.textDecorationLine} ${cs.textDecorationColor} ${cs.textDecorationThickness}`,
  };
}

/** In page: information about the focused element. */
function activeInPage() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { none: true };
  const idx = window.__kk.cands.indexOf(el);
  const r = el.getBoundingClientRect();
  // Is it obscured (WCAG 2.4.11)? Probe 5 points; fully obscured only if none hits the element.
  let obscured = false;
  const vw = innerWidth, vh = innerHeight;
  if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < vh && r.left < vw) {
    const pts = [[0.5, 0.5], [0.15, 0.2], [0.85, 0.2], [0.15, 0.8], [0.85, 0.8]];
    obscured = pts.every(([fx, fy]) => {
      const x = Math.min(vw - 1, Math.max(0, r.left + r.width * fx));
      const y = Math.min(vh - 1, Math.max(0, r.top + r.height * fy));
      const hit = document.elementFromPoint(x, y);
      return hit && !(hit === el || el.contains(hit) || hit.contains(el));
    });
  }
  const prev = window.__kkPrev;
  let order = 0; // -1: focus moved backwards in DOM order
  if (prev && prev !== el && prev.isConnected) {
    const pos = prev.compareDocumentPosition(el);
    order = pos & Node.DOCUMENT_POSITION_PRECEDING ? -1 : 1;
  }
  window.__kkPrev = el;
  const seen = (window.__kkSeen ||= new Set());
  const repeat = seen.has(el);
  seen.add(el);
  return {
    idx, desc: window.__kkDescribe(el), order, repeat, obscured,
    focusVisible: el.matches(':focus-visible'),
    inViewport: r.bottom > 0 && r.right > 0 && r.top < vh && r.left < vw,
    box: { x: r.left, y: r.top, width: r.width, height: r.height },
    radio: el.localName === 'input' && el.type === 'radio' ? el.name : null,
  };
}

const alpha = (c) => {
  const m = /rgba?\(([^)]+)\)/.exec(c || '');
  if (!m) return c === 'transparent' ? 0 : 1;
  const parts = m[1].split(/[ ,/]+/).filter(Boolean);
  return parts.length > 3 ? parseFloat(parts[3]) : 1;
};

export function outlineVisible(s) {
  return s.outlineStyle !== 'none' && s.outlineStyle !== 'hidden' && parseFloat(s.outlineWidth) > 0 && alpha(s.outlineColor) > 0;
}

function styleIndicator(before, after) {
  if (outlineVisible(after) && !(outlineVisible(before) && before.outlineColor === after.outlineColor && before.outlineWidth === after.outlineWidth && before.outlineStyle === after.outlineStyle)) return 'outline';
  if (after.boxShadow !== 'none' && after.boxShadow !== before.boxShadow) return 'box-shadow';
  for (const k of ['bg', 'color', 'border', 'deco']) if (after[k] !== before[k]) return k;
  return null;
}

async function clipShot(page, box) {
  const vp = page.viewportSize();
  const pad = 8;
  const x = Math.max(0, Math.floor(box.x - pad)), y = Math.max(0, Math.floor(box.y - pad));
  const w = Math.min(vp.width, Math.ceil(box.x + box.width + pad)) - x;
  const h = Math.min(vp.height, Math.ceil(box.y + box.height + pad)) - y;
  if (w <= 0 || h <= 0) return null;
  return page.screenshot({ clip: { x, y, width: w, height: h }, animations: 'disabled', caret: 'hide' });
}

/**
 * Tab through the loaded page. Returns the walk; `mode` 'normal' tests indicators by style
 * or screenshot difference, 'forced' requires outline-style != none on focus.
 */
export async function tabWalk(page, { mode = 'normal', maxExtra = 20 } = {}) {
  const prep = await page.evaluate(prepareInPage, FOCUSABLE);
  const baseline = [];
  for (let i = 0; i < prep.candidates.length; i++) baseline.push(await page.evaluate(snapshotInPage, i));
  const steps = [];
  const max = prep.candidates.length + maxExtra;
  for (let n = 0; n < max; n++) {
    await page.keyboard.press('Tab');
    const a = await page.evaluate(activeInPage);
    if (a.none) { if (steps.length) break; else continue; }
    if (a.repeat) break;
    const after = await page.evaluate(snapshotInPage, null);
    let indicator = null;
    if (mode === 'forced') {
      indicator = outlineVisible(after) ? 'outline' : null;
    } else {
      const before = a.idx >= 0 ? baseline[a.idx] : null;
      indicator = before ? styleIndicator(before, after) : (outlineVisible(after) ? 'outline' : null);
      if (!indicator && a.inViewport) {
        // Fallback: pixel comparison of the element's box, focused vs. blurred.
        const focused = await clipShot(page, a.box);
        await page.evaluate(() => { window.__kkEl = document.activeElement; document.activeElement.blur(); });
        const blurred = await clipShot(page, a.box);
        await page.evaluate(() => window.__kkEl.focus());
        if (focused && blurred && !focused.equals(blurred)) indicator = 'pixels';
      }
    }
    steps.push({ ...a, indicator, style: after });
  }
  return { ...prep, steps };
}

/** Skip link: the first Tab must reach a same-page link whose target exists; activating it moves focus there. */
export async function checkSkipLink(page) {
  await page.keyboard.press('Tab');
  const info = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { error: 'the first Tab focused nothing' };
    const desc = `${el.localName}${el.getAttribute('href') ? `[href="${el.getAttribute('href')}"]` : ''} "${(el.textContent || '').trim().slice(0, 30)}"`;
    if (el.localName !== 'a' || !el.hasAttribute('href')) return { error: `the first Tab reached ${desc}, not a skip link` };
    const u = new URL(el.href);
    const here = new URL(location.href);
    if (u.origin + u.pathname !== here.origin + here.pathname || !u.hash || u.hash === '#') {
      return { error: `the first Tab reached ${desc}, not a same-page #link (skip link)` };
    }
    const id = decodeURIComponent(u.hash.slice(1));
    const target = document.getElementById(id);
    if (!target) return { error: `skip link ${desc} points to #${id}, which does not exist` };
    const r = el.getBoundingClientRect();
    const visibleWhenFocused = r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
    window.__kkTarget = target;
    return { desc, id, visibleWhenFocused };
  });
  if (info.error) return { ok: false, ...info };
  if (!info.visibleWhenFocused) return { ok: false, ...info, error: `skip link ${info.desc} is not visible on screen when focused` };
  await page.keyboard.press('Enter');
  await page.waitForTimeout(50);
  const moved = await page.evaluate(() => {
    const t = window.__kkTarget, a = document.activeElement;
    return { hash: location.hash, focusInTarget: !!a && a !== document.body && (a === t || t.contains(a)) };
  });
  if (moved.focusInTarget) return { ok: true, ...info, how: 'focus moved into the target' };
  // Target not focusable: the next Tab must continue from the target (sequential focus navigation starting point).
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => {
    const t = window.__kkTarget, a = document.activeElement;
    if (!a || a === document.body) return { ok: false, desc: 'nothing' };
    const pos = t.compareDocumentPosition(a);
    return { ok: a === t || !!(pos & (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY)), desc: window.__kkDescribe ? window.__kkDescribe(a) : a.localName };
  });
  if (next.ok) return { ok: true, ...info, how: 'next Tab continued from the target' };
  return { ok: false, ...info, error: `activating skip link ${info.desc} did not move focus to #${info.id} (next Tab reached ${next.desc})` };
}

/** Full keyboard check of one page. */
export async function keyboardPage(browser, url, { contextOptions = {} } = {}) {
  const ctx = await newContext(browser, contextOptions);
  const problems = [];
  let walk;
  let skip;
  try {
    const page = await ctx.newPage();
    await gotoPage(page, url);
    await page.evaluate(prepareInPage, FOCUSABLE);
    skip = await checkSkipLink(page);
    if (!skip.ok) problems.push(`skip link: ${skip.error}`);
    await gotoPage(page, url);
    walk = await tabWalk(page);
    const reached = new Set(walk.steps.map((s) => s.idx).filter((i) => i >= 0));
    const radioGroups = new Set(walk.steps.map((s) => s.radio).filter(Boolean));
    const radioNames = await page.evaluate(() => window.__kk.cands.map((el) => (el.localName === 'input' && el.type === 'radio' ? el.name : null)));
    walk.candidates.forEach((d, i) => {
      if (reached.has(i)) return;
      if (radioNames[i] && radioGroups.has(radioNames[i])) return;
      problems.push(`not reachable with Tab: ${d}`);
    });
    for (const p of walk.positive) problems.push(`positive tabindex changes the focus order: ${p}`);
    for (const s of walk.steps) {
      if (s.order < 0) problems.push(`focus order goes backwards in the DOM at: ${s.desc}`);
      if (!s.indicator) problems.push(`no visible focus indicator: ${s.desc} (outline-style ${s.style.outlineStyle}, box-shadow ${s.style.boxShadow})`);
      if (s.obscured) problems.push(`focused element is hidden behind other content: ${s.desc}`);
      if (!s.inViewport) problems.push(`focused element is not scrolled into view: ${s.desc}`);
    }
    await page.close();
  } finally {
    await ctx.close();
  }
  return { url, focusable: walk.candidates.length, stops: walk.steps.length, skip, problems, steps: walk.steps };
}

export async function checkKeyboard(browser, server, pagesToCheck) {
  const results = [];
  for (const rel of pagesToCheck) {
    const r = await keyboardPage(browser, pageUrl(server.baseUrl, rel));
    results.push({ page: rel, ...r });
  }
  const problems = results.flatMap((r) => r.problems.map((p) => ({ page: r.page, problem: p })));
  const report = [
    `Keyboard: ${results.length} pages, ` + results.map((r) => `${r.page}: ${r.stops} Tab stops / ${r.focusable} visible focusable` +
      (r.skip?.ok ? `, skip link ${r.skip.desc} → #${r.skip.id} (${r.skip.how})` : '')).join('; ') +
    `; ${problems.length} problems`,
    ...problems.map((p) => `  ${p.page}: ${p.problem}`),
  ].join('\n');
  return { pages: results.length, results, problems, ok: problems.length === 0 && results.length > 0, report };
}
