// The bench's HTTP server on 127.0.0.1: the bench pages, the build being measured (/pkg/), the
// peers' files (/nm/), a stand-in for Segment's CDN (/seg/), and the sink (/sink/) that swallows
// every send and counts it. Every response is uncacheable and cross-origin isolated, so every load
// fetches everything again and performance.now() resolves 5 µs, not 100 µs.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const MIME = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html; charset=utf-8' };
const HEADERS = {
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The write key in the Segment snippet (adapters.mjs). */
export const SEGMENT_WRITE_KEY = 'bench';

/**
 * The settings Segment's CDN serves for a source whose only destination is Segment itself
 * (`/v1/projects/<write key>/settings`), with its API host pointed at the sink. The tracking plan
 * is there as in every source's settings (it loads the schema-filter bundle); remote metrics off.
 */
function segmentSettings(host) {
  return {
    integrations: {
      'Segment.io': {
        apiKey: SEGMENT_WRITE_KEY,
        unbundledIntegrations: [],
        addBundledMetadata: true,
        maybeBundledConfigIds: {},
        versionSettings: { version: '4.4.7', componentTypes: ['browser'] },
        apiHost: `${host}/sink/seg/v1`,
        protocol: 'http',
      },
    },
    plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0 },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
}

/**
 * Starts the server. `mounts`: [[url prefix, directory]]; `pages`: id -> html for /bench/<id>.html;
 * `segmentDist`: @segment/analytics-next's dist/umd; `posthogDist`: posthog-js's dist (its lazy
 * extensions, which it loads from `${api_host}/static/`). Resolves to `{ base, sink, close }`;
 * `sink.count` and `sink.lastAt` (ms) tell what was sent.
 */
export async function startServer({ mounts, pages, segmentDist, posthogDist }) {
  const sink = { count: 0, bytes: 0, lastAt: 0 };
  const file = (res, f) =>
    fs.readFile(f, (err, body) => {
      if (err) return void (res.writeHead(404, HEADERS), res.end());
      res.writeHead(200, { ...HEADERS, 'Content-Type': MIME[path.extname(f)] || 'application/octet-stream' });
      res.end(body);
    });
  const under = (dir, rel) => {
    const f = path.resolve(dir, '.' + path.posix.sep + rel);
    return f.startsWith(dir + path.sep) && !rel.split('/').includes('..') ? f : null;
  };
  const send = (res, status, type, body) => {
    res.writeHead(status, type ? { ...HEADERS, 'Content-Type': type } : HEADERS);
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    let p;
    try {
      p = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(res, 400);
    }
    if (p.startsWith('/sink/')) {
      const ext = /^\/sink\/ph\/static\/(?:[\d.]+\/)?([\w.-]+\.js)$/.exec(p);
      if (ext && fs.existsSync(path.join(posthogDist, ext[1]))) return file(res, path.join(posthogDist, ext[1]));
      let bytes = 0;
      req.on('data', (c) => (bytes += c.length));
      req.on('end', () => {
        sink.count++;
        sink.bytes += bytes;
        sink.lastAt = Date.now();
        const js = p.endsWith('.js');
        send(res, 200, js ? 'text/javascript' : 'application/json', js ? '' : '{}');
      });
      return;
    }
    if (p.startsWith('/seg/')) {
      if (p === `/seg/analytics.js/v1/${SEGMENT_WRITE_KEY}/analytics.min.js`) return file(res, path.join(segmentDist, 'standalone.js'));
      if (p === `/seg/v1/projects/${SEGMENT_WRITE_KEY}/settings`) return send(res, 200, MIME['.json'], JSON.stringify(segmentSettings(req.headers.host)));
      const bundle = /^\/seg\/analytics-next\/bundles\/([\w.-]+\.js)$/.exec(p);
      const f = bundle && under(segmentDist, bundle[1]);
      return f ? file(res, f) : send(res, 404);
    }
    if (p === '/favicon.ico') return send(res, 204);
    const page = /^\/bench\/([\w-]+)\.html$/.exec(p);
    if (page && pages.has(page[1])) return send(res, 200, MIME['.html'], pages.get(page[1]));
    for (const [prefix, dir] of mounts) {
      if (!p.startsWith(prefix)) continue;
      const f = under(dir, p.slice(prefix.length));
      if (f) return file(res, f);
    }
    send(res, 404);
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  return {
    base: `http://127.0.0.1:${server.address().port}/`,
    sink,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
