// The tag words the engine's refusals itself (src/web/js/errors.js, loaded on the first one):
// for every kind of error in tests/fixtures/errors.json, which the core writes with its own
// message (src/core/error.rs, `the_fixture_holds_every_kind_with_its_message`), the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { message } from '../../src/web/js/errors.js';

const cases = JSON.parse(fs.readFileSync(new URL('../fixtures/errors.json', import.meta.url), 'utf8'));

test('errors.js words every kind of refusal as the core does', () => {
  assert.ok(cases.length >= 11, 'the fixture holds every code');
  for (const { parts, message: expected } of cases) assert.equal(message(parts), expected, JSON.stringify(parts));
});

test('an unknown code still says it was refused', () => {
  assert.equal(message({ c: 99, t: ['', '', '', ''], n: [-1, 0, 0] }), 'refused (error 99)');
});
