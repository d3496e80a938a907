// Nu HTML Checker (vnu.jar from npm): one JVM for every file.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const VNU_JAR = require('vnu-jar');

function runJava(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.env.JAVA || 'java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Validate every page (paths relative to siteDir). */
export async function checkVnu(siteDir, pages) {
  const files = pages.map((p) => path.resolve(siteDir, p));
  const { code, out, err } = await runJava(['-Xss8m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files]);
  let messages = [];
  let parsed = false;
  for (const text of [err, out]) {
    const start = text.indexOf('{');
    if (start < 0) continue;
    try { messages = JSON.parse(text.slice(start)).messages || []; parsed = true; break; } catch { /* next */ }
  }
  const root = path.resolve(siteDir) + path.sep;
  const errors = messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error')
    .map((m) => {
      let file = m.url ? decodeURIComponent(m.url.replace(/^file:/, '')) : '';
      if (file.startsWith(root)) file = file.slice(root.length);
      return { page: file, line: m.lastLine ?? m.firstLine, column: m.firstColumn ?? m.lastColumn, message: m.message, extract: m.extract || '' };
    });
  const problems = [];
  if (!parsed) problems.push(`could not read vnu output (exit ${code}): ${(err || out).slice(0, 2000)}`);
  const byPage = [...new Set(errors.map((e) => e.page))];
  const report = [
    `Nu HTML Checker: ${pages.length} pages checked, ${errors.length} errors on ${byPage.length} pages`,
    ...errors.map((e) => `  ${e.page}:${e.line ?? '?'}:${e.column ?? '?'}: ${e.message}` + (e.extract ? `\n    ${e.extract.replace(/\n/g, '⏎').trim()}` : '')),
    ...problems.map((p) => `  ERROR ${p}`),
  ].join('\n');
  return { pages: pages.length, errors, ok: errors.length === 0 && problems.length === 0, report };
}
