// Full-page screenshots of the key pages at 375px and 1280px.
import fs from 'node:fs';
import path from 'node:path';
import { newContext, gotoPage } from './browser.mjs';
import { pageUrl } from './pages.mjs';

export async function takeScreenshots(browser, server, named, outDir, widths = [375, 1280]) {
  fs.mkdirSync(outDir, { recursive: true });
  // Drop the previous run's pictures so that the folder shows this site only.
  for (const f of fs.readdirSync(outDir)) if (/^((easy|en)-)?(home|measure|glossary)-\d+\.png$/.test(f)) fs.rmSync(path.join(outDir, f));
  const files = [];
  for (const width of widths) {
    const ctx = await newContext(browser, { viewport: { width, height: width < 800 ? 812 : 800 } });
    try {
      for (const [name, rel] of Object.entries(named)) {
        if (!rel) continue;
        const page = await ctx.newPage();
        try {
          await gotoPage(page, pageUrl(server.baseUrl, rel));
          const file = path.join(outDir, `${name}-${width}.png`);
          await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
          files.push(file);
        } finally { await page.close(); }
      }
    } finally { await ctx.close(); }
  }
  return { files, ok: files.length > 0, report: `Screenshots: ${files.length} written\n` + files.map((f) => `  ${f}`).join('\n') };
}
