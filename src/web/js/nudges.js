// The nudge chunk, loaded with the engine with nudges (pkg/shopper_intent_nudges_bg.wasm) only
// when a nudge could first be decided (see runtime.js, run()): that engine's glue, and the
// scorer's nudge half.

export { initSync } from 'shopper-intent-nudges';
export { Nudger, moveTo } from './nudger.js';
