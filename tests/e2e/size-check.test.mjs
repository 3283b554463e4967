// `make size-check` (scripts/sizes.sh with tests/size-budget) on the built pkg/: it passes on the
// budget as committed, and it fails, naming the part, when any one ceiling is below what it
// measures or missing: a check that cannot fail would let the later parts grow unseen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, assertBuilt } from '../chromium.mjs';

const BUDGET = fs.readFileSync(path.join(ROOT, 'tests', 'size-budget'), 'utf8');

/** scripts/sizes.sh on budget text `text`: {status, out, err}. */
function check(text) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'si-budget-')), 'size-budget');
  fs.writeFileSync(file, text);
  const r = spawnSync('bash', ['scripts/sizes.sh', file], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('the committed budget holds, and each part is measured against its own ceiling', () => {
  assertBuilt();
  const r = check(BUDGET);
  assert.equal(r.status, 0, r.err);
  const parts = /every later part within its part-ceiling \(([^)]*)\)/.exec(r.out);
  assert.ok(parts, r.out);
  const measured = Object.fromEntries(parts[1].split(', ').map((p) => p.split(' ')).map(([k, v]) => [k, Number(v)]));
  const ceilings = [...BUDGET.matchAll(/^part-ceiling (\S+) (\d+)$/gm)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(Object.keys(measured).sort(), ceilings.map(([k]) => k).sort(), 'a ceiling for every part, and a part for every ceiling');
  for (const [name, ceiling] of ceilings) {
    assert.ok(measured[name] > 0 && measured[name] <= ceiling, `${name}: ${measured[name]} within ${ceiling}`);
  }
});

test('a part over its ceiling, or without one, fails the check by name', () => {
  assertBuilt();
  const names = [...BUDGET.matchAll(/^part-ceiling (\S+) \d+$/gm)].map((m) => m[1]);
  // Every part at 1 byte: each one is named (the check reports them all before failing).
  const low = check(BUDGET.replace(/^part-ceiling (\S+) \d+$/gm, 'part-ceiling $1 1'));
  assert.equal(low.status, 1);
  for (const name of names) {
    assert.match(low.err, new RegExp(`FAIL: part '${name}' is \\d+ bytes gzipped, over its part-ceiling of 1 bytes`));
  }
  // One part without a ceiling (the last, so every other line is read first).
  const last = names[names.length - 1];
  const gone = check(BUDGET.replace(new RegExp(`^part-ceiling ${last} \\d+\\n`, 'm'), ''));
  assert.equal(gone.status, 1);
  assert.match(gone.err, new RegExp(`must hold one line 'part-ceiling ${last} <bytes>'`));
  const start = check(BUDGET.replace(/^ceiling \d+$/m, 'ceiling 1'));
  assert.equal(start.status, 1);
  assert.match(start.err, /FAIL: what the tag loads at start is \d+ bytes gzipped, over the ceiling of 1 bytes/);
});
