// Media emulation: prefers-reduced-motion: reduce, prefers-color-scheme: dark, forced-colors: active.
import { newContext, gotoPage } from './browser.mjs';
import { pageUrl, poolWithPage } from './pages.mjs';
import { runAxe } from './axe.mjs';
import { tabWalk } from './keyboard.mjs';

function runningAnimationsInPage() {
  return document.getAnimations().filter((a) => {
    if (a.playState !== 'running') return false;
    const t = a.effect?.getComputedTiming?.() || {};
    return (t.activeDuration ?? 0) > 1 || t.iterations === Infinity; // ms; 0.01ms "reduce" hacks are fine
  }).map((a) => {
    const el = a.effect?.target;
    const what = a.animationName ? `animation "${a.animationName}"` : a.transitionProperty ? `transition of ${a.transitionProperty}` : a.constructor.name;
    const t = a.effect.getComputedTiming();
    let d = el ? el.localName + (el.id ? '#' + el.id : '') + (el.classList?.length ? '.' + [...el.classList].slice(0, 2).join('.') : '') : '?';
    return `${what} on ${d} (${t.iterations === Infinity ? 'infinite' : Math.round(t.activeDuration) + 'ms'})`;
  });
}

/** prefers-reduced-motion: reduce → no running animations/transitions after load, nor after a few Tabs. */
export async function checkReducedMotion(browser, server, pages, { concurrency = 2 } = {}) {
  const ctx = await newContext(browser, { reducedMotion: 'reduce' });
  const findings = [];
  try {
    const failures = await poolWithPage(ctx, pages, concurrency, async (page, rel) => {
      await gotoPage(page, pageUrl(server.baseUrl, rel));
      await page.waitForTimeout(50);
      for (const a of await page.evaluate(runningAnimationsInPage)) findings.push({ page: rel, problem: `after load: ${a}` });
      for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
      for (const a of await page.evaluate(runningAnimationsInPage)) findings.push({ page: rel, problem: `after Tab: ${a}` });
    });
    for (const f of failures) findings.push({ page: f.item, problem: `ERROR ${f.error.message}` });
  } finally { await ctx.close(); }
  const report = [
    `Reduced motion: ${pages.length} pages, ${findings.length} running animations/transitions under prefers-reduced-motion: reduce`,
    ...findings.map((f) => `  ${f.page}: ${f.problem}`),
  ].join('\n');
  return { pages: pages.length, findings, ok: findings.length === 0, report };
}

/** prefers-color-scheme: dark → axe color-contrast passes. */
export async function checkDarkContrast(browser, server, pagesToCheck) {
  const ctx = await newContext(browser, { colorScheme: 'dark' });
  const results = [];
  try {
    for (const rel of pagesToCheck) {
      const page = await ctx.newPage();
      try {
        await gotoPage(page, pageUrl(server.baseUrl, rel));
        const r = await runAxe(page, { rules: ['color-contrast'] });
        const scheme = await page.evaluate(() => {
          const clear = (c) => c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
          let bg = getComputedStyle(document.body).backgroundColor;
          if (clear(bg)) bg = getComputedStyle(document.documentElement).backgroundColor;
          if (clear(bg)) bg = 'the default canvas';
          return { bg, fg: getComputedStyle(document.body).color };
        });
        results.push({ page: rel, ...r, scheme });
      } finally { await page.close(); }
    }
  } finally { await ctx.close(); }
  const findings = results.flatMap((r) => r.violations.flatMap((v) => v.nodes.map((n) => ({ page: r.page, target: n.target, summary: n.summary }))));
  const report = [
    `Dark mode contrast: ${results.length} pages (` + results.map((r) => `${r.page}: body ${r.scheme.fg} on ${r.scheme.bg}, ${r.incomplete.reduce((a, v) => a + v.nodes.length, 0)} elements axe could not decide`).join('; ') +
    `), ${findings.length} color-contrast violations`,
    ...findings.map((f) => `  ${f.page}: [color-contrast] ${f.target}\n    ${f.summary.replace(/\n/g, '\n    ')}`),
    ...results.flatMap((r) => r.incomplete.flatMap((v) => v.nodes.slice(0, 5).map((n) => `  note: ${r.page}: axe could not decide the contrast of ${n.target}: ${n.summary.split('\n').slice(1).join(' ').trim()}`))),
  ].join('\n');
  return { pages: results.length, findings, ok: findings.length === 0 && results.length > 0, report };
}

