// The glue of the engine with nudges (pkg/shopper_intent_nudges_bg.wasm), a chunk of its own:
// a page loads it only when a nudge could first be decided (see runtime.js, run()).

export { initSync } from 'shopper-intent-nudges';
