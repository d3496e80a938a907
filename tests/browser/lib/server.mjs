// Tiny static file server (node:http only) that serves SITE_DIR under a base path
// such as "/" or "/shisei/dx/" on 127.0.0.1 with a free port.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.avif': 'image/avif', '.ico': 'image/x-icon',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8', '.xml': 'application/xml', '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf', '.webmanifest': 'application/manifest+json',
  '.map': 'application/json', '.rss': 'application/rss+xml', '.atom': 'application/atom+xml',
};

/** Normalise a base path to "/", or "/a/b/". */
export function normaliseBasePath(p) {
  if (!p) return '/';
  let s = String(p).trim();
  if (!s.startsWith('/')) s = '/' + s;
  if (!s.endsWith('/')) s += '/';
  return s.replace(/\/{2,}/g, '/');
}

/**
 * Map a URL pathname to a file of siteDir, honouring basePath.
 * Returns {file} for an existing file, {redirect} for a directory without
 * trailing slash, or {missing:true}.
 */
export function resolveSitePath(siteDir, basePath, pathname) {
  if (!pathname.startsWith(basePath)) {
    // "/sub/dx" (no slash) → redirect to base
    if (pathname + '/' === basePath) return { redirect: basePath };
    return { missing: true, outside: true };
  }
  let rel;
  try { rel = decodeURIComponent(pathname.slice(basePath.length)); } catch { return { missing: true }; }
  const root = path.resolve(siteDir);
  const abs = path.resolve(root, '.' + path.posix.sep + rel);
  if (abs !== root && !abs.startsWith(root + path.sep)) return { missing: true };
  let st;
  try { st = fs.statSync(abs); } catch { return { missing: true }; }
  if (st.isDirectory()) {
    if (!pathname.endsWith('/')) return { redirect: pathname + '/' };
    const idx = path.join(abs, 'index.html');
    if (fs.existsSync(idx)) return { file: idx };
    return { missing: true };
  }
  return { file: abs };
}

export function startServer(siteDir, basePath = '/') {
  basePath = normaliseBasePath(basePath);
  const notFound = path.join(siteDir, '404.html');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const r = resolveSitePath(siteDir, basePath, url.pathname);
    if (r.redirect) {
      res.writeHead(301, { Location: r.redirect + url.search });
      return res.end();
    }
    if (r.file) {
      const type = TYPES[path.extname(r.file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      if (req.method === 'HEAD') return res.end();
      return fs.createReadStream(r.file).pipe(res);
    }
    res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
    if (req.method !== 'HEAD' && fs.existsSync(notFound)) return fs.createReadStream(notFound).pipe(res);
    res.end('<!doctype html><title>404</title><h1>404</h1>');
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      const origin = `http://127.0.0.1:${port}`;
      resolve({
        origin, basePath, baseUrl: origin + basePath, port,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}
