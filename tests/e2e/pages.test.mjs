// The demo store's committed pages are exactly what www/pages.mjs generates: one source for the
// shared header, footer and product templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const www = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'www');

function htmlFiles(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(p, base);
    return e.name.endsWith('.html') ? [path.relative(base, p)] : [];
  });
}

test('the committed demo pages match their generator', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'si-pages-'));
  try {
    execFileSync(process.execPath, [path.join(www, 'pages.mjs'), out]);
    const generated = htmlFiles(out).sort();
    assert.ok(generated.length >= 19, `only ${generated.length} pages generated`);
    assert.deepEqual(generated, htmlFiles(www).sort(), 'a page was added or removed by hand');
    for (const rel of generated) {
      assert.equal(
        fs.readFileSync(path.join(www, rel), 'utf8'),
        fs.readFileSync(path.join(out, rel), 'utf8'),
        `${rel} differs from www/pages.mjs's output: edit the template, then run node www/pages.mjs`,
      );
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