/** In page: graphics and CSS-drawn indicators (text-less small boxes with a visible background or border). */
function graphicsInPage() {
  const all = [...document.body.querySelectorAll('*')];
  const out = [];
  const effectiveBg = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(c)) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  all.forEach((el, i) => {
    const r = el.getBoundingClientRect();
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return;
    const cs = getComputedStyle(el);
    const graphic = el.localName === 'svg' || el.localName === 'img';
    const textless = !(el.textContent || '').trim() && !el.querySelector('svg, img');
    const small = r.width >= 2 && r.height >= 2 && r.width <= 64 && r.height <= 64;
    let cssDrawn = false;
    if (!graphic && textless && small && !['br', 'hr', 'input', 'select', 'textarea', 'button', 'iframe', 'video', 'canvas', 'object', 'embed'].includes(el.localName)) {
      const bg = cs.backgroundColor;
      const hasBg = bg !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(bg) && bg !== effectiveBg(el.parentElement);
      const hasBorder = ['Top', 'Right', 'Bottom', 'Left'].some((s) => cs[`border${s}Style`] !== 'none' && parseFloat(cs[`border${s}Width`]) > 0);
      const hasImage = cs.backgroundImage !== 'none' && /url\(/.test(cs.backgroundImage);
      const hasShadow = cs.boxShadow !== 'none';
      cssDrawn = hasBg || hasBorder || hasImage || hasShadow;
    }
    if (!graphic && !cssDrawn) return;
    const bgDistinct = cs.backgroundColor !== effectiveBg(el.parentElement) && cs.backgroundColor !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(cs.backgroundColor);
    const border = ['Top', 'Right', 'Bottom', 'Left'].some((s) => cs[`border${s}Style`] !== 'none' && parseFloat(cs[`border${s}Width`]) > 0);
    const image = /url\(/.test(cs.backgroundImage);
    let d = el.localName + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].slice(0, 2).join('.') : '');
    const label = el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('alt') || '';
    if (label) d += ` "${label.slice(0, 30)}"`;
    out.push({ i, desc: d, graphic, cssDrawn, w: r.width, h: r.height, visibleMeans: bgDistinct || border || image || cs.forcedColorAdjust === 'none' });
  });
  return out;
}

/** forced-colors: active → focus indicator is an outline (box-shadow is dropped) and icons stay visible. */
export async function checkForcedColors(browser, server, pagesToCheck) {
  const normal = await newContext(browser, {});
  const forced = await newContext(browser, { forcedColors: 'active' });
  const findings = [];
  const summary = [];
  try {
    for (const rel of pagesToCheck) {
      const url = pageUrl(server.baseUrl, rel);
      const p0 = await normal.newPage();
      let before;
      try { await gotoPage(p0, url); before = await p0.evaluate(graphicsInPage); } finally { await p0.close(); }
      const p1 = await forced.newPage();
      try {
        await gotoPage(p1, url);
        const active = await p1.evaluate(() => matchMedia('(forced-colors: active)').matches);
        if (!active) findings.push({ page: rel, problem: 'forced-colors emulation is not active' });
        const after = new Map((await p1.evaluate(graphicsInPage)).map((g) => [g.i, g]));
        const allNow = await p1.evaluate(() => [...document.body.querySelectorAll('*')].map((el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; }));
        let icons = 0;
        for (const g of before) {
          icons++;
          const sz = allNow[g.i];
          if (!sz || sz[0] < 1 || sz[1] < 1) { findings.push({ page: rel, problem: `${g.desc} collapses to zero size in forced colors` }); continue; }
          if (g.cssDrawn) {
            const a = after.get(g.i);
            if (!a || !a.visibleMeans) findings.push({ page: rel, problem: `${g.desc} is drawn only with background colour and disappears in forced colors (use an SVG/text, a border, or forced-color-adjust: none)` });
          }
        }
        const walk = await tabWalk(p1, { mode: 'forced' });
        for (const s of walk.steps) if (!s.indicator) findings.push({ page: rel, problem: `no outline on focus in forced colors: ${s.desc} (outline-style ${s.style.outlineStyle})` });
        summary.push(`${rel}: ${icons} graphics/indicators, ${walk.steps.length} focus stops`);
      } finally { await p1.close(); }
    }
  } finally {
    await normal.close();
    await forced.close();
  }
  const report = [
    `Forced colors: ${pagesToCheck.length} pages (${summary.join('; ')}), ${findings.length} problems`,
    ...findings.map((f) => `  ${f.page}: ${f.problem}`),
  ].join('\n');
  return { pages: pagesToCheck.length, findings, ok: findings.length === 0 && pagesToCheck.length > 0, report };
}
