// The nudge chunk, loaded with the engine with nudges (pkg/shopper_intent_nudges_bg.wasm, which
// index.js instantiates) only when a nudge could first be decided (see runtime.js, run()): the
// scorer's nudge half.

export { Nudger, moveTo } from './nudger.js';
