// Debian's Chromium for the end-to-end tests and the bench, started one way: playwright-core
// cannot download a browser here, and without the background-networking flags Chromium floods
// this closed network with refused connections.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Flags for headless Chromium as root on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Launches Chromium (`CHROMIUM` overrides its path), with `extraArgs` after the common flags. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Fails with the fix when the store bundle has not been built. */
export function assertBuilt() {
  for (const f of ['shopper-intent.js', 'shopper_intent_bg.wasm', 'shopper-intent.model.bin']) {
    assert.ok(fs.existsSync(path.join(ROOT, 'pkg', f)), `pkg/${f} is missing: run 'make build' first`);
  }
}
