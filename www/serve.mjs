#!/usr/bin/env node
// Tiny static dev server for the Northwind Threads demo store. Node 20+, no dependencies.
//
//   PORT=8080 node www/serve.mjs        # serves www/ at / and ../pkg/ at /pkg/
//
// Tests: import { start } from './www/serve.mjs';
//        const { url, close } = await start({ port: 0 });   // port 0 = any free port
import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOST = '127.0.0.1';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream', // the compiled model (shopper-intent.model.bin)
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/** Map a URL path to a file under one of the mounts, or null if it is not allowed. */
function resolvePath(mounts, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // malformed %-escape
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  for (const [prefix, dir] of mounts) {
    if (decoded === prefix.slice(0, -1) || decoded.startsWith(prefix)) {
      const rel = decoded.slice(prefix.length);
      const file = path.resolve(dir, '.' + path.posix.sep + rel);
      if (file !== dir && !file.startsWith(dir + path.sep)) return null;
      return { file, dir };
    }
  }
  return null;
}

function send(res, status, headers, body, head) {
  res.writeHead(status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(head ? undefined : body);
}

/**
 * Start the server.
 * @param {{port?: number, root?: string, pkg?: string, host?: string, quiet?: boolean}} [opts]
 *   port: 0 picks a free port (default: $PORT or 8080); root: the site (default: this folder);
 *   pkg: the wasm-pack output served at /pkg/ (default: ../pkg next to this script).
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export function start({ port, root, pkg, host = HOST, quiet = true } = {}) {
  const siteRoot = path.resolve(root || HERE);
  const pkgRoot = path.resolve(pkg || path.join(HERE, '..', 'pkg'));
  // Longest prefix first.
  const mounts = [['/pkg/', pkgRoot], ['/', siteRoot]];
  const listenPort = port ?? (process.env.PORT ? Number(process.env.PORT) : 8080);

  const server = http.createServer(async (req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      return send(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'Method not allowed\n', head);
    }
    let url;
    try {
      url = new URL(req.url, 'http://localhost');
    } catch {
      return send(res, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad request\n', head);
    }
    // The demo's QA switch: `?arm=treatment` (or `control`) on any page pins this browser to that
    // arm of the nudges' holdout (a cookie), by serving the config with the experiment's `force`.
    const arm = url.searchParams.get('arm') || (/(?:^|;\s*)si-demo-arm=(\w+)/.exec(req.headers.cookie || '') || [])[1];
    const forced = arm === 'treatment' ? 1 : arm === 'control' ? 0 : undefined;
    const armCookie = url.searchParams.has('arm') ? { 'Set-Cookie': `si-demo-arm=${arm}; Path=/; SameSite=Lax` } : {};
    if (url.pathname === '/intent-config.json' && forced !== undefined && siteRoot === HERE) {
      const config = JSON.stringify({ experiments: { 'shopper-intent-nudges': { force: forced } } });
      return send(res, 200, { 'Content-Type': MIME['.json'] }, config, head);
    }
    const hit = resolvePath(mounts, url.pathname);
    if (!hit) return send(res, 403, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Forbidden\n', head);

    let file = hit.file;
    try {
      let stat = await fsp.stat(file);
      if (stat.isDirectory()) {
        if (!url.pathname.endsWith('/')) {
          return send(res, 301, { Location: url.pathname + '/' + url.search }, '', head);
        }
        file = path.join(file, 'index.html');
        stat = await fsp.stat(file);
      }
      // Refuse symlinks that lead outside the mount.
      const real = await fsp.realpath(file);
      const realDir = await fsp.realpath(hit.dir);
      if (real !== realDir && !real.startsWith(realDir + path.sep)) {
        return send(res, 403, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Forbidden\n', head);
      }
      if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, {
        ...armCookie,
        'Content-Type': type,
        'Content-Length': stat.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      if (head) return res.end();
      fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch (err) {
      if (err && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) {
        const page404 = path.join(siteRoot, '404.html');
        const wantsHtml = (req.headers.accept || '').includes('text/html');
        if (wantsHtml && fs.existsSync(page404)) {
          return send(res, 404, { 'Content-Type': MIME['.html'] }, fs.readFileSync(page404), head);
        }
        return send(res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not found\n', head);
      }
      return send(res, 500, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Server error\n', head);
    }
    if (!quiet) console.log(`${req.method} ${url.pathname}`);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, host, () => {
      server.off('error', reject);
      const actual = server.address().port;
      resolve({
        url: `http://${host}:${actual}/`,
        port: actual,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

const runDirectly = (() => {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(fs.realpathSync(process.argv[1])).href === pathToFileURL(fs.realpathSync(fileURLToPath(import.meta.url))).href;
  } catch {
    return false;
  }
})();

if (runDirectly) {
  start({ quiet: !process.env.VERBOSE }).then(
    ({ url }) => {
      console.log(`Northwind Threads demo store: ${url}`);
      console.log(`  intent panel: ${url}?intent-debug   (or Alt+Shift+I on any page)`);
      console.log(`  see the nudges for sure (the treatment arm of the 80/20 holdout): ${url}?arm=treatment`);
    },
    (err) => {
      console.error(`serve.mjs: ${err.message}`);
      process.exit(1);
    },
  );
}
